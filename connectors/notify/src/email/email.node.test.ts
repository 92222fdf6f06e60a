import { afterEach, describe, expect, it } from '@jest/globals';
import { describeNodeContract, InMemorySharedCache, NodeError, runNode } from '@tributary/node-sdk';
import { parseMail, startSmtpServer, type SmtpServer, type SmtpServerOptions } from '../__fixtures__/smtp-server.fixture.js';
import { smtpConnection } from '../connections/smtp.connection.js';
import { emailMessageId, emailNotifyNode } from './email.node.js';
import { resolveSmtpHost, smtpSettings } from './smtp-transport.util.js';

const now = new Date('2026-03-02T08:00:00.000Z');
const USERS = { 'sales@acme.example': 'app-password-1' };
let smtp: SmtpServer | undefined;

async function server(opts: SmtpServerOptions = {}): Promise<SmtpServer> {
  smtp = await startSmtpServer({ users: USERS, ...opts });
  return smtp;
}
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const secretsFor = (s: SmtpServer, extra: Record<string, string> = {}) => ({
  host: s.host,
  port: String(s.port),
  secure: 'false',
  user: 'sales@acme.example',
  password: USERS['sales@acme.example'],
  from: 'Acme 销售 <sales@acme.example>',
  allowPrivateNetwork: 'true',
  ...extra,
});

const baseConfig = {
  connection: 'conn_smtp',
  toField: 'owner.email',
  subject: '新线索：{{name}}（{{company}}）',
  text: '{{owner.name}}，你好：新线索 {{name}}，电话 {{phone}}。',
  html: '<p>{{owner.name}}，你好：</p><p>新线索 <b>{{name}}</b>，电话 {{phone}}。</p>',
  timeoutMs: 5000,
};

const lead = (name: string, email = 'zhang.wei@acme.example') => ({ name, company: '星河科技', phone: '+8613800138000', owner: { name: '张伟', email } });

describe('notify.email', () => {
  it('sends text and HTML through SMTP with AUTH PLAIN, placeholders filled and escaped in HTML', async () => {
    const s = await server({ authMethods: ['PLAIN'] });
    const out = await runNode(emailNotifyNode, {
      config: { ...baseConfig, cc: ['team@acme.example'], replyTo: 'help@acme.example' },
      secrets: secretsFor(s),
      items: [lead('Ada <script>alert(1)</script>'), lead('李雷', 'li.lei@acme.example')],
      now,
      runId: 'run-1',
      nodeId: 'mail',
    });
    expect(out.error).toEqual([]);
    expect(s.logins).toEqual([{ method: 'PLAIN', user: 'sales@acme.example', ok: true }]);
    expect(s.sessions).toBe(1); // one connection for the batch
    expect(s.mails).toHaveLength(2);

    const [first, second] = s.mails;
    expect(first!.from).toBe('sales@acme.example');
    expect(first!.to).toEqual(['zhang.wei@acme.example', 'team@acme.example']);
    const mail = parseMail(first!.data);
    expect(mail.headers.subject).toBe('新线索：Ada <script>alert(1)</script>（星河科技）');
    expect(mail.headers.from).toBe('Acme 销售 <sales@acme.example>');
    expect(mail.headers.to).toBe('zhang.wei@acme.example');
    expect(mail.headers.cc).toBe('team@acme.example');
    expect(mail.headers['reply-to']).toBe('help@acme.example');
    expect(mail.headers['message-id']).toBe(emailMessageId('run-1:mail:0', 'sales@acme.example'));
    expect(mail.headers['message-id']).toMatch(/^<[0-9a-f]{32}@acme\.example>$/);
    expect(mail.text?.trim()).toBe('张伟，你好：新线索 Ada <script>alert(1)</script>，电话 +8613800138000。');
    expect(mail.html?.trim()).toBe('<p>张伟，你好：</p><p>新线索 <b>Ada &lt;script&gt;alert(1)&lt;/script&gt;</b>，电话 +8613800138000。</p>');
    expect(second!.to).toEqual(['li.lei@acme.example', 'team@acme.example']);
    expect(parseMail(second!.data).headers.subject).toBe('新线索：李雷（星河科技）');

    expect(out.out[0]!.notification).toEqual({
      channel: 'email',
      messageId: emailMessageId('run-1:mail:0', 'sales@acme.example'),
      sentAt: now.toISOString(),
      accepted: ['zhang.wei@acme.example', 'team@acme.example'],
      rejected: [],
    });
  });

  it('logs in with AUTH LOGIN when that is what the server offers', async () => {
    const s = await server({ authMethods: ['LOGIN'] });
    const out = await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items: [lead('Ada')], now });
    expect(out.out).toHaveLength(1);
    expect(s.logins).toEqual([{ method: 'LOGIN', user: 'sales@acme.example', ok: true }]);
  });

  it('takes recipients from a list or a comma-separated field plus fixed ones, once each', async () => {
    const s = await server();
    await runNode(emailNotifyNode, {
      config: { connection: 'c', toField: 'emails', to: ['Boss <boss@acme.example>'], subject: 'Hi {{name}}', text: 'x', timeoutMs: 5000 },
      secrets: secretsFor(s),
      items: [{ name: 'A', emails: 'a@x.example, b@x.example; BOSS@acme.example' }, { name: 'B', emails: ['c@x.example'] }],
      now,
    });
    expect(s.mails.map((m) => m.to)).toEqual([
      ['boss@acme.example', 'a@x.example', 'b@x.example'],
      ['boss@acme.example', 'c@x.example'],
    ]);
  });

  it('sends items without a usable address to error and opens no connection for them', async () => {
    const s = await server();
    const out = await runNode(emailNotifyNode, {
      config: baseConfig,
      secrets: secretsFor(s),
      items: [{ name: 'no owner' }, lead('bad', 'not-an-address'), { ...lead('empty'), owner: { email: '' } }],
      now,
    });
    expect(out.out).toEqual([]);
    expect(out.error.map((e) => (e.error as { code: string }).code)).toEqual(['no_recipient', 'invalid_recipient', 'no_recipient']);
    expect(s.sessions).toBe(0);
  });

  it('sends an item whose recipient the server refuses (550) to error and carries on', async () => {
    const s = await server({ onRcpt: (a) => (a.startsWith('gone@') ? '550 5.1.1 <gone@acme.example>: Recipient address rejected: User unknown' : undefined) });
    const out = await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items: [lead('A', 'gone@acme.example'), lead('B')], now });
    expect(out.out).toHaveLength(1);
    expect(out.error).toEqual([
      {
        item: lead('A', 'gone@acme.example'),
        error: {
          code: 'smtp_refused',
          message: expect.stringContaining('refused the recipients (550): 550 5.1.1 <gone@acme.example>: Recipient address rejected'),
          details: { responseCode: 550, messageId: expect.stringMatching(/^<[0-9a-f]{32}@acme\.example>$/) },
        },
      },
    ]);
    expect(s.mails).toHaveLength(1);
  });

  it('reports recipients refused among accepted ones on the sent item', async () => {
    const s = await server({ onRcpt: (a) => (a === 'gone@acme.example' ? '550 5.1.1 User unknown' : undefined) });
    const out = await runNode(emailNotifyNode, { config: { ...baseConfig, cc: ['gone@acme.example'] }, secrets: secretsFor(s), items: [lead('A')], now });
    expect(out.out[0]!.notification).toMatchObject({ accepted: ['zhang.wei@acme.example'], rejected: ['gone@acme.example'] });
  });

  it('retries a 4xx after DATA; the retried step sends only what was not sent, with the same Message-ID', async () => {
    let busy = true;
    const s = await server({ onData: (m) => (busy && m.to.includes('li.lei@acme.example') ? '451 4.3.0 Try again later' : undefined) });
    const cache = new InMemorySharedCache();
    const items = [lead('A'), lead('B', 'li.lei@acme.example')];
    const err = (await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items, now, cache, runId: 'r', nodeId: 'm' }).catch((e: unknown) => e)) as NodeError;
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code: 'smtp_unavailable', retryable: true });
    expect(s.mails).toHaveLength(1);

    busy = false;
    const out = await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items, now, cache, runId: 'r', nodeId: 'm', attempt: 2 });
    expect(s.mails).toHaveLength(2);
    expect(parseMail(s.mails[1]!.data).headers['message-id']).toBe(emailMessageId('r:m:1', 'sales@acme.example'));
    expect(out.out).toHaveLength(2);

    await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items, now, cache, runId: 'r', nodeId: 'm', attempt: 3 });
    expect(s.mails).toHaveLength(2);
  });

  it('resends with the same Message-ID after a connection dropped during DATA', async () => {
    let drop = true;
    const s = await server({ onData: () => (drop ? ((drop = false), 'drop') : undefined) });
    const cache = new InMemorySharedCache();
    const err = (await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items: [lead('A')], now, cache, runId: 'r', nodeId: 'm' }).catch((e: unknown) => e)) as NodeError;
    expect(err.retryable).toBe(true);
    expect(await cache.get('notify:pending:r:m:0')).toBe(now.toISOString());
    await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s), items: [lead('A')], now, cache, runId: 'r', nodeId: 'm', attempt: 2 });
    expect(s.mails).toHaveLength(1);
    expect(parseMail(s.mails[0]!.data).headers['message-id']).toBe(emailMessageId('r:m:0', 'sales@acme.example'));
    expect(await cache.get('notify:pending:r:m:0')).toBeUndefined();
  });

  it('fails the step without retry when the login is refused', async () => {
    const s = await server();
    const err = (await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s, { password: 'wrong' }), items: [lead('A')], now }).catch((e: unknown) => e)) as NodeError;
    expect(err).toMatchObject({ code: 'smtp_auth_failed', retryable: false });
    expect(err.message).toContain('535');
    expect(err.message).not.toContain('wrong');
  });

  it('builds subject and bodies with JSONata instead of templates', async () => {
    const s = await server();
    await runNode(emailNotifyNode, {
      config: { connection: 'c', toField: 'email', messageExpression: '{ "subject": "Score " & $string(score), "html": "<h1>" & name & "</h1>" }', timeoutMs: 5000 },
      secrets: secretsFor(s),
      items: [{ name: 'Ada', email: 'ada@example.com', score: 80 }],
      now,
    });
    const mail = parseMail(s.mails[0]!.data);
    expect(mail.headers.subject).toBe('Score 80');
    expect(mail.html?.trim()).toBe('<h1>Ada</h1>');
  });

  it('refuses a loopback SMTP host unless the connection allows the private network', async () => {
    const s = await server();
    const err = (await runNode(emailNotifyNode, { config: baseConfig, secrets: secretsFor(s, { allowPrivateNetwork: 'false' }), items: [lead('A')], now }).catch((e: unknown) => e)) as NodeError;
    expect(err).toMatchObject({ code: 'smtp_blocked', retryable: false });
    expect(s.sessions).toBe(0);

    const settings = (host: string) => smtpSettings({ host, from: 'a@b.example' });
    await expect(resolveSmtpHost(settings('smtp.internal.example'), async () => ['10.0.0.5'])).rejects.toMatchObject({ code: 'smtp_blocked' });
    await expect(resolveSmtpHost(settings('smtp.internal.example'), async () => ['::ffff:169.254.169.254'])).rejects.toMatchObject({ code: 'smtp_blocked' });
    await expect(resolveSmtpHost(settings('smtp.exmail.qq.com'), async () => ['10.0.0.5', '203.0.113.7'])).resolves.toBe('203.0.113.7');
    await expect(resolveSmtpHost(settings('nowhere.example'), async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })))).rejects.toMatchObject({ code: 'smtp_dns', retryable: false });
  });

  it('names a connection without host or from', async () => {
    await expect(runNode(emailNotifyNode, { config: baseConfig, secrets: { host: 'smtp.example.com' }, items: [lead('A')] })).rejects.toThrow(/"from" is missing/);
  });
});

describe('smtp connection check', () => {
  it('passes with the right login and names the problem with a wrong one', async () => {
    const s = await server();
    await expect(smtpConnection.check!(secretsFor(s), { http: { request: () => Promise.reject(new Error('unused')) }, now: () => now })).resolves.toBeUndefined();
    await expect(smtpConnection.check!(secretsFor(s, { password: 'nope' }), { http: { request: () => Promise.reject(new Error('unused')) }, now: () => now })).rejects.toThrow(
      /refused the login for "sales@acme.example": 535/,
    );
    await expect(smtpConnection.check!({ ...secretsFor(s), host: '' }, { http: { request: () => Promise.reject(new Error('unused')) }, now: () => now })).rejects.toThrow(/"host" is missing/);
  });
});

await describeNodeContract(emailNotifyNode);
