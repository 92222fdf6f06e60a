import {
  defaultDecode,
  defineNode,
  header,
  isPlainObject,
  PayloadError,
  safeEqual,
  type TriggerEvent,
  type VerifyResult,
  type WebhookRequest,
} from '@tributary/node-sdk';
import { connectionField } from '../shared/config-fields.schema.js';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { mapClue } from './clue-fields.util.js';
import { oceanenginePushTriggerLocales } from './push.trigger.locale.js';

export interface OceanenginePushConfig {
  connection: string;
  mode: 'hint' | 'lead';
  tokenParam: string;
}

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

function decodePush(req: Pick<WebhookRequest, 'headers' | 'rawBody'>): unknown {
  const type = (header(req, 'content-type') ?? '').toLowerCase();
  if (type.includes('form-urlencoded')) return defaultDecode(req);
  const body = req.rawBody.toString('utf8').replace(/^\uFEFF/, '');
  if (body.trim() === '') return {};
  try {
    return parseJsonExact(body);
  } catch (err) {
    throw new PayloadError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Feiyu publishes no signature for its lead push (connectors.md §4), so the push URL carries
 * a per-connection secret: `?token=<pushToken>`, or a `token` field the push template adds.
 */
export function verifyPushToken(req: WebhookRequest, expected: string | undefined, param: string): VerifyResult {
  if (!expected) return deny('the connection has no "pushToken"; the push URL cannot be checked without it');
  let given = req.query[param] ?? header(req, `x-${param}`);
  if (given === undefined) {
    try {
      const payload = decodePush(req);
      if (isPlainObject(payload) && typeof payload[param] === 'string') given = payload[param];
    } catch {
      // an unreadable body carries no token either
    }
  }
  if (!given) return deny(`missing push token: add ?${param}=<pushToken> to the push URL`);
  return safeEqual(given, expected) ? { ok: true } : deny('push token does not match');
}

/** The clues in a push body: an array, `{data: [...]}`, `{data: {...}}` or a single clue. */
export function cluesOf(payload: unknown, tokenParam: string): Record<string, unknown>[] {
  const list = Array.isArray(payload)
    ? payload
    : isPlainObject(payload) && Array.isArray(payload.data)
      ? payload.data
      : isPlainObject(payload) && isPlainObject(payload.data)
        ? [payload.data]
        : [payload];
  // The token is a secret: it never reaches an item.
  return list.filter(isPlainObject).map(({ [tokenParam]: _token, ...clue }) => clue);
}

export const oceanenginePushTrigger = defineNode<OceanenginePushConfig>({
  id: 'oceanengine.push',
  version: 1,
  title: 'Ocean Engine lead push (巨量引擎 线索推送)',
  description:
    'Receives Feiyu’s lead push (线索推送). Feiyu signs nothing, so the URL carries the connection’s pushToken. In hint mode (default) the push is only logged: oceanengine.leads, the signed pull API, stays the source of truth. In lead mode each pushed clue starts a run keyed by clue_id, with the same item shape as the poller.',
  category: 'trigger',
  locales: oceanenginePushTriggerLocales,
  icon: 'douyin',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'oceanengine', required: true },
  configSchema: {
    type: 'object',
    required: ['connection'],
    properties: {
      connection: connectionField('oceanengine', 'pushToken'),
      mode: {
        type: 'string',
        enum: ['hint', 'lead'],
        default: 'hint',
        title: 'Mode',
        description:
          'hint: acknowledge and log the clue ids; leads come from oceanengine.leads. lead: one run per pushed clue (use it instead of the poller, not together: the two triggers do not share dedupe keys).',
      },
      tokenParam: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'token', title: 'Token parameter', description: 'Query parameter (or template field) carrying the push token.' },
    },
    additionalProperties: false,
  },
  sample: { config: { connection: 'conn_oceanengine', mode: 'hint', tokenParam: 'token' }, input: [] },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify: (req, ctx) => verifyPushToken(req, ctx.secrets?.pushToken, ctx.config.tokenParam),
    decode: (req) => decodePush(req),
    map(payload, _req, ctx) {
      const clues = cluesOf(payload, ctx.config.tokenParam);
      if (ctx.config.mode === 'hint') {
        const clueIds = clues.map((c) => mapClue(c)?.id).filter((id): id is string => id !== undefined);
        ctx.log.info('oceanengine push received; the pull API delivers these leads', { node: ctx.node.id, clueIds: clueIds.slice(0, 50), count: clues.length });
        return [];
      }
      const events: TriggerEvent[] = [];
      for (const clue of clues) {
        const lead = mapClue(clue);
        if (!lead) throw new PayloadError('a pushed clue has no clue_id: add clue_id to the Feiyu push template');
        events.push(lead.event);
      }
      return events;
    },
    respond: () => ({ status: 200, body: { code: 0, msg: 'success' } }),
  },
});
