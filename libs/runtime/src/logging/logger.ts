import { pino, type Logger as Pino } from 'pino';
import type { Logger } from '@tributary/engine';

/** Structured JSON logs (pino) behind the engine's small Logger interface. */
export class PinoLogger implements Logger {
  constructor(readonly pino: Pino) {}
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.pino.debug(fields ?? {}, msg);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.pino.info(fields ?? {}, msg);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.pino.warn(fields ?? {}, msg);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.pino.error(fields ?? {}, msg);
  }
  child(bindings: Record<string, unknown>): PinoLogger {
    return new PinoLogger(this.pino.child(bindings));
  }
}

export function createLogger(level: string, name: string): PinoLogger {
  return new PinoLogger(pino({ level, name, base: { pid: process.pid, role: name }, timestamp: pino.stdTimeFunctions.isoTime }));
}
