import { NodeError } from '@tributary/node-sdk';
import { openSmtpTransport, smtpSettings } from '../email/smtp-transport.util.js';
import { defineConnection } from './define-connection.util.js';
import { smtpConnectionLocales } from './smtp.connection.locale.js';

export const smtpAuthSchema = {
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1, title: 'Host', description: 'The SMTP server, e.g. smtp.exmail.qq.com (Tencent Exmail), smtp.qiye.aliyun.com or smtp.office365.com.' },
    port: { type: 'string', pattern: '^[0-9]{1,5}$', title: 'Port', description: '465 with secure "true"; 587 (or 25) with secure "false", upgraded with STARTTLS when the server offers it. Default 465 or 587.' },
    secure: { type: 'string', enum: ['true', 'false'], title: 'Secure (TLS from the start)', description: '"true" for port 465; "false" for 587/25.' },
    user: { type: 'string', minLength: 1, title: 'User', description: 'The login, usually the mailbox address. Leave out for a relay that takes mail without login.' },
    password: { type: 'string', minLength: 1, title: 'Password', description: 'The password or the app-specific password (客户端专用密码 / 授权码) the mail provider issues for SMTP.' },
    from: { type: 'string', minLength: 3, title: 'From', description: 'The sender, e.g. "Acme 销售 <sales@acme.example>"; most servers require it to be the login’s own address.' },
    requireTLS: { type: 'string', enum: ['true', 'false'], title: 'Require STARTTLS', description: 'Optional: "true" refuses to send over a port-587/25 connection the server does not upgrade to TLS.' },
    allowPrivateNetwork: { type: 'string', enum: ['true', 'false'], title: 'Allow private network', description: 'Optional: "true" for an on-premise relay on a private or loopback address.' },
  },
  required: ['host', 'from'],
  additionalProperties: false,
} as const;

export const smtpConnection = defineConnection({
  id: 'smtp',
  title: 'SMTP (email)',
  description: 'An SMTP server and mailbox that notify.email sends through.',
  locales: smtpConnectionLocales,
  auth: smtpAuthSchema,
  // Connects, upgrades to TLS where offered and logs in (nodemailer verify): a wrong password,
  // port or TLS setting shows here rather than in the first notification.
  async check(secrets) {
    let settings;
    try {
      settings = smtpSettings(secrets, 'being checked');
    } catch (err) {
      throw new Error(err instanceof Error ? err.message : String(err));
    }
    const transport = await openSmtpTransport(settings, { timeoutMs: 15_000 }).catch((err: unknown) => {
      throw new Error(err instanceof NodeError ? err.message : `could not reach ${settings.host}: ${String(err)}`);
    });
    try {
      await transport.verify();
    } catch (err) {
      const e = err as { code?: string; response?: string; message?: string };
      const where = `${settings.host}:${settings.port}`;
      if (e.code === 'EAUTH' || e.code === 'ENOAUTH') throw new Error(`${where} refused the login for "${settings.user ?? '(no user)'}": ${e.response ?? e.message ?? ''} (check the password or the provider's SMTP authorization code)`);
      if (e.code === 'ETLS' || e.code === 'ESOCKET') {
        throw new Error(`TLS with ${where} failed: ${e.message ?? ''} (port 465 needs secure "true"; 587 and 25 need secure "false")`);
      }
      if (e.code === 'ETIMEDOUT' || e.code === 'ECONNECTION' || e.code === 'EDNS') throw new Error(`could not connect to ${where}: ${e.message ?? ''}`);
      throw new Error(`SMTP check against ${where} failed: ${e.message ?? String(err)}`);
    } finally {
      transport.close();
    }
  },
});
