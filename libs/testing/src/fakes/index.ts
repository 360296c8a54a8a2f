export * from './wait-for';
export * from './fake-shopify';
export * from './smtp-sink';
export * from './supplier-receiver';
