export * from './shopify-refunds';
export * from './refunds.module';
