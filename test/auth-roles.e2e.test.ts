// Users, roles and sessions against the real API: sign-in, /api/me, what each role may and may not
// call, the failed-login lockout, sign-out, expiry, and the admin token working exactly as before.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

type Role = 'admin' | 'editor' | 'operator' | 'viewer';
const ROLES: Role[] = ['admin', 'editor', 'operator', 'viewer'];
const PASSWORD = 'Tr1butary-pass';

describe('users, roles and sessions', () => {
  let sys: System;
  const tokens = {} as Record<Role, string>;
  const ids = {} as Record<Role, string>;
  const customers: string[] = [];

  /** A request as a session token (or none), from a given client address (the API trusts X-Forwarded-For). */
  const as = (token: string | undefined, method: string, path: string, body?: unknown, ip = '198.51.100.1') =>
    sys.request(method, path, body, { authorization: token ? `Bearer ${token}` : '', 'x-forwarded-for': ip });
  const login = (username: string, password: string, ip = '198.51.100.1') => as(undefined, 'POST', '/api/auth/login', { username, password }, ip);

  beforeAll(async () => {
    sys = await startSystem({ label: 'auth_roles' });
    // A fresh install: only the admin token signs in.
    expect((await as(undefined, 'GET', '/api/auth/methods')).body).toEqual({ password: false, token: true });
    for (const role of ROLES) {
      const created = await sys.request('POST', '/api/users', { username: `${role}-user`, displayName: `The ${role}`, role, password: PASSWORD });
      expect(created.status).toBe(201);
      ids[role] = created.body.id;
      // Usernames are case-insensitive.
      const res = await login(`${role.toUpperCase()}-User`, PASSWORD);
      expect(res.status).toBe(200);
      tokens[role] = res.body.token;
    }
    await sys.createFlow({
      schemaVersion: 1,
      id: 'people',
      name: 'people',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'roles-test' } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    for (const phone of ['13924683001', '13924683002']) {
      expect((await sys.request('POST', '/hooks/people/hook', { phone, name: `Person ${phone}` })).status).toBe(202);
    }
    await sys.drain();
    for (const phone of ['13924683001', '13924683002']) customers.push((await sys.request('GET', `/api/customers?phone=${phone}`)).body.items[0].id);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('signs in with a username and password and says who the caller is', async () => {
    expect((await as(undefined, 'GET', '/api/auth/methods')).body).toEqual({ password: true, token: true });
    const res = await login('editor-user', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^trs_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect(res.body.user).toMatchObject({ id: ids.editor, username: 'editor-user', displayName: 'The editor', role: 'editor', disabled: false });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const me = await as(res.body.token, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ principal: 'user', role: 'editor', user: { username: 'editor-user' } });
    expect(me.body.permissions).toEqual(expect.arrayContaining(['flows:publish', 'runs:write', 'customers:read']));
    expect(me.body.permissions).not.toContain('customers:write');
    // Only the SHA-256 of the token is stored.
    const rows = await sys.db.query(`SELECT encode(token_hash, 'hex') AS h FROM api_sessions`);
    expect(JSON.stringify(rows.rows)).not.toContain(res.body.token.slice(4, 20));
    const hash = await sys.db.query(`SELECT password_hash FROM users WHERE id = $1`, [ids.editor]);
    expect(hash.rows[0].password_hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await login('viewer-user', 'not-the-password', '198.51.100.2');
    const unknown = await login('nobody-here', 'not-the-password', '198.51.100.2');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_credentials', message: 'invalid username or password' });
    expect((await login('viewer-user', '', '198.51.100.2')).status).toBe(400);
  });

  // Each row: a representative route and the roles that may call it. "Allowed" means the guard let the
  // request through (the route may still answer 404 for a made-up id); refused is 403 forbidden.
  const unknownId = randomUUID();
  const flowDoc = (id: string) => ({ schemaVersion: 1, id, name: id, nodes: [{ id: 'm', type: 'core.manual', version: 1, config: {} }], edges: [] });
  const matrix: { name: string; method: string; path: () => string; body?: (role: Role) => unknown; roles: Role[]; permission: string }[] = [
    { name: 'list flows', method: 'GET', path: () => '/api/flows', roles: ROLES, permission: 'flows:read' },
    { name: 'create a flow', method: 'POST', path: () => '/api/flows', body: (r) => flowDoc(`flow-of-${r}`), roles: ['admin', 'editor'], permission: 'flows:write' },
    { name: 'publish a flow', method: 'POST', path: () => '/api/flows/people/publish', roles: ['admin', 'editor'], permission: 'flows:publish' },
    { name: 'read runs', method: 'GET', path: () => '/api/runs?limit=5', roles: ROLES, permission: 'runs:read' },
    { name: 'retry a run', method: 'POST', path: () => `/api/runs/${unknownId}/retry`, roles: ['admin', 'editor'], permission: 'runs:write' },
    { name: 'list connections', method: 'GET', path: () => '/api/connections', roles: ROLES, permission: 'connections:read' },
    { name: 'add a connection', method: 'POST', path: () => '/api/connections', body: (r) => ({ type: 'core.webhook', name: r, secrets: { secret: 'x-secret-1' } }), roles: ['admin', 'editor'], permission: 'connections:write' },
    { name: 'search customers', method: 'GET', path: () => '/api/customers?limit=5', roles: ROLES, permission: 'customers:read' },
    { name: 'merge customers', method: 'POST', path: () => `/api/customers/${unknownId}/merge`, body: () => ({ otherIds: [randomUUID()] }), roles: ['admin', 'operator'], permission: 'customers:write' },
    { name: 'undo a merge', method: 'POST', path: () => `/api/merges/${unknownId}/undo`, roles: ['admin', 'operator'], permission: 'customers:write' },
    { name: 'erase a customer', method: 'DELETE', path: () => `/api/customers/${unknownId}`, roles: ['admin'], permission: 'customers:erase' },
    { name: 'create a segment', method: 'POST', path: () => '/api/segments', body: () => ({ name: 'x', definition: { all: [] } }), roles: ['admin', 'operator'], permission: 'segments:write' },
    { name: 'complete a task', method: 'POST', path: () => `/api/tasks/${unknownId}/complete`, roles: ['admin', 'operator'], permission: 'tasks:write' },
    { name: 'add an owner', method: 'POST', path: () => '/api/owners', body: (r) => ({ name: `Owner ${r}` }), roles: ['admin', 'operator'], permission: 'owners:write' },
    { name: 'read reports', method: 'GET', path: () => '/api/reports', roles: ROLES, permission: 'reports:read' },
    { name: 'list users', method: 'GET', path: () => '/api/users', roles: ['admin'], permission: 'users:manage' },
  ];

  it.each(matrix.map((m) => [m.name, m] as const))('%s: allowed only to its roles', async (_name, row) => {
    for (const role of ROLES) {
      const res = await as(tokens[role], row.method, row.path(), row.body?.(role));
      if (row.roles.includes(role)) {
        expect({ role, refused: res.status === 401 || res.status === 403 }).toEqual({ role, refused: false });
      } else {
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
        expect(res.body.error.code).toBe('forbidden');
        expect(res.body.error.details).toEqual({ role, permission: row.permission });
        expect(res.body.error.message).toContain(role);
      }
    }
  });

  it('answers 404 for a route that does not exist, whoever asks, and 401 without a token', async () => {
    expect((await as(tokens.viewer, 'GET', '/api/not-a-route')).status).toBe(404);
    expect((await as(undefined, 'GET', '/api/users')).status).toBe(401);
    expect((await as('trs_forged-token', 'GET', '/api/me')).status).toBe(401);
  });

  it('records the signed-in user as the actor of a merge and its undo', async () => {
    const merged = await as(tokens.operator, 'POST', `/api/customers/${customers[0]}/merge`, { otherIds: [customers[1]] });
    expect(merged.status).toBe(200);
    const view = await as(tokens.viewer, 'GET', `/api/customers/${customers[0]}`);
    expect(view.body.merges[0].actor).toBe(`user:${ids.operator}`);
    expect((await as(tokens.operator, 'POST', `/api/merges/${merged.body.mergeId}/undo`)).status).toBe(200);
    const audit = await sys.db.query(`SELECT actor FROM audit_log WHERE action = 'customer.merged'`);
    expect(audit.rows.map((r: { actor: string }) => r.actor)).toEqual([`user:${ids.operator}`]);
  });

  it('takes a session token as ?token= on the event streams only', async () => {
    const ctrl = new AbortController();
    const stream = await fetch(`${sys.url}/api/runs/stream?token=${tokens.viewer}`, { signal: ctrl.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    ctrl.abort();
    const plain = await fetch(`${sys.url}/api/flows?token=${tokens.viewer}`);
    expect(plain.status).toBe(401);
  });

  it('ends an open event stream when its session is signed out', async () => {
    const session = (await login('viewer-user', PASSWORD)).body.token as string;
    const res = await fetch(`${sys.url}/api/runs/stream?token=${session}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The first page arrives, then the session ends: the stream says so and closes (checked every 10 s).
    while (!text.includes('data: ')) text += decoder.decode((await reader.read()).value ?? new Uint8Array());
    expect((await as(session, 'POST', '/api/auth/logout')).status).toBeLessThan(300);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toMatch(/event: error\ndata: \{"code":"unauthorized"/);
  });

  it('locks a username after 10 failed sign-ins, even for the right password, with Retry-After', async () => {
    await sys.request('POST', '/api/users', { username: 'locky', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 10; i++) {
      // Different addresses: the username alone is what gets locked here.
      const res = await login('locky', `wrong-${i}-password`, `203.0.113.${i + 1}`);
      expect(res.status).toBe(401);
    }
    const locked = await login('LOCKY', PASSWORD, '203.0.113.50');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Other users are not affected.
    expect((await login('viewer-user', PASSWORD, '203.0.113.50')).status).toBe(200);
    // Once the lock has run out, the right password works and the count starts again.
    await sys.db.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second', window_ends_at = now() - interval '1 second' WHERE key = 'user:locky'`);
    expect((await login('locky', PASSWORD, '203.0.113.50')).status).toBe(200);
  });

  it('locks a client address after 50 failed sign-ins, whatever the usernames', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 50; i++) expect((await login(`guess-${i}`, 'wrong-password', ip)).status).toBe(401);
    const locked = await login('viewer-user', PASSWORD, ip);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('viewer-user', PASSWORD, '192.0.2.78')).status).toBe(200);
  }, 120_000);

  it('signs out: the token stops working, other sessions do not', async () => {
    const a = (await login('viewer-user', PASSWORD)).body.token;
    const b = (await login('viewer-user', PASSWORD)).body.token;
    const out = await as(a, 'POST', '/api/auth/logout');
    expect(out.body).toEqual({ signedOut: true });
    expect((await as(a, 'GET', '/api/me')).status).toBe(401);
    expect((await as(b, 'GET', '/api/me')).status).toBe(200);
  });

  it('refuses an expired session', async () => {
    const token = (await login('viewer-user', PASSWORD)).body.token;
    expect((await as(token, 'GET', '/api/me')).status).toBe(200);
    await sys.db.query(`UPDATE api_sessions SET expires_at = now() - interval '1 second' WHERE created_at = (SELECT max(created_at) FROM api_sessions)`);
    const res = await as(token, 'GET', '/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('ends the sessions of a disabled user and of a password change, and applies a new role at once', async () => {
    const created = await sys.request('POST', '/api/users', { username: 'temp', role: 'viewer', password: PASSWORD });
    const token = (await login('temp', PASSWORD)).body.token;
    expect((await as(token, 'POST', '/api/flows', flowDoc('temp-flow'))).status).toBe(403);
    expect((await sys.request('PATCH', `/api/users/${created.body.id}`, { role: 'editor' })).body.role).toBe('editor');
    expect((await as(token, 'POST', '/api/flows', flowDoc('temp-flow'))).status).toBe(201);
    // The user's own password change keeps this session and ends the others.
    const other = (await login('temp', PASSWORD)).body.token;
    expect((await as(token, 'POST', '/api/me/password', { currentPassword: 'wrong-one-here', newPassword: 'N3w-password!' })).status).toBe(403);
    expect((await as(token, 'POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'N3w-password!' })).status).toBe(200);
    expect((await as(token, 'GET', '/api/me')).status).toBe(200);
    expect((await as(other, 'GET', '/api/me')).status).toBe(401);
    expect((await login('temp', PASSWORD)).status).toBe(401);
    expect((await sys.request('PATCH', `/api/users/${created.body.id}`, { disabled: true })).status).toBe(200);
    expect((await as(token, 'GET', '/api/me')).status).toBe(401);
    expect((await login('temp', 'N3w-password!')).body.error.message).toBe('invalid username or password');
  });

  it('keeps an enabled admin user, and nobody demotes or deletes themselves', async () => {
    const self = await as(tokens.admin, 'PATCH', `/api/users/${ids.admin}`, { role: 'viewer' });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('own_account');
    expect((await as(tokens.admin, 'DELETE', `/api/users/${ids.admin}`)).body.error.code).toBe('own_account');
    const last = await sys.request('PATCH', `/api/users/${ids.admin}`, { disabled: true });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_admin');
    // With a second admin the first may go.
    const second = await as(tokens.admin, 'POST', '/api/users', { username: 'second-admin', role: 'admin', password: PASSWORD });
    expect(second.status).toBe(201);
    expect((await as(tokens.admin, 'PATCH', `/api/users/${second.body.id}`, { role: 'operator' })).body.role).toBe('operator');
    expect((await sys.request('POST', '/api/users', { username: 'Second-Admin', role: 'viewer', password: PASSWORD })).status).toBe(409);
    expect((await sys.request('POST', '/api/users', { username: 'short', role: 'viewer', password: 'short' })).status).toBe(400);
    expect((await sys.request('POST', '/api/users', { username: 'x', role: 'owner', password: PASSWORD })).status).toBe(400);
  });

  it('adds a user from the CLI (password piped or from a file) and lists users', async () => {
    const cli = (args: string[], stdin = '') =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/tributary.js'), ...args], {
          env: { PATH: process.env.PATH ?? '', TRIBUTARY_URL: sys.url, TRIBUTARY_ADMIN_TOKEN: sys.token },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.stderr.on('data', (b) => (stderr += b));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin);
      });
    const added = await cli(['users', 'add', 'first-admin', '--role', 'admin', '--display-name', '王芳'], 'piped-Passw0rd\n');
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/^added first-admin \(admin\), id [0-9a-f-]{36}\n$/);
    expect((await login('first-admin', 'piped-Passw0rd')).status).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'tributary-pw-')), 'pw');
    writeFileSync(file, 'from-a-file-pw\n');
    expect((await cli(['users', 'add', 'file-user', '--role', 'viewer', '--password-file', file])).code).toBe(0);
    expect((await login('file-user', 'from-a-file-pw')).body.user.role).toBe('viewer');
    const bad = await cli(['users', 'add', 'someone', '--role', 'boss'], 'whatever-pass\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/role must be one of admin, editor, operator, viewer/);
    const list = await cli(['users', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS\s+LAST SIGN-IN\s+NAME$/);
    expect(list.stdout).toMatch(/first-admin\s+admin\s+active\s+20\d\d-.*王芳/);
  });

  it('keeps the admin token exactly as before: everything allowed, wrong or missing token 401', async () => {
    const me = await sys.request('GET', '/api/me');
    expect(me.body).toMatchObject({ principal: 'admin-token', role: 'admin', user: null });
    expect((await sys.request('GET', '/api/not-a-route')).status).toBe(404);
    const erased = await sys.request('DELETE', `/api/customers/${customers[1]}`);
    expect(erased.status).toBe(200);
    const wrong = await sys.request('GET', '/api/flows', undefined, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    const missing = await sys.request('GET', '/api/flows', undefined, { authorization: '' });
    expect(missing.status).toBe(401);
    expect((await fetch(`${sys.url}/api/runs/stream?token=not-the-token`)).status).toBe(401);
    expect((await sys.request('POST', '/api/auth/logout')).body).toEqual({ signedOut: false });
    expect((await sys.request('GET', '/api/flows')).status).toBe(200);
  });
});
