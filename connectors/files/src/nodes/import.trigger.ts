import { defineNode } from '@tributary/node-sdk';
import { DEFAULT_HEADER_MAP } from '../read/header-map.util.js';
import { FILE_ENCODINGS } from '../read/encoding.util.js';
import { CSV_DELIMITERS, FILE_FORMATS, type ReadConfig } from '../read/read.types.js';
import { importTriggerLocales } from './import.trigger.locale.js';

export interface FileImportConfig extends ReadConfig {
  /** The import stops (failed) after this many bad rows; 0: never. */
  maxErrors: number;
}

const knownHeaders = Object.entries(DEFAULT_HEADER_MAP)
  .map(([field, headers]) => `${headers.filter((h) => /[^\x00-\x7f]/.test(h)).slice(0, 3).concat(headers.slice(0, 1)).join('/')} → ${field}`)
  .slice(0, 6)
  .join(', ');

/**
 * The trigger of bulk imports: each row of an uploaded CSV or .xlsx file becomes one run,
 * started by the import service (`POST /api/flows/:id/imports`, `tributary import`), not by
 * an HTTP hook. Its config says how the file is read.
 */
export const importTrigger = defineNode<FileImportConfig>({
  id: 'files.import',
  version: 1,
  title: 'File import',
  description:
    'Starts one run per row of a CSV or Excel (.xlsx) file uploaded with `tributary import <file> --flow <id>` or `POST /api/flows/:id/imports`. ' +
    'The file is streamed row by row; the encoding (UTF-8, or GBK from Excel/WPS on Chinese Windows) and the delimiter are detected; headers are mapped to item fields. ' +
    'Each item carries the row’s values as text (ids and phones never become numbers; Excel dates become UTC ISO strings) and `_import` ({ id, file, line }). ' +
    'A bad row is reported with its line number and the import goes on; importing the same file again starts no second run for a row.',
  category: 'trigger',
  locales: importTriggerLocales,
  icon: 'file-spreadsheet',
  pure: true,
  inputs: [],
  outputs: ['out'],
  configSchema: {
    type: 'object',
    properties: {
      format: { type: 'string', enum: [...FILE_FORMATS], default: 'auto', title: 'Format', description: '`auto` tells .xlsx (a zip) from CSV by the file’s first bytes.' },
      encoding: {
        type: 'string',
        enum: [...FILE_ENCODINGS],
        default: 'auto',
        title: 'Text encoding (CSV)',
        description: '`auto`: a BOM decides, else valid UTF-8 is UTF-8, else GB18030 (a superset of GBK, what Excel and WPS write on Chinese Windows) unless the bytes are clearly Big5 or another encoding.',
      },
      delimiter: { type: 'string', enum: [...CSV_DELIMITERS], default: 'auto', title: 'Delimiter (CSV)', description: '`auto` picks the one of , tab ; | that splits the header most often.' },
      sheet: { type: 'string', minLength: 1, maxLength: 100, title: 'Sheet (xlsx)', description: 'A sheet name, or its position among the tabs (`1` is the first). Default: the first tab.' },
      headerRow: { type: 'integer', minimum: 1, maximum: 1000, default: 1, title: 'Header row', description: 'The row holding the column names; rows above it are skipped (a CSV’s blank lines are not counted).' },
      headerMap: {
        type: 'object',
        title: 'Header map',
        description: 'File header → item field, e.g. {"客户手机": "phone", "内部编号": ""} (an empty field drops the column). Other headers keep their own text as the field name.',
        propertyNames: { minLength: 1, maxLength: 200 },
        additionalProperties: { type: 'string', maxLength: 100 },
      },
      defaultHeaderMap: { type: 'boolean', default: true, title: 'Map common headers', description: `Also map well-known headers: ${knownHeaders}, …` },
      skipEmptyRows: { type: 'boolean', default: true, title: 'Skip empty rows' },
      maxErrors: { type: 'integer', minimum: 0, default: 1000, title: 'Stop after bad rows', description: 'The import stops (failed) after this many bad rows; rows imported before stay. 0: never stop.' },
    },
    additionalProperties: false,
  },
  sample: {
    config: { format: 'auto', encoding: 'auto', delimiter: 'auto', headerRow: 1, headerMap: { 客户手机: 'phone' }, defaultHeaderMap: true, skipEmptyRows: true, maxErrors: 1000 },
     input: [{ name: '张三', phone: '13800138000', city: '杭州', _import: { id: 'imp_1', file: 'customers.csv', line: 2 } }] },
  trigger: { kind: 'manual' },
});
