export * from './shopify-refunds';
export * from './refunds.module';
export * from './config';
export * from './store-url';
