import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { SMTPPoolOptions, Transporter } from 'nodemailer';
import { NodeError } from '@tributary/node-sdk';
import { isPrivateAddress } from '../shared/private-address.util.js';

/** An `smtp` connection's secrets, parsed. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send unless the server upgrades with STARTTLS. */
  requireTLS: boolean;
  user?: string;
  password?: string;
  from: string;
  allowPrivateNetwork: boolean;
}

const flag = (v: string | undefined) => v === 'true' || v === '1';

/** Reads the secrets; throws a non-retryable NodeError (a connection problem) naming what is wrong. */
export function smtpSettings(secrets: Record<string, string> | undefined, connection = '(none)'): SmtpSettings {
  const s = secrets ?? {};
  const bad = (message: string) => new NodeError('invalid_connection', `smtp connection ${connection}: ${message}`, { retryable: false });
  if (!s.host?.trim()) throw bad('"host" is missing');
  if (!s.from?.trim()) throw bad('"from" is missing (the sender address, e.g. "Acme Sales <sales@acme.example>")');
  const secure = flag(s.secure);
  const port = s.port === undefined || s.port === '' ? (secure ? 465 : 587) : Number(s.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`"port" must be a port number, got "${s.port}"`);
  if (s.user && s.password === undefined) throw bad('"password" is missing for user ' + s.user);
  return {
    host: s.host.trim(),
    port,
    secure,
    requireTLS: flag(s.requireTLS),
    user: s.user || undefined,
    password: s.password,
    from: s.from.trim(),
    allowPrivateNetwork: flag(s.allowPrivateNetwork),
  };
}

export type HostLookup = (host: string) => Promise<string[]>;

const systemLookup: HostLookup = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

/**
 * The address to connect to. Resolved here (not by nodemailer) so the SSRF guard checks the
 * address actually used; the host name still drives TLS (SNI and certificate checks).
 */
export async function resolveSmtpHost(settings: SmtpSettings, lookup: HostLookup = systemLookup): Promise<string> {
  let addresses: string[];
  if (isIP(settings.host)) addresses = [settings.host];
  else {
    try {
      addresses = await lookup(settings.host);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const permanent = code === 'ENOTFOUND' || code === 'ENODATA';
      throw new NodeError('smtp_dns', `SMTP host ${settings.host} could not be resolved (${code ?? String(err)})`, { retryable: !permanent });
    }
  }
  if (addresses.length === 0) throw new NodeError('smtp_dns', `SMTP host ${settings.host} has no address`, { retryable: false });
  if (settings.allowPrivateNetwork) return addresses[0]!;
  const address = addresses.find((a) => !isPrivateAddress(a));
  if (!address) {
    throw new NodeError('smtp_blocked', `SMTP host ${settings.host} resolves to a private or loopback address (${addresses[0]}); set allowPrivateNetwork "true" on the connection for an on-premise server`, {
      retryable: false,
    });
  }
  return address;
}

export interface SmtpTransportOptions {
  /** Connect, greeting and idle-socket timeout of each command. */
  timeoutMs: number;
  lookup?: HostLookup;
}

/**
 * One SMTP connection for a batch of messages. nodemailer's pool re-queues a message whose
 * connection dropped; that would resend outside our idempotency record, so it is switched off.
 */
export async function openSmtpTransport(settings: SmtpSettings, opts: SmtpTransportOptions): Promise<Transporter> {
  const address = await resolveSmtpHost(settings, opts.lookup);
  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    maxRequeues: 0,
    host: address,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTLS,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
    dnsTimeout: opts.timeoutMs,
    tls: isIP(settings.host) ? {} : { servername: settings.host },
    // Messages carry text and HTML we build; nothing may make nodemailer read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
  return nodemailer.createTransport(options);
}

/** What an SMTP failure means for the item and the step. */
export type SmtpFailure =
  | { kind: 'refused'; code: string; message: string; responseCode?: number }
  | { kind: 'retry'; error: NodeError }
  | { kind: 'fatal'; error: NodeError };

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  command?: string;
}

/**
 * 5xx replies to our message or recipients are the item's fault (its `error` port); a failed
 * login or TLS setup is the connection's (the step fails, no retry); everything else, 4xx
 * replies and dropped connections included, is worth another attempt.
 */
export function classifySmtpError(err: unknown, host: string): SmtpFailure {
  const e = (err ?? {}) as SmtpError;
  const reply = e.response ? `: ${e.response.slice(0, 300)}` : '';
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 503;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return { kind: 'fatal', error: new NodeError('smtp_auth_failed', `${host} refused the SMTP login${reply || `: ${e.message ?? ''}`}`, { retryable: false, details: { responseCode: e.responseCode } }) };
  }
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS') {
    return { kind: 'fatal', error: new NodeError('smtp_tls_failed', `TLS with ${host} failed: ${e.message ?? ''}`, { retryable: false }) };
  }
  if (permanent && e.command === 'MAIL FROM' && e.responseCode !== 552) {
    return { kind: 'fatal', error: new NodeError('smtp_refused_sender', `${host} refused the sender address (${e.responseCode})${reply}`, { retryable: false, details: { responseCode: e.responseCode } }) };
  }
  // A 5xx reply, or nodemailer's own check before sending (command "API": a malformed address,
  // a message over the server's SIZE), will not change on another attempt.
  if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && (permanent || e.command === 'API' || (e.command === 'MAIL FROM' && !e.responseCode))) {
    const what = e.command === 'RCPT TO' ? 'refused the recipients' : e.command === 'DATA' ? 'refused the message' : 'could not take the message';
    return { kind: 'refused', code: 'smtp_refused', message: `${host} ${what}${e.responseCode ? ` (${e.responseCode})` : ''}${reply || `: ${e.message ?? ''}`}`, responseCode: e.responseCode };
  }
  return {
    kind: 'retry',
    error: new NodeError('smtp_unavailable', `sending through ${host} failed${e.responseCode ? ` (${e.responseCode})` : ''}: ${e.message ?? String(err)}`, {
      retryable: true,
      details: { code: e.code, responseCode: e.responseCode },
    }),
  };
}
