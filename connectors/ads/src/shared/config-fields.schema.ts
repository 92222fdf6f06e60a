import type { ConfigIssue, JsonSchema } from '@tributary/node-sdk';

// Config fields the ads nodes share, so the editor shows them alike everywhere.

export const connectionField = (vendor: string, secrets: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  title: 'Connection',
  description: `The ${vendor} connection holding ${secrets}.`,
});

export const allowPrivateNetworkField: JsonSchema = {
  type: 'boolean',
  default: false,
  title: 'Allow private network',
  description: 'Let the base URL point at loopback or private addresses (an on-premise proxy or a test server). Off in production.',
};

export const requestsPerMinuteField = (dflt: number): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  maximum: 6000,
  default: dflt,
  title: 'Requests per minute',
  description: 'Calls to the vendor per minute for this connection, shared by every worker.',
});

/** Settings of a poller that reads leads by creation-time windows. */
export interface LeadPollConfig {
  connection: string;
  intervalSeconds: number;
  overlapMinutes: number;
  maxWindowHours: number;
  initialLookbackHours: number;
  pageSize: number;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

export function leadPollFields(opts: { maxWindowHours: number; maxPageSize: number; pageSize: number }): Record<string, JsonSchema> {
  return {
    intervalSeconds: { type: 'integer', minimum: 30, maximum: 86400, default: 120, title: 'Poll every (seconds)' },
    overlapMinutes: {
      type: 'integer',
      minimum: 0,
      maximum: 1440,
      default: 10,
      title: 'Overlap (minutes)',
      description: 'Each poll reads again this far before where the last one ended, for leads the platform shows late. Repeats are recognised by lead id and start no second run.',
    },
    maxWindowHours: {
      type: 'integer',
      minimum: 1,
      maximum: opts.maxWindowHours,
      default: Math.min(24, opts.maxWindowHours),
      title: 'Longest window (hours)',
      description: 'A backfill or a long pause is read in windows of at most this length, one after another.',
    },
    initialLookbackHours: {
      type: 'integer',
      minimum: 0,
      maximum: 24 * 90,
      default: 24,
      title: 'First poll looks back (hours)',
      description: 'How far back a newly published flow starts. Use a backfill to go further.',
    },
    pageSize: { type: 'integer', minimum: 1, maximum: opts.maxPageSize, default: opts.pageSize, title: 'Page size' },
    requestsPerMinute: requestsPerMinuteField(60),
    allowPrivateNetwork: allowPrivateNetworkField,
  };
}

/** The window must be longer than the overlap, or a catch-up would never move forward. */
export function checkLeadPollConfig(config: Pick<LeadPollConfig, 'overlapMinutes' | 'maxWindowHours'>): ConfigIssue[] {
  return config.maxWindowHours * 60 > config.overlapMinutes
    ? []
    : [{ path: '/maxWindowHours', message: `must be longer than the overlap (${config.overlapMinutes} minutes)` }];
}

export const windowOptions = (c: Pick<LeadPollConfig, 'overlapMinutes' | 'maxWindowHours'>, parts = 1) => ({
  overlapSeconds: c.overlapMinutes * 60,
  maxWindowSeconds: c.maxWindowHours * 3600,
  parts,
});
