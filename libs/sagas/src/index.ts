export * from './domain/engine';
export * from './domain/saga-data';
export * from './domain/steps';
export * from './domain/interpret';
export * from './definitions';
export * from './definitions/sagas-doc';
export * from './application/saga-runner';
export * from './application/orchestrator.module';
