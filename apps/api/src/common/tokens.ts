/** Injection token of the process's Runtime (libs/runtime composition root). */
export const RUNTIME = Symbol('RUNTIME');
