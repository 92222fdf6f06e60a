import type { HttpClient, SharedCache } from '@tributary/node-sdk';

// notify.sms talks to SMS vendors through this interface; Aliyun is the one implementation
// (aliyun-sms.provider.ts). Another vendor (Tencent Cloud, a local gateway) is one more file
// and one more entry in SMS_PROVIDERS.

export interface SmsSendContext {
  http: HttpClient;
  cache: SharedCache;
  signal: AbortSignal;
  now(): Date;
  /** Stable across retries of the step: providers pass it to the vendor where it takes one. */
  idempotencyKey: string;
  /** The approved signature (签名) to send with, when the node overrides the connection's. */
  signName?: string;
}

export interface SmsSent {
  /** The vendor's id for the message (Aliyun BizId). */
  messageId: string;
  details?: Record<string, unknown>;
}

export interface SmsProvider {
  readonly id: string;
  /**
   * Sends template `templateId` with `params` to `to` (E.164). Throws SmsRefusedError when the
   * vendor refuses this message (bad number, template parameters), a retryable VendorApiError
   * when it is busy, and a non-retryable NodeError when the connection itself is wrong.
   */
  send(to: string, templateId: string, params: Record<string, string>, ctx: SmsSendContext): Promise<SmsSent>;
  /** The message sent with `ctx.idempotencyKey` to `to` since `since`, if the vendor has it (after an attempt with no answer). */
  findSent?(to: string, since: Date, ctx: SmsSendContext): Promise<SmsSent | undefined>;
  /** Proves the credentials (and the signature name) with a call that sends nothing. */
  check(ctx: { http: HttpClient; now(): Date }): Promise<void>;
}

/** The vendor refused this one message for good; the item goes to `error` with this code. */
export class SmsRefusedError extends Error {
  readonly answered = true;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SmsRefusedError';
  }
}

export interface SmsProviderOptions {
  apiBaseUrl?: string;
  allowPrivateNetwork: boolean;
  /** The connection id: every worker shares one rate-limit window per connection. */
  rateLimitKey?: string;
}
