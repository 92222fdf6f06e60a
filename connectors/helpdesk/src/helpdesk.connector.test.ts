import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { compileNodeConfig, describeNodeContract, type HttpClient, type HttpRequest, type HttpResponse, type NodeDefinition } from '@tributary/node-sdk';
import { createNodeRegistry } from '@tributary/engine';
import { checkFreshdeskSecrets, checkZendeskSecrets, checkZohoDeskSecrets, helpdeskConnectors } from './index.js';
import { ZENDESK_TEST_SIGNING_SECRET } from './util/zendesk-signature.util.js';

const nodes = helpdeskConnectors.flatMap((c) => c.nodes);
const sampleHttp: HttpClient = { request: async () => ({ status: 200, headers: {}, body: '{"user":{"id":1,"email":"a@example.com"}}' }) };

for (const node of nodes) {
  await describeNodeContract(node, {
    http: sampleHttp,
    secrets: { signingSecret: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0', apiKey: 'Abc123dEfG456hIjK789', webhookToken: 'a'.repeat(40), subdomain: 'acme', email: 'a@acme.example', apiToken: 't' },
  });
}

function fakeHttp(answer: (req: HttpRequest) => Partial<HttpResponse>) {
  const calls: HttpRequest[] = [];
  const http: HttpClient = { request: async (req) => (calls.push(req), { status: 200, headers: {}, body: '', ...answer(req) }) };
  return { http, calls };
}

describe('helpdesk connectors', () => {
  it('ships zendesk, freshdesk and zohodesk with the node ids other packages and flows use', () => {
    expect(helpdeskConnectors.map((c) => c.id)).toEqual(['zendesk', 'freshdesk', 'zohodesk']);
    expect(nodes.map((n) => `${n.id}@${n.version}`)).toEqual(['zendesk.webhook@1', 'zendesk.requester@1', 'freshdesk.tickets@1', 'zohodesk.tickets@1', 'zohodesk.tickets-poll@1']);
    for (const n of nodes) if (n.trigger) expect(n.connection).toEqual({ type: n.id.split('.')[0], required: true });
  });

  it('keeps the secret and config names CONTRACT.md §6 names for zendesk.webhook', () => {
    const zendesk = helpdeskConnectors.find((c) => c.id === 'zendesk')!;
    expect((zendesk.auth as { required: string[] }).required).toEqual(['signingSecret']);
    expect(Object.keys(nodes[0]!.configSchema.properties as object)).toEqual(expect.arrayContaining(['connection', 'toleranceSeconds']));
  });

  it('gives every config property and connection secret a title for the editor form', () => {
    const untitled: string[] = [];
    const walk = (where: string, schema: Record<string, unknown>) => {
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) if (typeof sub.title !== 'string') untitled.push(`${where}/${key}`);
    };
    for (const n of nodes) walk(n.id, n.configSchema);
    for (const c of helpdeskConnectors) walk(`${c.id}.auth`, c.auth!);
    expect(untitled).toEqual([]);
  });

  it('accepts the zendesk node config of the example flow', () => {
    const flow = JSON.parse(readFileSync(new URL('../../../flows/helpdesk-tickets.flow.json', import.meta.url), 'utf8')) as { nodes: { id: string; type: string; version: number; config: Record<string, unknown> }[] };
    const registry = createNodeRegistry(nodes as NodeDefinition[]);
    const own = flow.nodes.filter((n) => registry.get(n.type, n.version));
    expect(own.map((n) => n.type)).toEqual(['zendesk.webhook']);
    for (const n of own) expect(() => compileNodeConfig(registry.get(n.type, n.version)!, n.config)).not.toThrow();
    const upsert = flow.nodes.find((n) => n.type === 'customer.upsert')!;
    expect(upsert.config).toMatchObject({ source: 'helpdesk', event: { typeField: 'eventType', occurredAtField: 'occurredAt' } });
  });
});

describe('zendesk check', () => {
  it('checks the signing secret’s shape without calling out when no API token is given', async () => {
    const { http, calls } = fakeHttp(() => ({}));
    await expect(checkZendeskSecrets({ signingSecret: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0' }, { http })).resolves.toBeUndefined();
    await expect(checkZendeskSecrets({ signingSecret: '' }, { http })).rejects.toThrow(/no signingSecret/);
    await expect(checkZendeskSecrets({ signingSecret: ZENDESK_TEST_SIGNING_SECRET }, { http })).rejects.toThrow(/public test secret/);
    await expect(checkZendeskSecrets({ signingSecret: 'short' }, { http })).rejects.toThrow(/does not look like/);
    await expect(checkZendeskSecrets({ signingSecret: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0', subdomain: 'acme' }, { http })).rejects.toThrow(/only subdomain given/);
    expect(calls).toEqual([]);
  });

  it('calls users/me with the API token when given, and explains a refusal', async () => {
    const secrets = { signingSecret: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0', subdomain: 'acme.zendesk.com', email: 'agent@acme.example', apiToken: 'tok' };
    const ok = fakeHttp(() => ({ json: { user: { id: 35436, role: 'admin' } } }));
    await checkZendeskSecrets(secrets, { http: ok.http });
    expect(ok.calls[0]).toMatchObject({ url: 'https://acme.zendesk.com/api/v2/users/me.json', headers: { authorization: `Basic ${Buffer.from('agent@acme.example/token:tok').toString('base64')}` } });
    await expect(checkZendeskSecrets(secrets, fakeHttp(() => ({ status: 401 })))).rejects.toThrow(/refused the API token/);
    await expect(checkZendeskSecrets(secrets, fakeHttp(() => ({ json: { user: { id: null, role: 'anonymous' } } })))).rejects.toThrow(/anonymous/);
  });
});

describe('freshdesk check', () => {
  it('checks the key’s shape, and the key itself when a domain is known', async () => {
    await expect(checkFreshdeskSecrets({ apiKey: '' }, fakeHttp(() => ({})))).rejects.toThrow(/no apiKey/);
    await expect(checkFreshdeskSecrets({ apiKey: 'Abc123dEfG456hIjK789' }, fakeHttp(() => ({ status: 500 })))).resolves.toBeUndefined();
    const ok = fakeHttp(() => ({ status: 200 }));
    await checkFreshdeskSecrets({ apiKey: 'Abc123dEfG456hIjK789', domain: 'yourcompany' }, ok);
    expect(ok.calls[0]!.url).toBe('https://yourcompany.freshdesk.com/api/v2/agents/me');
    await expect(checkFreshdeskSecrets({ apiKey: 'Abc123dEfG456hIjK789', domain: 'yourcompany' }, fakeHttp(() => ({ status: 401 })))).rejects.toThrow(/refused the API key/);
  });
});

describe('zohodesk check', () => {
  it('requires a strong webhook token or complete OAuth secrets, and tries the refresh token', async () => {
    const none = fakeHttp(() => ({}));
    await expect(checkZohoDeskSecrets({ webhookToken: 'a'.repeat(40) }, none)).resolves.toBeUndefined();
    await expect(checkZohoDeskSecrets({ webhookToken: 'short' }, none)).rejects.toThrow(/at least 24 characters/);
    await expect(checkZohoDeskSecrets({}, none)).rejects.toThrow(/set a webhookToken/);
    await expect(checkZohoDeskSecrets({ clientId: 'c', refreshToken: 'r' }, none)).rejects.toThrow(/together/);
    expect(none.calls).toEqual([]);
    const oauth = { clientId: '1000.X', clientSecret: 's', refreshToken: '1000.r', orgId: '55659446', accountsBaseUrl: 'https://accounts.zoho.com.cn' };
    const good = fakeHttp(() => ({ body: '{"access_token":"1000.a","expires_in":3600}' }));
    await checkZohoDeskSecrets(oauth, good);
    expect(good.calls[0]).toMatchObject({ method: 'POST', url: 'https://accounts.zoho.com.cn/oauth/v2/token' });
    await expect(checkZohoDeskSecrets(oauth, fakeHttp(() => ({ body: '{"error":"invalid_client"}' })))).rejects.toThrow(/not accepted \(invalid_client\)/);
    await expect(checkZohoDeskSecrets({ ...oauth, orgId: 'acme' }, good)).rejects.toThrow(/numeric orgId/);
  });
});
