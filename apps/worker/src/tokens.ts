export const RUNTIME = Symbol('RUNTIME');
export const EXECUTOR = Symbol('EXECUTOR');
