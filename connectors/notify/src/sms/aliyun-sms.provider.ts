import { createHash, randomUUID } from 'node:crypto';
import { createVendorClient, InMemorySharedCache, NodeError, VendorApiError, type HttpClient, type SharedCache } from '@tributary/node-sdk';
import { aliyunTimestamp, signedForm } from './aliyun-signature.util.js';
import { SmsRefusedError, type SmsProvider, type SmsProviderOptions, type SmsSendContext, type SmsSent } from './sms-provider.js';

// Alibaba Cloud SMS (dysmsapi, API version 2017-05-25): SendSms to send, QuerySendDetails to
// find a message by our OutId after an attempt that got no answer, GetSmsSign to check a
// connection. RPC style: every parameter in a form body, signed (aliyun-signature.util.ts).

export const ALIYUN_SMS_BASE_URL = 'https://dysmsapi.aliyuncs.com';
const API_VERSION = '2017-05-25';

export interface AliyunSmsSettings {
  accessKeyId: string;
  accessKeySecret: string;
  signName?: string;
  regionId: string;
}

/** Codes that say "later": Aliyun is busy or throttling us, or saw our nonce (a fresh one is used next time). */
const RETRYABLE = (code: string) => code === 'isp.SYSTEM_ERROR' || code === 'ServiceUnavailable' || code === 'InternalError' || code === 'SignatureNonceUsed' || code.startsWith('Throttling');

/** Codes that are the connection's or the account's: every message would fail alike. */
const ACCOUNT_ERRORS: Record<string, string> = {
  'InvalidAccessKeyId.NotFound': 'the accessKeyId does not exist',
  'InvalidAccessKeyId.Inactive': 'the accessKeyId is disabled',
  SignatureDoesNotMatch: 'the accessKeySecret is wrong',
  IncompleteSignature: 'the request signature was refused',
  'InvalidTimeStamp.Expired': 'this server’s clock is off by more than 15 minutes',
  'isp.RAM_PERMISSION_DENY': 'the RAM user lacks the dysms:SendSms permission',
  'Forbidden.RAM': 'the RAM user lacks the permission for this call',
  'isv.ACCOUNT_NOT_EXISTS': 'the account does not exist',
  'isv.ACCOUNT_ABNORMAL': 'the account is abnormal',
  'isv.AMOUNT_NOT_ENOUGH': 'the account balance is too low',
  'isv.OUT_OF_SERVICE': 'the account is out of service (overdue)',
  'isv.SMS_SIGNATURE_ILLEGAL': 'the signature name is not approved for this account',
  'isv.SIGN_STATE_ILLEGAL': 'the signature is not usable',
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': 'the signature type does not allow this template',
  'isv.DAY_LIMIT_CONTROL': 'the daily sending limit set in the console was reached',
  'isv.MONTH_LIMIT_CONTROL': 'the monthly sending limit set in the console was reached',
  'isv.DENY_IP_RANGE': 'this server’s IP region is not allowed to send mainland SMS',
};
const accountError = (code: string) => ACCOUNT_ERRORS[code] ?? (code.startsWith('InvalidAccessKeyId') ? 'the accessKeyId is not valid' : undefined);

/** Aliyun's PhoneNumbers: 11 digits for mainland numbers, country code + number (no "+") otherwise. */
export function aliyunPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

/** OutId: our key for the message, echoed in QuerySendDetails and delivery receipts. */
export function aliyunOutId(idempotencyKey: string): string {
  return `tri${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32)}`;
}

/** yyyyMMdd in China Standard Time, the calendar QuerySendDetails files messages under. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

interface AliyunAnswer {
  Code?: string;
  Message?: string;
  RequestId?: string;
  [field: string]: unknown;
}

export function createAliyunSmsProvider(settings: AliyunSmsSettings, opts: SmsProviderOptions): SmsProvider {
  async function call(deps: { http: HttpClient; cache: SharedCache; signal?: AbortSignal; now(): Date }, action: string, params: Record<string, string>): Promise<AliyunAnswer> {
    const client = createVendorClient(
      { http: deps.http, cache: deps.cache, signal: deps.signal, now: deps.now },
      {
        vendor: 'aliyun-sms',
        baseUrl: opts.apiBaseUrl ?? ALIYUN_SMS_BASE_URL,
        allowPrivateNetwork: opts.allowPrivateNetwork,
        // A signed request cannot be replayed as is (its nonce is spent): the step retries, signing afresh.
        maxAttempts: 1,
        timeoutMs: 10_000,
        ...(opts.rateLimitKey ? { rateLimit: { key: opts.rateLimitKey, requests: 100, perSeconds: 1 } } : {}),
      },
    );
    const form = signedForm(
      {
        AccessKeyId: settings.accessKeyId,
        Action: action,
        Format: 'JSON',
        RegionId: settings.regionId,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: randomUUID(),
        SignatureVersion: '1.0',
        Timestamp: aliyunTimestamp(deps.now()),
        Version: API_VERSION,
        ...params,
      },
      settings.accessKeySecret,
      'POST',
    );
    const res = await client.request({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, okStatuses: (s) => s < 500 });
    let answer: AliyunAnswer;
    try {
      answer = (res.json ?? JSON.parse(res.body)) as AliyunAnswer;
    } catch {
      throw new VendorApiError('aliyun-sms', `aliyun-sms: ${action} answered ${res.status} without JSON`, res.status, { retryable: false, body: res.body });
    }
    const code = String(answer.Code ?? '');
    if (code === 'OK') return answer;
    const why = `${action} answered ${code || `HTTP ${res.status}`}: ${String(answer.Message ?? '')}`;
    if (RETRYABLE(code)) throw new VendorApiError('aliyun-sms', `aliyun-sms: ${why}`, res.status, { retryable: true });
    const account = accountError(code);
    if (account) throw new NodeError('sms_account', `Aliyun SMS refused the connection (${account}): ${why}`, { retryable: false, details: { code, requestId: answer.RequestId } });
    throw new SmsRefusedError('sms_refused', `Aliyun SMS: ${why}`, { code, requestId: answer.RequestId });
  }

  return {
    id: 'aliyun',

    async send(to, templateId, params, ctx: SmsSendContext): Promise<SmsSent> {
      const signName = ctx.signName ?? settings.signName;
      if (!signName) throw new NodeError('invalid_connection', 'no SMS signature name (签名): set "signName" on the sms connection or the node', { retryable: false });
      const answer = await call(ctx, 'SendSms', {
        PhoneNumbers: aliyunPhone(to),
        SignName: signName,
        TemplateCode: templateId,
        ...(Object.keys(params).length ? { TemplateParam: JSON.stringify(params) } : {}),
        OutId: aliyunOutId(ctx.idempotencyKey),
      });
      return { messageId: String(answer.BizId ?? aliyunOutId(ctx.idempotencyKey)), details: { requestId: answer.RequestId } };
    },

    async findSent(to, since, ctx) {
      const outId = aliyunOutId(ctx.idempotencyKey);
      const dates = [...new Set([chinaDate(since), chinaDate(ctx.now())])];
      for (const date of dates) {
        const answer = await call(ctx, 'QuerySendDetails', { PhoneNumber: aliyunPhone(to), SendDate: date, PageSize: '50', CurrentPage: '1' });
        const dtos = (answer.SmsSendDetailDTOs as { SmsSendDetailDTO?: unknown } | undefined)?.SmsSendDetailDTO;
        const found = Array.isArray(dtos) ? (dtos as { OutId?: unknown; SendStatus?: unknown }[]).find((d) => d.OutId === outId) : undefined;
        // SendStatus 2 is a failed send: no message reached the phone, so sending again is right.
        if (found && Number(found.SendStatus) !== 2) return { messageId: outId, details: { reconciled: true, sendStatus: Number(found.SendStatus) } };
      }
      return undefined;
    },

    async check({ http, now }) {
      if (!settings.signName) return void (await call({ http, cache: new InMemorySharedCache(), now }, 'QuerySmsSignList', { PageIndex: '1', PageSize: '1' }));
      const answer = await call({ http, cache: new InMemorySharedCache(), now }, 'GetSmsSign', { SignName: settings.signName });
      const status = Number(answer.SignStatus);
      if (status === 0) throw new Error(`the signature "${settings.signName}" is still under review`);
      if (status === 2) {
        const reason = (answer.AuditInfo as { RejectInfo?: unknown } | undefined)?.RejectInfo ?? answer.Reason ?? '';
        throw new Error(`the signature "${settings.signName}" was rejected: ${String(reason)}`);
      }
      if (status === 10) throw new Error(`the signature "${settings.signName}" was withdrawn from review`);
    },
  };
}
