import type { MigrationInterface, QueryRunner } from 'typeorm';

/** People who sign in (users with a role), their API sessions, and the failed-login throttle. */
export class Users1764400000000 implements MigrationInterface {
  name = 'Users1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        display_name text NOT NULL DEFAULT '',
        role text NOT NULL CHECK (role IN ('admin','editor','operator','viewer')),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz NULL
      )`);
    // "Alice" and "alice" are one account.
    await q.query(`CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username))`);
    // Only the SHA-256 of a session token is kept: a read of this table signs nobody in.
    await q.query(`
      CREATE TABLE api_sessions (
        token_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL DEFAULT now(),
        revoked boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX api_sessions_user_idx ON api_sessions (user_id)`);
    await q.query(`CREATE INDEX api_sessions_expires_idx ON api_sessions (expires_at)`);
    // Failed sign-ins per username and per client address, in windows; rows outlive nothing important.
    await q.query(`
      CREATE UNLOGGED TABLE login_throttle (
        key text PRIMARY KEY,
        failures int NOT NULL,
        window_ends_at timestamptz NOT NULL,
        locked_until timestamptz NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE api_sessions`);
    await q.query(`DROP TABLE users`);
  }
}
