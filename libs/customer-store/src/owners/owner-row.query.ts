import type { OwnerContact } from '@tributary/engine';
import type { DataSource, QueryRunner } from 'typeorm';
import type { WorkingHours } from './working-hours.util.js';

/** An owners row as assignment and tasks read it. */
export interface OwnerRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  wecom_userid: string | null;
  active: boolean;
  away_until: Date | null;
  capacity: number | null;
  working_hours: WorkingHours | null;
  attributes: Record<string, unknown>;
}

/** Loads owners by id into `into`; `lock` takes row locks (ascending ids, the fixed lock order). */
export async function loadOwners(q: DataSource | QueryRunner, ids: string[], into: Map<string, OwnerRow>, lock: boolean): Promise<void> {
  if (ids.length === 0) return;
  const rows: OwnerRow[] = await q.query(
    `SELECT id, name, email, phone, wecom_userid, active, away_until, capacity, working_hours, attributes
       FROM owners WHERE id = ANY($1::text[]) ORDER BY id ${lock ? 'FOR NO KEY UPDATE' : ''}`,
    [[...new Set(ids)].sort()],
  );
  for (const r of rows) into.set(r.id, r);
}

export function contactOf(o: OwnerRow): OwnerContact {
  return { id: o.id, name: o.name, email: o.email, phone: o.phone, wecomUserId: o.wecom_userid };
}
