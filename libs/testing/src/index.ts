export * from './fakes';
export * from './database';
export * from './kafka-mock';
export * from './kafka-cluster';
