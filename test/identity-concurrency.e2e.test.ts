// The worst bug this product can have is two customers for one person. Hundreds of
// concurrent deliveries for a few dozen people, through three worker processes: exactly
// one customer per person, holding all of that person's identities.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

const PEOPLE = 40;
const DELIVERIES = 480;

function phoneFormats(n: number): string[] {
  const national = `139${String(52700000 + n * 37).padStart(8, '0')}`;
  const full = national.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  return [national, `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`, `0086${national}`, `(+86) ${national}`, full];
}

describe('identity resolution under concurrency (3 worker processes)', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'idconc', workers: 3, env: { WORKER_CONCURRENCY: '32' } });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('makes exactly one customer per person from concurrent deliveries in many formats', async () => {
    await sys.createFlow({
      schemaVersion: 1,
      id: 'conc',
      name: 'conc',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none', dedupe: 'none' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'conc-test' } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    const bodies = Array.from({ length: DELIVERIES }, (_, i) => {
      const person = i % PEOPLE;
      const formats = phoneFormats(person);
      const body: Record<string, string> = { phone: formats[(i * 7) % formats.length]!, name: `客户${person}` };
      const round = Math.floor(i / PEOPLE);
      if (round % 3 === 0) body.email = `Person.${person}@Corp-Mail.cn`;
      if (round % 4 === 1) body.wechat_unionid = `o6_bmasdasdsad6_${person}`;
      return body;
    });
    // Fire them all at once.
    const acks = await Promise.all(bodies.map((b) => sys.request('POST', '/hooks/conc/hook', b)));
    expect(acks.every((a) => a.status === 202)).toBe(true);
    await sys.drain(120_000);
    expect(await sys.runCounts()).toEqual({ succeeded: DELIVERIES });

    const customers = await sys.db.query(`SELECT count(*)::int AS n FROM customers WHERE merged_into IS NULL`);
    expect(customers.rows[0].n).toBe(PEOPLE);
    // Every identity of a person sits on that person's one customer.
    const spread = await sys.db.query(
      `SELECT p.value, count(DISTINCT i.customer_id)::int AS customers
       FROM customer_identities p JOIN customer_identities i ON i.customer_id = p.customer_id
       WHERE p.type = 'phone' GROUP BY p.value`,
    );
    expect(spread.rows).toHaveLength(PEOPLE);
    expect(spread.rows.every((r: { customers: number }) => r.customers === 1)).toBe(true);
    const perCustomer = await sys.db.query(
      `SELECT customer_id, count(*) FILTER (WHERE type = 'phone')::int AS phones, count(*) FILTER (WHERE type = 'email')::int AS emails,
              count(*) FILTER (WHERE type = 'wechat_unionid')::int AS unionids
       FROM customer_identities GROUP BY customer_id`,
    );
    for (const r of perCustomer.rows) expect(r).toMatchObject({ phones: 1, emails: 1, unionids: 1 });
    // Each delivery wrote exactly one timeline event.
    const events = await sys.db.query(`SELECT count(*)::int AS n FROM customer_events`);
    expect(events.rows[0].n).toBe(DELIVERIES);
  });
});
