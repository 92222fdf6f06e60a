import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

/**
 * A signed 64-bit advisory-lock key (as a decimal string) for a name. Every writer takes
 * the keys of the identities, companies and idempotency keys it touches in one ascending
 * pass before any row lock, so writers never wait on each other in a cycle.
 */
export function lockKey(name: string): bigint {
  return createHash('sha1').update(name).digest().readBigInt64BE(0);
}

/** Unique keys in ascending order, as strings for a `bigint[]` parameter (plus keys already computed). */
export function sortedLockKeys(names: Iterable<string>, keysToo: Iterable<string> = []): string[] {
  const keys = new Set<bigint>();
  for (const name of names) keys.add(lockKey(name));
  for (const key of keysToo) keys.add(BigInt(key));
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

/** Takes the transaction-level advisory locks of these names, in ascending key order. */
export async function lockNames(q: QueryRunner, names: Iterable<string>): Promise<void> {
  const keys = sortedLockKeys(names);
  if (keys.length > 0) await q.query(`SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k`, [keys]);
}

/**
 * Takes these locks only where no one else holds them, without waiting; returns the keys it
 * could not take (empty: all held now). For a transaction that already holds row locks, where
 * waiting on an advisory lock could close a cycle with a writer that holds it and waits for
 * those rows. The caller rolls back and starts again with the missing keys in its first pass.
 */
export async function tryLockNames(q: QueryRunner, names: Iterable<string>): Promise<string[]> {
  const keys = sortedLockKeys(names);
  if (keys.length === 0) return [];
  const rows: { k: string; got: boolean }[] = await q.query(
    `SELECT k::text AS k, pg_try_advisory_xact_lock(k) AS got FROM unnest($1::bigint[]) WITH ORDINALITY AS u(k, n) ORDER BY n`,
    [keys],
  );
  return rows.filter((r) => !r.got).map((r) => r.k);
}
