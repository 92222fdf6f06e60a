import type { ConnectorDefinition } from '@tributary/node-sdk';
import { filesConnector } from './files.connector.js';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const filesConnectors: ConnectorDefinition[] = [filesConnector];

export { filesConnector };
export { importTrigger, type FileImportConfig } from './nodes/import.trigger.js';
export { readRows, sniffFormat } from './read/read-rows.js';
export { detectDelimiter } from './read/csv-rows.js';
export { detectEncoding, StreamingTextDecoder, FILE_ENCODINGS, type FileEncoding } from './read/encoding.util.js';
export { DEFAULT_HEADER_MAP, mapHeaders, squashHeader } from './read/header-map.util.js';
export { cellText, numberText } from './read/cell-value.util.js';
export { FileFormatError, READ_DEFAULTS, type FileInfo, type ReadConfig, type ReadOptions, type RowResult } from './read/read.types.js';
