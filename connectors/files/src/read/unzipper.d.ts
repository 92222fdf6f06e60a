// unzipper (exceljs's own zip reader) ships no types; this is the part of it the xlsx reader uses.
declare module 'unzipper' {
  import type { Duplex, Readable } from 'node:stream';

  export interface Entry extends Readable {
    path: string;
    type: 'File' | 'Directory';
  }

  /** A zip's entries in stored order, each a stream that must be read or drained before the next. */
  export function Parse(opts?: { forceStream?: boolean }): Duplex & AsyncIterable<Entry>;
}
