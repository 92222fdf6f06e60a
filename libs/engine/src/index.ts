export * from './node.types.js';
export * from './flow.types.js';
export * from './executor.types.js';
export * from './errors.js';
