import { NodeError } from '@tributary/node-sdk';
import { createAliyunSmsProvider } from './aliyun-sms.provider.js';
import type { SmsProvider, SmsProviderOptions } from './sms-provider.js';

/** The vendors an `sms` connection can name in its `provider` secret. */
export const SMS_PROVIDERS = {
  aliyun(secrets: Record<string, string>, opts: SmsProviderOptions, bad: (message: string) => Error): SmsProvider {
    for (const k of ['accessKeyId', 'accessKeySecret'] as const) if (!secrets[k]?.trim()) throw bad(`"${k}" is missing`);
    return createAliyunSmsProvider(
      { accessKeyId: secrets.accessKeyId!.trim(), accessKeySecret: secrets.accessKeySecret!.trim(), signName: secrets.signName?.trim() || undefined, regionId: secrets.regionId?.trim() || 'cn-hangzhou' },
      { ...opts, apiBaseUrl: opts.apiBaseUrl ?? (secrets.apiBaseUrl || undefined), allowPrivateNetwork: opts.allowPrivateNetwork || secrets.allowPrivateNetwork === 'true' },
    );
  },
} as const;

/** The provider of an `sms` connection; a connection problem is a non-retryable NodeError. */
export function smsProviderFor(secrets: Record<string, string> | undefined, opts: SmsProviderOptions, connection = '(none)'): SmsProvider {
  const s = secrets ?? {};
  const bad = (message: string) => new NodeError('invalid_connection', `sms connection ${connection}: ${message}`, { retryable: false });
  const name = s.provider?.trim() || 'aliyun';
  const factory = (SMS_PROVIDERS as Record<string, (typeof SMS_PROVIDERS)['aliyun']>)[name];
  if (!factory) throw bad(`unknown provider "${name}" (known: ${Object.keys(SMS_PROVIDERS).join(', ')})`);
  return factory(s, opts, bad);
}
