import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeError, runNode } from '@tributary/node-sdk';
import { createHttpClient } from '../../../../libs/runtime/src/http/http-client.js';
import { zendeskRequesterNode } from './zendesk-requester.node.js';

// Zendesk's Show User endpoint: GET /api/v2/users/{id}.json → {"user": {...}}, 404 {"error":"RecordNotFound"}.
const secrets = { signingSecret: 'x'.repeat(40), subdomain: 'acme', email: 'agent@acme.example', apiToken: 'zd-api-token-0123456789' };
const http = createHttpClient();
let server: Server;
let base = '';
const seen: { path: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json; charset=utf-8');
    if (req.headers.authorization !== `Basic ${Buffer.from('agent@acme.example/token:zd-api-token-0123456789').toString('base64')}`) {
      res.writeHead(401);
      return res.end('{"error":"Couldn\'t authenticate you"}');
    }
    if (req.url === '/api/v2/users/20978392.json') {
      return res.end('{"user":{"id":20978392,"url":"https://acme.zendesk.com/api/v2/users/20978392.json","name":"Ada Lovelace","email":"ada@example.com","phone":"+8613912345670","role":"end-user","organization_id":9873843}}');
    }
    res.writeHead(404);
    res.end('{"error":"RecordNotFound","description":"Not found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http.close();
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

const config = () => ({ connection: 'conn_zendesk', apiBaseUrl: base, allowPrivateNetwork: true });

describe('zendesk.requester', () => {
  it('fills email, name and phone from the Zendesk user, once per requester', async () => {
    seen.length = 0;
    const out = await runNode(zendeskRequesterNode, {
      config: config(),
      secrets,
      http,
      items: [
        { ticket_id: '1', eventType: 'ticket_opened', zendesk_requester_id: '20978392' },
        { ticket_id: '2', eventType: 'ticket_solved', zendesk_requester_id: '20978392' },
        { ticket_id: '3', eventType: 'ticket_opened', email: 'known@example.com', zendesk_requester_id: '20978392' },
        { ticket_id: '4', eventType: 'ticket_opened' },
      ],
    });
    expect(out.out).toEqual([
      { ticket_id: '1', eventType: 'ticket_opened', zendesk_requester_id: '20978392', email: 'ada@example.com', name: 'Ada Lovelace', phone: '+8613912345670' },
      { ticket_id: '2', eventType: 'ticket_solved', zendesk_requester_id: '20978392', email: 'ada@example.com', name: 'Ada Lovelace', phone: '+8613912345670' },
      { ticket_id: '3', eventType: 'ticket_opened', email: 'known@example.com', zendesk_requester_id: '20978392' },
      { ticket_id: '4', eventType: 'ticket_opened' },
    ]);
    expect(seen.map((s) => s.path)).toEqual(['/api/v2/users/20978392.json']);
  });

  it('passes a requester Zendesk does not know with requester_lookup not_found', async () => {
    const out = await runNode(zendeskRequesterNode, { config: config(), secrets, http, items: [{ ticket_id: '5', zendesk_requester_id: '404' }] });
    expect(out.out).toEqual([{ ticket_id: '5', zendesk_requester_id: '404', requester_lookup: 'not_found' }]);
  });

  it('fails the step without retries when the connection has no API credentials or the token is refused', async () => {
    const missing = await runNode(zendeskRequesterNode, { config: config(), secrets: { signingSecret: 'x'.repeat(40) }, http, items: [{ zendesk_requester_id: '20978392' }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NodeError);
    expect(missing).toMatchObject({ retryable: false, message: expect.stringMatching(/needs "subdomain", "email" and "apiToken"/) });
    const refused = await runNode(zendeskRequesterNode, { config: config(), secrets: { ...secrets, apiToken: 'wrong' }, http, items: [{ zendesk_requester_id: '20978392' }] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ retryable: false, code: 'vendor_auth_failed' });
    expect((refused as Error).message).not.toContain('wrong');
  });
});
