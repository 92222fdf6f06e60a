import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// A small SMTP server on 127.0.0.1 speaking what a submission server speaks to nodemailer
// (RFC 5321 + AUTH PLAIN/LOGIN from RFC 4616/draft-murchison-sasl-login): EHLO/HELO, AUTH,
// MAIL FROM, RCPT TO, DATA with dot-stuffing, RSET, NOOP, QUIT. Tests script its refusals.

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent after DATA, dot-unstuffed, CRLF line ends. */
  data: string;
  user?: string;
}

export interface SmtpServerOptions {
  /** Mechanisms advertised in EHLO (default PLAIN and LOGIN). */
  authMethods?: ('PLAIN' | 'LOGIN')[];
  /** Accounts; when set, MAIL FROM needs a login. */
  users?: Record<string, string>;
  /** A reply line (e.g. "550 5.1.1 no such user") to refuse a recipient, or undefined to accept. */
  onRcpt?(address: string): string | undefined;
  /** A reply line to refuse a message after DATA, or "drop" to close the socket without answering. */
  onData?(mail: ReceivedMail): string | 'drop' | undefined;
}

export interface SmtpServer {
  host: string;
  port: number;
  mails: ReceivedMail[];
  /** Connections opened so far. */
  sessions: number;
  /** Logins seen, with the mechanism used. */
  logins: { method: string; user: string; ok: boolean }[];
  close(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpServer> {
  const methods = opts.authMethods ?? ['PLAIN', 'LOGIN'];
  const sockets = new Set<Socket>();
  const state: SmtpServer = { host: '127.0.0.1', port: 0, mails: [], sessions: 0, logins: [], close: async () => undefined };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    state.sessions++;
    let buffer = '';
    let user: string | undefined;
    let envelope: { from?: string; to: string[] } = { to: [] };
    let mode: 'command' | 'data' | 'auth-plain' | 'auth-login-user' | 'auth-login-pass' = 'command';
    let loginUser = '';
    let dataLines: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const login = (method: string, name: string, pass: string) => {
      const ok = opts.users !== undefined && opts.users[name] === pass;
      state.logins.push({ method, user: name, ok });
      if (ok) user = name;
      reply(ok ? '235 2.7.0 Authentication successful' : '535 5.7.8 Error: authentication failed');
    };
    const plain = (encoded: string) => {
      const [, name = '', pass = ''] = b64(encoded).split('\0');
      login('PLAIN', name, pass);
    };

    const onLine = (line: string) => {
      if (mode === 'data') {
        if (line === '.') {
          mode = 'command';
          const mail: ReceivedMail = { from: envelope.from ?? '', to: envelope.to, data: dataLines.join('\r\n'), user };
          envelope = { to: [] };
          dataLines = [];
          const verdict = opts.onData?.(mail);
          if (verdict === 'drop') return void socket.destroy();
          if (verdict) return reply(verdict);
          state.mails.push(mail);
          return reply(`250 2.0.0 Ok: queued as Q${state.mails.length}`);
        }
        dataLines.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      if (mode === 'auth-plain') return (mode = 'command'), plain(line);
      if (mode === 'auth-login-user') return (loginUser = b64(line)), (mode = 'auth-login-pass'), reply('334 UGFzc3dvcmQ6');
      if (mode === 'auth-login-pass') return (mode = 'command'), login('LOGIN', loginUser, b64(line));

      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          return socket.write(['250-localhost greets you', ...(methods.length ? [`250-AUTH ${methods.join(' ')}`] : []), '250-8BITMIME', '250-SMTPUTF8', '250 SIZE 10485760'].join('\r\n') + '\r\n');
        case 'HELO':
          return reply('250 localhost');
        case 'AUTH': {
          const [mech = '', initial] = arg.split(' ');
          if (!methods.includes(mech.toUpperCase() as 'PLAIN')) return reply('504 5.5.4 Unrecognized authentication type');
          if (mech.toUpperCase() === 'PLAIN') return initial ? plain(initial) : ((mode = 'auth-plain'), reply('334 '));
          if (initial) return (loginUser = b64(initial)), (mode = 'auth-login-pass'), reply('334 UGFzc3dvcmQ6');
          return (mode = 'auth-login-user'), reply('334 VXNlcm5hbWU6');
        }
        case 'MAIL': {
          if (opts.users && !user) return reply('530 5.7.0 Authentication required');
          const m = /^FROM:\s*<([^>]*)>/i.exec(arg);
          if (!m) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          envelope = { from: m[1]!, to: [] };
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          const m = /^TO:\s*<([^>]*)>/i.exec(arg);
          if (!envelope.from) return reply('503 5.5.1 Error: need MAIL command');
          if (!m) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
          const refusal = opts.onRcpt?.(m[1]!);
          if (refusal) return reply(refusal);
          envelope.to.push(m[1]!);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (envelope.to.length === 0) return reply('554 5.5.1 Error: no valid recipients');
          mode = 'data';
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          envelope = { to: [] };
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          return void socket.end();
        default:
          return reply('502 5.5.2 Error: command not recognized');
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
        if (socket.destroyed) return;
      }
    });
    reply('220 localhost ESMTP test server');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** A received message's headers (lower-case names, encoded words decoded) and its text and HTML parts. */
export interface ParsedMail {
  headers: Record<string, string>;
  text?: string;
  html?: string;
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(\s+(?==\?))?/g, (_, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
  );
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  const src = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'quoted-printable') return decodeQp(body);
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

export function parseMail(data: string): ParsedMail {
  const { headers, body } = splitHeaders(data);
  const parsed: ParsedMail = { headers };
  const collect = (h: Record<string, string>, b: string) => {
    const type = (h['content-type'] ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(h['content-type'] ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const part of b.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        const p = splitHeaders(part.replace(/^\r\n/, '').replace(/\r\n$/, ''));
        collect(p.headers, p.body);
      }
    } else if (type.startsWith('text/html')) parsed.html = decodeBody(h, b);
    else if (type.startsWith('text/plain')) parsed.text = decodeBody(h, b);
  };
  collect(headers, body);
  return parsed;
}
