import { defineConnector } from '@tributary/node-sdk';
import { importTrigger } from './nodes/import.trigger.js';
import { filesConnectorLocales } from './files.connector.locale.js';

export const filesConnector = defineConnector({
  id: 'files',
  title: 'Files',
  description: 'Bulk import of CSV and Excel (.xlsx) files through a flow: one run per row, streamed, with encoding detection, header mapping and line-numbered row errors.',
  locales: filesConnectorLocales,
  nodes: [importTrigger],
});
