import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { describeNodeContract, InMemorySharedCache, NodeError, runNode } from '@tributary/node-sdk';
import { startAliyunSmsServer, type AliyunSmsServer } from '../__fixtures__/aliyun-sms-server.fixture.js';
import { realHttpClient } from '../__fixtures__/http-server.fixture.js';
import { smsConnection } from '../connections/sms.connection.js';
import { aliyunOutId } from './aliyun-sms.provider.js';
import { smsNotifyNode } from './sms.node.js';

const now = new Date('2026-03-02T08:00:00.000Z');
const KEY_ID = 'LTAI5tExampleKeyId';
const KEY_SECRET = 'ExampleAccessKeySecret0123456789';
let server: AliyunSmsServer;
const http = realHttpClient();

beforeAll(async () => {
  server = await startAliyunSmsServer({ [KEY_ID]: KEY_SECRET }, () => now);
});
afterAll(async () => {
  http.close();
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  server.sent.length = 0;
  server.onSend = () => undefined;
  server.signStatus = 1;
});

const secrets = (extra: Record<string, string> = {}) => ({ provider: 'aliyun', accessKeyId: KEY_ID, accessKeySecret: KEY_SECRET, signName: '星河科技', ...extra });
const config = (extra: Record<string, unknown> = {}) => ({
  connection: 'conn_sms',
  phoneField: 'phone',
  templateId: 'SMS_154950909',
  templateParams: { name: '{{name}}', owner: '{{owner.name}}' },
  apiBaseUrl: server.baseUrl,
  allowPrivateNetwork: true,
  ...extra,
});
const run = (opts: Partial<Parameters<typeof runNode>[1]> & { items: Record<string, unknown>[] }) =>
  runNode(smsNotifyNode, { config: config(), secrets: secrets(), http, now, ...opts });

describe('notify.sms (Aliyun)', () => {
  it('sends a signed SendSms per item with the template, its parameters and our OutId', async () => {
    const out = await run({ items: [{ name: 'Ada', phone: '+86 138-0013-8000', owner: { name: '张伟' } }, { name: '李雷', phone: 13900139000 }], runId: 'r', nodeId: 's' });
    expect(out.error).toEqual([]);
    expect(server.sent).toEqual([
      { PhoneNumbers: '13800138000', SignName: '星河科技', TemplateCode: 'SMS_154950909', TemplateParam: '{"name":"Ada","owner":"张伟"}', OutId: aliyunOutId('r:s:0'), BizId: '900619746936498440^0' },
      { PhoneNumbers: '13900139000', SignName: '星河科技', TemplateCode: 'SMS_154950909', TemplateParam: '{"name":"李雷","owner":""}', OutId: aliyunOutId('r:s:1'), BizId: '900619746936498441^0' },
    ]);
    // Form-encoded POST: the number and parameters never appear in a URL (or a log line quoting one).
    expect(server.received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(server.received[0]!.query)).toEqual([]);
    expect(out.out[0]!.notification).toEqual({
      channel: 'sms',
      messageId: '900619746936498440^0',
      sentAt: now.toISOString(),
      provider: 'aliyun',
      to: '+8613800138000',
      templateId: 'SMS_154950909',
      requestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990',
    });
  });

  it('takes template and parameters from the item when told to, and the signature from the node', async () => {
    await run({
      config: config({ phoneField: 'owner.phone', templateId: undefined, templateIdField: 'tpl', templateParams: {}, templateParamsExpression: '{ "days": days, "name": $substring(name, 0, 3) }', signName: '星河CRM' }),
      items: [{ name: 'Adalovelace', tpl: 'SMS_200000001', days: 3, owner: { phone: '18600000000' } }],
    });
    expect(server.sent[0]).toMatchObject({ PhoneNumbers: '18600000000', SignName: '星河CRM', TemplateCode: 'SMS_200000001', TemplateParam: '{"days":"3","name":"Ada"}' });
  });

  it('sends bad numbers and refused messages to error, and carries on', async () => {
    server.onSend = (p) => (p.PhoneNumbers === '13700000000' ? { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' } : p.PhoneNumbers === '13600000000' ? { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' } : undefined);
    const out = await run({ items: [{ phone: 'n/a' }, {}, { phone: '+85291234567' }, { phone: '13700000000' }, { phone: '13600000000' }, { phone: '13500000000' }] });
    expect(out.out).toHaveLength(1);
    expect(out.error.map((e) => e.error)).toEqual([
      { code: 'invalid_phone', message: '"n/a" is not a phone number' },
      { code: 'no_recipient', message: 'the item has no phone number in "phone"' },
      { code: 'invalid_phone', message: expect.stringMatching(/outside mainland China/) },
      { code: 'sms_refused', message: 'Aliyun SMS: SendSms answered isv.MOBILE_NUMBER_ILLEGAL: 非法手机号', details: { code: 'isv.MOBILE_NUMBER_ILLEGAL', requestId: 'REQ-1' } },
      { code: 'sms_refused', message: 'Aliyun SMS: SendSms answered isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1', details: { code: 'isv.BUSINESS_LIMIT_CONTROL', requestId: 'REQ-1' } },
    ]);
  });

  it('retries throttling and outages; the retried step signs afresh and sends each message once', async () => {
    const cache = new InMemorySharedCache();
    let answer: 'throttle' | 'down' | 'ok' = 'throttle';
    server.onSend = (p) => (p.PhoneNumbers !== '13800138000' ? undefined : answer === 'throttle' ? { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', status: 400 } : answer === 'down' ? { Code: 'ServiceUnavailable', status: 503 } : undefined);
    const items = [{ phone: '13900139000', name: 'a' }, { phone: '13800138000', name: 'b' }];
    const first = (await run({ items, cache, runId: 'r', nodeId: 's' }).catch((e: unknown) => e)) as NodeError;
    expect(first).toMatchObject({ retryable: true });
    expect(first.message).toContain('Throttling.User');
    answer = 'down';
    const second = (await run({ items, cache, runId: 'r', nodeId: 's', attempt: 2 }).catch((e: unknown) => e)) as NodeError;
    expect(second).toMatchObject({ retryable: true });
    answer = 'ok';
    const out = await run({ items, cache, runId: 'r', nodeId: 's', attempt: 3 });
    expect(out.out).toHaveLength(2);
    expect(server.sent.map((s) => s.PhoneNumbers)).toEqual(['13900139000', '13800138000']);
    const nonces = server.received.map((r) => (r.body as { SignatureNonce: string }).SignatureNonce);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('after an attempt whose answer was lost, finds the message by OutId instead of sending it twice', async () => {
    const cache = new InMemorySharedCache();
    server.onSend = () => 'accept-and-drop';
    const items = [{ phone: '13800138000', name: 'Ada' }];
    const err = (await run({ items, cache, runId: 'r', nodeId: 's' }).catch((e: unknown) => e)) as NodeError;
    expect(err).toMatchObject({ retryable: true });
    expect(server.sent).toHaveLength(1);

    server.onSend = () => undefined;
    const out = await run({ items, cache, runId: 'r', nodeId: 's', attempt: 2 });
    expect(server.sent).toHaveLength(1);
    const actions = server.received.map((r) => (r.body as { Action: string }).Action);
    expect(actions).toEqual(['SendSms', 'QuerySendDetails']);
    expect(server.received[1]!.body).toMatchObject({ PhoneNumber: '13800138000', SendDate: '20260302' });
    expect(out.out[0]!.notification).toMatchObject({ channel: 'sms', messageId: aliyunOutId('r:s:0'), reconciled: true, sendStatus: 3 });
  });

  it('sends again after a lost answer when Aliyun has no such message', async () => {
    const cache = new InMemorySharedCache();
    server.onSend = () => 'drop';
    const items = [{ phone: '13800138000', name: 'Ada' }];
    await expect(run({ items, cache, runId: 'r', nodeId: 's' })).rejects.toMatchObject({ retryable: true });
    server.onSend = () => undefined;
    await run({ items, cache, runId: 'r', nodeId: 's', attempt: 2 });
    expect(server.received.map((r) => (r.body as { Action: string }).Action)).toEqual(['SendSms', 'QuerySendDetails', 'SendSms']);
    expect(server.sent).toHaveLength(1);
  });

  it('fails the step without retry when the AccessKey is wrong, without leaking it', async () => {
    const err = (await run({ secrets: secrets({ accessKeySecret: 'not-the-secret' }), items: [{ phone: '13800138000' }] }).catch((e: unknown) => e)) as NodeError;
    expect(err).toMatchObject({ code: 'sms_account', retryable: false });
    expect(err.message).toContain('the accessKeySecret is wrong');
    expect(err.message).not.toContain('not-the-secret');
    const unknown = (await run({ secrets: secrets({ accessKeyId: 'LTAI-nope' }), items: [{ phone: '13800138000' }] }).catch((e: unknown) => e)) as NodeError;
    expect(unknown.message).toContain('the accessKeyId does not exist');
    await expect(run({ secrets: { accessKeyId: KEY_ID }, items: [{ phone: '13800138000' }] })).rejects.toThrow(/"accessKeySecret" is missing/);
    await expect(run({ secrets: secrets({ provider: 'twilio' }), items: [{ phone: '13800138000' }] })).rejects.toThrow(/unknown provider "twilio"/);
  });
});

describe('sms connection check', () => {
  const check = (s: Record<string, string>) => smsConnection.check!({ ...s, apiBaseUrl: server.baseUrl, allowPrivateNetwork: 'true' }, { http, now: () => now });

  it('proves the key pair and the signature with GetSmsSign', async () => {
    await expect(check(secrets())).resolves.toBeUndefined();
    expect(server.received[0]!.body).toMatchObject({ Action: 'GetSmsSign', SignName: '星河科技' });
    expect(server.sent).toHaveLength(0);
  });

  it('names what is wrong', async () => {
    await expect(check(secrets({ accessKeySecret: 'wrong' }))).rejects.toThrow(/the accessKeySecret is wrong/);
    server.signStatus = 0;
    await expect(check(secrets())).rejects.toThrow('the signature "星河科技" is still under review');
    server.signStatus = 2;
    await expect(check(secrets())).rejects.toThrow('the signature "星河科技" was rejected: 资质信息无法证明签名真实性');
  });
});

await describeNodeContract(smsNotifyNode);
