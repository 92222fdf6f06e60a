export const RUNTIME = Symbol('RUNTIME');
export const EXECUTOR = Symbol('EXECUTOR');
export const METRICS = Symbol('METRICS');
