import { describe, expect, it } from '@jest/globals';
import { ConfigError, NodeError, runNode, type HttpClient, type HttpRequest, type HttpResponse } from '@tributary/node-sdk';
import { httpNode } from './http.node.js';

function fakeHttp(answer: (req: HttpRequest) => HttpResponse | Promise<HttpResponse>) {
  const calls: HttpRequest[] = [];
  const http: HttpClient = { request: async (req) => (calls.push(req), answer(req)) };
  return { http, calls };
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), json: body });

async function nodeError(p: Promise<unknown>): Promise<NodeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NodeError);
    return err as NodeError;
  }
  throw new Error('expected a NodeError');
}

describe('core.http', () => {
  it('sends one request per item and adds the response', async () => {
    const { http, calls } = fakeHttp((req) => json(201, { id: `c-${(req.body as { email: string }).email}` }));
    const out = await runNode(httpNode, {
      config: { method: 'POST', url: 'https://api.example.com/leads', headers: { 'x-api-key': 'k' }, body: 'item', timeoutMs: 5000 },
      items: [{ email: 'a@x' }, { email: 'b@x' }],
      http,
    });
    expect(out.out).toEqual([
      { email: 'a@x', response: { status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'c-a@x' } } },
      { email: 'b@x', response: { status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'c-b@x' } } },
    ]);
    expect(calls[0]).toEqual({ method: 'POST', url: 'https://api.example.com/leads', headers: { 'x-api-key': 'k' }, body: { email: 'a@x' }, timeoutMs: 5000, allowPrivateNetwork: false });
  });

  it('builds the URL and body from expressions, with a stable idempotency key', async () => {
    const { http, calls } = fakeHttp(() => ({ status: 200, headers: {}, body: 'ok' }));
    const out = await runNode(httpNode, {
      config: {
        method: 'PUT',
        urlExpression: '"https://api.example.com/contacts/" & $encodeUrlComponent(id)',
        body: 'expression',
        bodyExpression: '{ "name": name, "run": $runId }',
        idempotencyHeader: 'Idempotency-Key',
        responseField: 'reply',
        allowPrivateNetwork: true,
      },
      items: [{ id: 'a/1', name: 'Ada' }],
      runId: 'r1',
      nodeId: 'call',
      http,
    });
    expect(calls[0]).toMatchObject({ url: 'https://api.example.com/contacts/a%2F1', body: { name: 'Ada', run: 'r1' }, headers: { 'Idempotency-Key': 'r1:call:0' }, allowPrivateNetwork: true });
    expect(out.out).toEqual([{ id: 'a/1', name: 'Ada', reply: { status: 200, headers: {}, body: 'ok' } }]);
  });

  it('sends items answered with 4xx to error and carries on', async () => {
    const { http } = fakeHttp((req) => (req.url.endsWith('/missing') ? json(404, { error: 'not found' }) : json(200, {})));
    const out = await runNode(httpNode, { config: { urlExpression: '"https://x.test/" & id' }, items: [{ id: 'missing' }, { id: 'there' }], http });
    expect(out.out).toHaveLength(1);
    expect(out.error).toEqual([
      { item: { id: 'missing' }, error: { code: 'http_status', message: 'GET https://x.test/missing answered 404', details: { status: 404, url: 'https://x.test/missing', body: '{"error":"not found"}' } } },
    ]);
  });

  it.each([500, 503, 429])('fails the step as retryable on %i', async (status) => {
    const { http } = fakeHttp(() => json(status, {}));
    const err = await nodeError(runNode(httpNode, { config: { url: 'https://x.test' }, items: [{}], http }));
    expect(err.code).toBe('http_status');
    expect(err.retryable).toBe(true);
    expect(err.details).toMatchObject({ status });
  });

  it('fails as retryable on network errors, and keeps the client’s verdict when it gives one', async () => {
    const reset = fakeHttp(() => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    const err = await nodeError(runNode(httpNode, { config: { url: 'https://x.test' }, items: [{}], http: reset.http }));
    expect(err).toMatchObject({ code: 'ECONNRESET', retryable: true });
    const blocked = fakeHttp(() => Promise.reject(Object.assign(new Error('10.0.0.1 is a private address'), { code: 'http_blocked', retryable: false })));
    const err2 = await nodeError(runNode(httpNode, { config: { url: 'http://10.0.0.1' }, items: [{}], http: blocked.http }));
    expect(err2).toMatchObject({ code: 'http_blocked', retryable: false });
  });

  it('declares a retry policy of 3 attempts with a 1 s backoff', () => {
    expect(httpNode.retry).toEqual({ maxAttempts: 3, backoffMs: 1000 });
  });

  it('needs a URL or URL expression and caps the timeout', async () => {
    await expect(runNode(httpNode, { config: {}, items: [] })).rejects.toBeInstanceOf(ConfigError);
    await expect(runNode(httpNode, { config: { url: 'https://x.test', timeoutMs: 120001 }, items: [] })).rejects.toBeInstanceOf(ConfigError);
    await expect(runNode(httpNode, { config: { url: 'ftp://x.test' }, items: [] })).rejects.toBeInstanceOf(ConfigError);
    await expect(runNode(httpNode, { config: { url: 'https://x.test', body: 'expression' }, items: [] })).rejects.toBeInstanceOf(ConfigError);
  });
});
