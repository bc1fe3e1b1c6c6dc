export * from './isoDate';
export * from './rules';
export * from './period';
export * from './ledger';
export * from './validatePayment';
export * from './memberStatus';
