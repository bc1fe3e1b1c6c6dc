export * from './probe-script';
export * from './parse-probe';
export * from './probe-delta';
export * from './http-check';
