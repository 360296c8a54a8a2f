export * from './config';
export * from './templates';
export * from './notifications.module';
export * from './tenant-templates';
