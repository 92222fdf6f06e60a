// Valid JSON that Postgres cannot store as it is, through the real API, worker and store: a NUL
// character or half a surrogate pair (both legal in JSON text and URLs, neither storable in text
// or jsonb) and nesting deeper than any step handles. Before, each answered 500 (a webhook's sender
// retried it forever), and the first two failed every delivery batched into the same insert.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { intakeFlow, startSystem, type System } from './support/system.js';

describe('payloads Postgres cannot store as they are', () => {
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

  it('no webhook trigger answers 5xx to a hostile body: each is a 4xx with a reason, or accepted', async () => {
    // Every trigger that runs without a connection (a vendor's needs its signature first: 401).
    const triggers = ((await sys.request('GET', '/api/nodes')).body.items as { id: string; version: number; trigger: string | null; configSchema: any; sample: any }[]).filter(
      (n) => n.trigger === 'webhook' && !(n.configSchema.required ?? []).includes('connection'),
    );
    expect(triggers.map((t) => t.id)).toEqual(expect.arrayContaining(['core.webhook', 'forms.webhook']));
    const bodies: [string, string | Buffer, string][] = [
      ['empty', '', 'application/json'],
      ['bytes', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]), 'application/octet-stream'],
      ['cut json', '{"a":', 'application/json'],
      ['array', '[1,2,3]', 'application/json'],
      ['string', '"x"', 'application/json'],
      ['deep json', `{"a":${nested(5000)}}`, 'application/json'],
      ['nul', '{"a":"\\u0000","phone":"13924689501"}', 'application/json'],
      ['xml', '<xml><a>1</a></xml>', 'text/xml'],
      ['bad escapes', 'a=1&b=%ZZ&c', 'application/x-www-form-urlencoded'],
      ['5,000 fields', Array.from({ length: 5000 }, (_, i) => `k${i}=v`).join('&'), 'application/x-www-form-urlencoded'],
      ['multipart', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', 'multipart/form-data; boundary=x'],
      ['cut multipart', '--x\r\nbroken', 'multipart/form-data; boundary=x'],
    ];
    for (const t of triggers) {
      const flowId = `hostile-${t.id.replace(/\W/g, '-')}`;
      const { connection: _none, ...config } = (t.sample?.config ?? {}) as Record<string, unknown>;
      if ((t.configSchema.properties?.auth?.enum ?? []).includes('none')) config.auth = 'none';
      await sys.createFlow({ schemaVersion: 1, id: flowId, name: flowId, nodes: [{ id: 'hook', type: t.id, version: t.version, config }], edges: [] });
      const statuses: string[] = [];
      for (const [label, body, type] of bodies) {
        const a = await sys.request('POST', `/hooks/${flowId}/hook`, body, { 'content-type': type });
        statuses.push(`${label} ${a.status}`);
        expect(`${t.id} ${label} ${a.status}`).toMatch(/ [24]\d\d$/);
        if (a.status >= 400) expect(a.body.error?.message ?? a.body).toBeTruthy();
      }
      // Some were accepted: the flow was there to answer, not a 404 for all.
      expect(statuses.some((x) => / 20\d$/.test(x))).toBe(true);
    }
  });

  it('cleans the API requests likewise: bodies and query strings, and refuses a body nested too deeply', async () => {
    const send = (method: string, path: string, body?: string) => sys.request(method, path, body, body ? json : {});
    const manual = await send('POST', '/api/flows/intake/run', '{"items":[{"phone":"13924689401","name":"周\\u0000杰"}]}');
    expect(manual.status).toBe(202);
    const deep = await send('POST', '/api/flows/intake/run', `{"items":[{"x":${nested(6000)}}]}`);
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatchObject({ code: 'malformed_body', message: 'the body nests deeper than 256 levels' });
    await sys.drain();
    const id = (await sys.request('GET', '/api/customers?phone=13924689401')).body.items[0].id;
    const edited = await send('PATCH', `/api/customers/${id}`, '{"attributes":{"note":"x\\u0000y\\udc00"}}');
    expect(edited.status).toBe(200);
    expect(edited.body.attributes.note.value).toBe('xy\uFFFD');
    expect(edited.body.displayName).toBe('周杰');
    expect((await send('POST', '/api/flows', JSON.stringify({ ...intakeFlow('named', 'web'), name: 'a\u0000b' }))).status).toBe(201);
    expect((await sys.request('GET', '/api/flows/named')).body.name).toBe('ab');
    for (const path of ['/api/runs?flowId=a%00b', '/api/customers?name=%E5%91%A8%00%E6%9D%B0', '/api/customers?name=%ED%A0%80']) {
      expect((await sys.request('GET', path)).status).toBe(200);
    }
    // 周\u0000杰 searches for 周杰 (the search is by similar names: others may come after).
    expect((await sys.request('GET', '/api/customers?name=%E5%91%A8%00%E6%9D%B0')).body.items[0].id).toBe(id);
  });
});
