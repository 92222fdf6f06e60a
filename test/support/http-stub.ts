// A real HTTP server on loopback standing in for a vendor API in end-to-end tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface StubServer {
  url: string;
  hits: number;
  inFlight: number;
  maxInFlight: number;
  bodies: string[];
  close(): Promise<void>;
}

export async function startStub(handler: (req: IncomingMessage, body: string, n: number) => Promise<{ status: number; body?: unknown; delayMs?: number }>): Promise<StubServer> {
  const stub: StubServer = { url: '', hits: 0, inFlight: 0, maxInFlight: 0, bodies: [], close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const n = ++stub.hits;
      stub.bodies.push(body);
      stub.inFlight++;
      stub.maxInFlight = Math.max(stub.maxInFlight, stub.inFlight);
      try {
        const answer = await handler(req, body, n);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body ?? { ok: true }));
      } finally {
        stub.inFlight--;
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  stub.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  stub.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return stub;
}
