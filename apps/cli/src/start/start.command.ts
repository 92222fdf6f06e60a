import { parseArgs } from 'node:util';
import { resolveDataDir } from './data-dir.util.js';
import { Launcher } from './launcher.js';

const USAGE = `Usage: tributary start [--port <port>] [--data-dir <dir>]

Runs the whole system on this machine: Postgres (embedded unless DATABASE_URL is set),
Redis (when REDIS_URL is set or redis-server is on PATH; otherwise the queue runs on
Postgres), the API with the editor, and a worker. Ctrl-C stops it all gracefully.

  --port <port>      HTTP port of the API and editor (default PORT or 3000)
  --data-dir <dir>   where data, the admin token and the secret key live
                     (default TRIBUTARY_DATA_DIR or ./.data)`;

const log = (line: string) => process.stderr.write(`[tributary] ${line}\n`);

/** `tributary start`; resolves with the exit code once everything has stopped. */
export async function startCommand(argv: string[]): Promise<number> {
  let values: { port?: string; 'data-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port ?? (process.env.PORT || 3000));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`invalid port: ${values.port ?? process.env.PORT}\n`);
    return 2;
  }
  const env = { ...process.env };
  if (values['data-dir']) env.TRIBUTARY_DATA_DIR = values['data-dir'];
  const launcher = new Launcher({
    env,
    dataDir: resolveDataDir(env, process.cwd()),
    port,
    log,
    print: (text) => process.stdout.write(`${text}\n`),
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      log(`${signal}: shutting down`);
      void launcher.shutdown();
    } else if (signals === 2) {
      log(`${signal} again: killing api and worker`);
      void launcher.shutdown({ force: true });
    } else {
      process.exit(130);
    }
  };
  // Once the terminal is gone (SIGHUP) writes fail with EIO; stopping cleanly matters more than the log.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const handled: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of handled) process.on(s, onSignal);
  try {
    await launcher.start();
  } catch (err) {
    log(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    await launcher.shutdown();
    return 1;
  }
  const code = await launcher.done;
  for (const s of handled) process.off(s, onSignal);
  return code;
}
