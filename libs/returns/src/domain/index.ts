export * from './money';
export * from './refund-limits';
export * from './eligibility';
export * from './alignment';
export * from './ledger';
export * from './reporting';
