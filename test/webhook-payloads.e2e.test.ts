// Valid JSON that Postgres cannot store as it is, through the real API, worker and store: a NUL
// character or half a surrogate pair (both legal in JSON text, neither storable in jsonb) and
// nesting deeper than any step handles. Before, each answered 500 (so the sender retried it
// forever), and the first two failed every delivery batched into the same insert with them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { intakeFlow, startSystem, type System } from './support/system.js';

describe('webhook payloads Postgres cannot store as they are', () => {
  let sys: System;
  const json = { 'content-type': 'application/json' };
  const post = (body: string) => sys.request('POST', '/hooks/intake/hook', body, json);
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  beforeAll(async () => {
    sys = await startSystem({ label: 'payloads' });
    await sys.createFlow(intakeFlow('intake', 'web'));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('cleans NUL and lone surrogates, refuses only what nests too deeply, and never fails the deliveries beside them', async () => {
    const good = (i: number) => post(JSON.stringify({ phone: `139246892${String(i).padStart(2, '0')}`, name: `客户${i}` }));
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => good(i)),
      post('{"phone":"13924689301","name":"李\\u0000娜","note\\u0000":"x"}'),
      post('{"phone":"13924689302","name":"王\\ud800芳"}'),
      post(`{"phone":"13924689303","extra":${nested(300)}}`),
      post(`{"phone":"13924689304","extra":${nested(200)}}`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([...Array(30).fill(202), 202, 202, 400, 202]);
    expect(answers[32]!.body.error).toEqual({ code: 'malformed_body', message: 'the body nests deeper than 256 levels' });
    await sys.drain();

    for (const a of answers.filter((x) => x.status === 202)) {
      expect((await sys.request('GET', `/api/runs/${a.body.runIds[0]}`)).body.status).toBe('succeeded');
    }
    const customer = async (phone: string) => (await sys.request('GET', `/api/customers?phone=${phone}`)).body.items[0];
    expect((await customer('13924689301')).displayName).toBe('李娜');
    expect((await customer('13924689302')).displayName).toBe('王\uFFFD芳');
    expect(await customer('13924689303')).toBeUndefined();
    expect((await customer('13924689229')).displayName).toBe('客户29');
    const run = (await sys.request('GET', `/api/runs/${answers[30]!.body.runIds[0]}`)).body;
    expect(run.trigger.items[0]).toMatchObject({ name: '李娜', note: 'x' });
  });
});
