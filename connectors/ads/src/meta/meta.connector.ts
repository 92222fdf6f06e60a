import { defineConnector } from '@tributary/node-sdk';
import { metaLeadAdsTrigger } from './lead-ads.trigger.js';
import { checkMetaConnection, metaAuthSchema } from './meta-auth.js';
import { metaConnectorLocales } from './meta.connector.locale.js';

export const metaConnector = defineConnector({
  id: 'meta',
  title: 'Meta (Facebook / Instagram)',
  description: 'Facebook and Instagram lead ads: the leadgen webhook, leads fetched from the Graph API, conversions reported through ads.convert.',
  locales: metaConnectorLocales,
  auth: metaAuthSchema,
  check: checkMetaConnection,
  nodes: [metaLeadAdsTrigger],
});
