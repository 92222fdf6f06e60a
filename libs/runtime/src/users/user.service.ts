import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { sql } from '../db/sql.js';
import { hashPassword, verifyPassword } from './password-hash.util.js';
import { isRole, ROLES, type UserRole } from './permissions.js';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export interface SessionGrant {
  token: string;
  expiresAt: string;
  user: User;
}

export interface AuthenticatedSession {
  user: User;
  expiresAt: string;
}

export interface UserServiceOptions {
  /** How long a session token from sign-in lasts (default 12 h). */
  sessionTtlMs?: number;
  /** Failed sign-ins of one username before it is locked (default 10). */
  maxFailuresPerUser?: number;
  /** Failed sign-ins from one client address before it is locked (default 50). */
  maxFailuresPerIp?: number;
  /** The window failures are counted in, and how long a lock lasts (default 15 min). */
  lockoutMs?: number;
}

/** Session tokens carry a prefix so they are recognisable in logs and secret scanners. */
const SESSION_PREFIX = 'trs_';
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;
const USER_FIELDS = new Set(['username', 'displayName', 'display_name', 'role', 'password', 'disabled']);

export const INVALID_CREDENTIALS = 'invalid username or password';

const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRole;
  password_hash: string;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  lastLoginAt: iso(r.last_login_at),
});

/**
 * Users, their passwords (scrypt) and API sessions (only the token's SHA-256 is stored), and the
 * throttle on failed sign-ins. Nest-free: the API and the tests use it as is.
 */
export class UserService {
  private readonly ttlMs: number;
  private readonly maxPerUser: number;
  private readonly maxPerIp: number;
  private readonly lockoutMs: number;
  /** Verified against when the username is unknown, so both answers take as long. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly ds: DataSource,
    opts: UserServiceOptions = {},
  ) {
    this.ttlMs = opts.sessionTtlMs ?? 12 * 3600_000;
    this.maxPerUser = opts.maxFailuresPerUser ?? 10;
    this.maxPerIp = opts.maxFailuresPerIp ?? 50;
    this.lockoutMs = opts.lockoutMs ?? 15 * 60_000;
  }

  async list(): Promise<User[]> {
    const rows: UserRow[] = await sql(this.ds, `SELECT * FROM users ORDER BY lower(username)`);
    return rows.map(toUser);
  }

  /** Whether anyone can sign in with a password (the editor then opens on that tab). */
  async anyEnabled(): Promise<boolean> {
    const rows = await sql(this.ds, `SELECT 1 FROM users WHERE NOT disabled LIMIT 1`);
    return rows.length > 0;
  }

  async get(id: string): Promise<User> {
    const rows: UserRow[] = await sql(this.ds, `SELECT * FROM users WHERE id::text = $1`, [id]);
    if (!rows[0]) throw notFound('user', id);
    return toUser(rows[0]);
  }

  async create(input: Record<string, unknown>): Promise<User> {
    checkFields(input);
    const username = input.username;
    if (typeof username !== 'string' || !USERNAME.test(username)) {
      throw badRequest('invalid_user', 'username must be 1–64 letters, digits or . _ @ - (starting with a letter or digit)', { field: 'username' });
    }
    const role = input.role;
    if (!isRole(role)) throw badRequest('invalid_user', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    const displayName = displayNameOf(input) ?? '';
    const password = checkPassword(input.password);
    const hash = await hashPassword(password);
    const rows: UserRow[] = await sql(
      this.ds,
      `INSERT INTO users (id, username, display_name, role, password_hash, disabled) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING *`,
      [randomUUID(), username, displayName, role, hash, input.disabled === true],
    );
    if (!rows[0]) throw conflict('user_exists', `a user named ${username} exists already`, { username });
    return toUser(rows[0]);
  }

  /**
   * Changes display name, role, disabled or password. `actorId` is the signed-in user making the
   * change (none for the admin token): nobody disables or demotes their own account, and the last
   * enabled admin user stays one.
   */
  async update(id: string, input: Record<string, unknown>, actorId?: string): Promise<User> {
    checkFields(input);
    if ('username' in input) throw badRequest('invalid_user', 'a username cannot be changed', { field: 'username' });
    if ('role' in input && !isRole(input.role)) throw badRequest('invalid_user', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    if ('disabled' in input && typeof input.disabled !== 'boolean') throw badRequest('invalid_user', 'disabled must be true or false', { field: 'disabled' });
    const displayName = displayNameOf(input);
    const hash = 'password' in input ? await hashPassword(checkPassword(input.password)) : undefined;
    return this.ds.transaction(async (m) => {
      const current = await this.lockForChange(m, id);
      const role = (input.role as UserRole | undefined) ?? current.role;
      const disabled = (input.disabled as boolean | undefined) ?? current.disabled;
      const losesAdmin = current.role === 'admin' && !current.disabled && (role !== 'admin' || disabled);
      if (actorId === current.id && (role !== current.role || (disabled && !current.disabled))) {
        throw conflict('own_account', 'you cannot change the role of, or disable, your own account');
      }
      if (losesAdmin) await this.keepAnAdmin(m, id);
      const rows: UserRow[] = await sql(
        m,
        `UPDATE users SET display_name = $2, role = $3, disabled = $4, password_hash = coalesce($5, password_hash), updated_at = now()
         WHERE id = $1 RETURNING *`,
        [current.id, displayName ?? current.display_name, role, disabled, hash ?? null],
      );
      // A new password or a disabled account ends every session the account had.
      if (hash || disabled) await sql(m, `UPDATE api_sessions SET revoked = true WHERE user_id = $1 AND NOT revoked`, [current.id]);
      return toUser(rows[0]!);
    });
  }

  async remove(id: string, actorId?: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const current = await this.lockForChange(m, id);
      if (actorId === current.id) throw conflict('own_account', 'you cannot delete your own account');
      if (current.role === 'admin' && !current.disabled) await this.keepAnAdmin(m, current.id);
      await sql(m, `DELETE FROM users WHERE id = $1`, [current.id]);
    });
  }

  /** A user changing their own password: the current one is required, other sessions end. */
  async changePassword(userId: string, currentPassword: unknown, newPassword: unknown, keepToken?: string): Promise<void> {
    if (typeof currentPassword !== 'string') throw badRequest('invalid_password', 'currentPassword is required');
    const next = checkPassword(newPassword);
    const rows: UserRow[] = await sql(this.ds, `SELECT * FROM users WHERE id = $1`, [userId]);
    if (!rows[0] || !(await verifyPassword(currentPassword, rows[0].password_hash))) {
      throw new AppError(403, 'wrong_password', 'the current password is not right');
    }
    const hash = await hashPassword(next);
    await sql(this.ds, `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [userId, hash]);
    await sql(this.ds, `UPDATE api_sessions SET revoked = true WHERE user_id = $1 AND NOT revoked AND token_hash <> $2`, [
      userId,
      keepToken ? tokenHash(keepToken) : Buffer.alloc(0),
    ]);
  }

  /**
   * Signs a user in. Every failure answers the same 401 whatever went wrong (unknown user, wrong
   * password, disabled account); after too many failures for the username or the client address
   * both are refused with 429 until the lock ends, even with the right password.
   */
  async login(username: unknown, password: unknown, ip: string): Promise<SessionGrant> {
    if (typeof username !== 'string' || !username || typeof password !== 'string' || !password) {
      throw badRequest('invalid_login', 'username and password are required');
    }
    const keys = [`user:${username.toLowerCase()}`, `ip:${ip}`];
    await this.refuseWhileLocked(keys);
    const rows: UserRow[] = await sql(this.ds, `SELECT * FROM users WHERE lower(username) = lower($1)`, [username]);
    const row = rows[0];
    const ok = row ? await verifyPassword(password, row.password_hash) : await verifyPassword(password, await this.dummy()).then(() => false);
    if (!ok || !row || row.disabled) {
      await this.recordFailure(keys);
      throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
    }
    await sql(this.ds, `DELETE FROM login_throttle WHERE key = $1`, [keys[0]]);
    const token = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const expires = new Date(Date.now() + this.ttlMs);
    await sql(this.ds, `INSERT INTO api_sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, [tokenHash(token), row.id, expires]);
    const updated: UserRow[] = await sql(this.ds, `UPDATE users SET last_login_at = now() WHERE id = $1 RETURNING *`, [row.id]);
    return { token, expiresAt: expires.toISOString(), user: toUser(updated[0] ?? row) };
  }

  /** The user behind a live session token, or undefined (unknown, expired, revoked, disabled user). */
  async authenticate(token: string): Promise<AuthenticatedSession | undefined> {
    if (!token.startsWith(SESSION_PREFIX)) return undefined;
    const hash = tokenHash(token);
    const rows: (UserRow & { expires_at: Date; last_used_at: Date })[] = await sql(
      this.ds,
      `SELECT u.*, s.expires_at, s.last_used_at FROM api_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > now() AND NOT u.disabled`,
      [hash],
    );
    const row = rows[0];
    if (!row) return undefined;
    // Last use to the minute is enough, and spares a write on every request.
    if (Date.now() - row.last_used_at.getTime() > 60_000) {
      void sql(this.ds, `UPDATE api_sessions SET last_used_at = now() WHERE token_hash = $1`, [hash]).catch(() => undefined);
    }
    return { user: toUser(row), expiresAt: row.expires_at.toISOString() };
  }

  /** Ends a session; true when there was a live one. */
  async logout(token: string): Promise<boolean> {
    const rows = await sql(this.ds, `UPDATE api_sessions SET revoked = true WHERE token_hash = $1 AND NOT revoked RETURNING 1`, [tokenHash(token)]);
    return rows.length > 0;
  }

  /** Removes sessions and throttle rows that ended more than a day ago; returns how many. */
  async prune(): Promise<number> {
    const a = await sql(this.ds, `DELETE FROM api_sessions WHERE expires_at < now() - interval '1 day' RETURNING 1`);
    const b = await sql(this.ds, `DELETE FROM login_throttle WHERE window_ends_at < now() AND (locked_until IS NULL OR locked_until < now()) RETURNING 1`);
    return a.length + b.length;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }

  private async lockForChange(m: EntityManager, id: string): Promise<UserRow> {
    const rows: UserRow[] = await sql(m, `SELECT * FROM users WHERE id::text = $1 FOR UPDATE`, [id]);
    if (!rows[0]) throw notFound('user', id);
    return rows[0];
  }

  /** Refuses a change that would leave no enabled admin user (the admin rows are locked: two such changes run one after the other). */
  private async keepAnAdmin(m: EntityManager, leavingId: string): Promise<void> {
    const admins: { id: string }[] = await sql(m, `SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`);
    if (!admins.some((a) => a.id !== leavingId)) {
      throw conflict('last_admin', 'this is the last enabled admin user: make another admin first');
    }
  }

  private async refuseWhileLocked(keys: string[]): Promise<void> {
    const rows: { seconds: number }[] = await sql(
      this.ds,
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds FROM login_throttle WHERE key = ANY($1) AND locked_until > now()
       ORDER BY locked_until DESC LIMIT 1`,
      [keys],
    );
    if (rows[0]) {
      const retryAfterSeconds = Math.max(1, rows[0].seconds);
      throw new AppError(429, 'too_many_attempts', `too many failed sign-ins: try again in ${Math.ceil(retryAfterSeconds / 60)} min`, { retryAfterSeconds });
    }
  }

  private async recordFailure(keys: string[]): Promise<void> {
    const limits = [this.maxPerUser, this.maxPerIp];
    const ms = this.lockoutMs;
    for (let i = 0; i < keys.length; i++) {
      // A window that has ended starts again at one failure; reaching the limit locks the key for lockoutMs.
      await sql(
        this.ds,
        `INSERT INTO login_throttle AS t (key, failures, window_ends_at, locked_until)
         VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000), CASE WHEN $3::int <= 1 THEN now() + make_interval(secs => $2::float8 / 1000) END)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.failures + 1 END,
           window_ends_at = CASE WHEN t.window_ends_at <= now() THEN excluded.window_ends_at ELSE t.window_ends_at END,
           locked_until = CASE WHEN (CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.failures + 1 END) >= $3::int
                               THEN now() + make_interval(secs => $2::float8 / 1000) ELSE t.locked_until END`,
        [keys[i], ms, limits[i]],
      );
    }
  }
}

function checkFields(input: Record<string, unknown>): void {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw badRequest('invalid_user', 'the body must be a JSON object');
  const unknown = Object.keys(input).filter((k) => !USER_FIELDS.has(k));
  if (unknown.length) throw badRequest('invalid_user', `unknown field ${unknown.join(', ')}`, { fields: unknown });
}

function displayNameOf(input: Record<string, unknown>): string | undefined {
  const v = input.displayName ?? input.display_name;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > 100) throw badRequest('invalid_user', 'displayName must be text of at most 100 characters', { field: 'displayName' });
  return v.trim();
}

function checkPassword(v: unknown): string {
  if (typeof v !== 'string' || v.length < MIN_PASSWORD || v.length > MAX_PASSWORD) {
    throw badRequest('invalid_password', `the password must be ${MIN_PASSWORD}–${MAX_PASSWORD} characters`, { field: 'password' });
  }
  return v;
}
