import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@tributary/dev-services';
import { createTestDatabase, testRedisUrl } from '../../../../test/support/services.js';
import { Launcher } from './launcher.js';

let root: string;
let appsDir: string;

// Stand-ins for apps/api/dist/main.js and apps/worker/dist/main.js (built separately).
const FAKE_API = `
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
writeFileSync(process.env.ENV_DUMP, JSON.stringify(process.env));
const srv = createServer((req, res) => {
  const ok = req.url === '/api/health' && req.headers.authorization === 'Bearer ' + process.env.TRIBUTARY_ADMIN_TOKEN;
  res.statusCode = ok ? 200 : 401;
  res.end(ok ? '{"status":"ok"}' : '');
});
srv.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => srv.close(() => process.exit(0)));
`;
const FAKE_WORKER = `
import { appendFileSync } from 'node:fs';
setInterval(() => {}, 1000);
process.on('SIGTERM', () => setTimeout(() => { appendFileSync(process.env.WORKER_LOG, 'finished in-flight runs\\n'); process.exit(0); }, 200));
`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tributary-launcher-'));
  chmodSync(root, 0o755);
  appsDir = join(root, 'apps');
  for (const [app, src] of [['api', FAKE_API], ['worker', FAKE_WORKER]] as const) {
    mkdirSync(join(appsDir, app, 'dist'), { recursive: true });
    writeFileSync(join(appsDir, app, 'dist', 'main.js'), src);
  }
  // ESM, like the real build output.
  writeFileSync(join(appsDir, 'package.json'), '{"type":"module"}');
  mkdirSync(join(appsDir, 'editor', 'dist'), { recursive: true });
  writeFileSync(join(appsDir, 'editor', 'dist', 'index.html'), '<!doctype html>');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Launcher', () => {
  it('starts api and worker with the service environment, prints the banner, restarts a crash, stops in order', async () => {
    const port = await freePort();
    const logs: string[] = [];
    let banner = '';
    const envDump = join(root, 'api-env.json');
    const workerLog = join(root, 'worker.log');
    const launcher = new Launcher({
      env: { PATH: process.env.PATH, DATABASE_URL: await createTestDatabase('launcher'), REDIS_URL: testRedisUrl(), ENV_DUMP: envDump, WORKER_LOG: workerLog },
      dataDir: join(root, '.data'),
      port,
      appsDir,
      log: (l) => logs.push(l),
      print: (t) => (banner += t),
      childOutput: () => undefined,
      restart: { backoffMs: 50 },
    });
    await launcher.start();
    expect(banner).toContain(`Editor       http://localhost:${port}`);
    expect(banner).toContain(`Admin token  ${launcher.services!.adminToken}`);

    const childEnv = JSON.parse(readFileSync(envDump, 'utf8')) as Record<string, string>;
    expect(childEnv).toMatchObject({
      PORT: String(port),
      REDIS_URL: testRedisUrl(),
      TRIBUTARY_QUEUE: 'redis',
      TRIBUTARY_ADMIN_TOKEN: launcher.services!.adminToken,
      TRIBUTARY_EDITOR_DIR: join(appsDir, 'editor', 'dist'),
      TRIBUTARY_DATA_DIR: join(root, '.data'),
    });
    expect(childEnv.TRIBUTARY_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);

    // A crash is restarted, with a log line.
    const api = launcher.children.find((c) => c.name === 'api')!;
    process.kill(api.pid!, 'SIGKILL');
    for (let i = 0; i < 200 && api.starts < 2; i++) await sleep(20);
    expect(api.starts).toBe(2);
    expect(logs).toContain('api was killed by SIGKILL; restarting in 50 ms');

    await launcher.shutdown();
    expect(await launcher.done).toBe(0);
    expect(readFileSync(workerLog, 'utf8')).toBe('finished in-flight runs\n');
    expect(launcher.children.every((c) => !c.running)).toBe(true);
    expect(logs.at(-1)).toBe('stopped');
  }, 60_000);

  it('refuses to start without built entrypoints or on a busy port', async () => {
    const base = { env: {}, dataDir: join(root, 'unused'), log: () => undefined, print: () => undefined };
    await expect(new Launcher({ ...base, port: await freePort(), appsDir: join(root, 'nothing') }).start()).rejects.toThrow(/does not exist: run `npm run build` first/);
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '0.0.0.0', r));
    const port = (busy.address() as { port: number }).port;
    await expect(new Launcher({ ...base, port, appsDir }).start()).rejects.toThrow(`port ${port} is already in use`);
    busy.close();
    expect(existsSync(join(root, 'unused'))).toBe(false); // nothing was created
  });
});
