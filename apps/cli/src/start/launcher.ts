import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServices, withoutPassword, type LocalServices } from './local-services.js';
import { SupervisedProcess, type SupervisedProcessOptions } from './process-supervisor.js';
import { waitForHealth } from './wait-for-health.util.js';

/** `apps/`, seen from apps/cli/{src,dist}/start/. */
export const APPS_DIR = fileURLToPath(new URL('../../../', import.meta.url));

export interface LauncherOptions {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  port: number;
  /** Launcher messages, one line each. */
  log: (line: string) => void;
  /** The banner. */
  print: (text: string) => void;
  /** Where api/dist, worker/dist and editor/dist are (default: next to this package). */
  appsDir?: string;
  /** PATH for finding redis-server (default env.PATH). */
  path?: string;
  /** How long api and worker get to finish after SIGTERM (default 30 s). */
  shutdownTimeoutMs?: number;
  /** Lines printed by api and worker; by default they write to our stdout and stderr directly. */
  childOutput?: (name: string, line: string) => void;
  /** Restart policy overrides (tests). */
  restart?: Pick<SupervisedProcessOptions, 'backoffMs' | 'maxBackoffMs' | 'maxQuickCrashes' | 'quickCrashMs'>;
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * `npm start`: local services, then api and worker as supervised child processes, then a
 * banner once the API answers its health check; shutdown in the reverse order.
 */
export class Launcher {
  services?: LocalServices;
  readonly children: SupervisedProcess[] = [];
  /** Resolves with the process exit code once everything this launcher started has stopped. */
  readonly done: Promise<number>;
  private resolveDone!: (code: number) => void;
  private readonly aborted = new AbortController();
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  private exitCode = 0;

  constructor(private readonly opts: LauncherOptions) {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Resolves once the banner is printed (or shutdown began); rejects when startup fails. */
  start(): Promise<void> {
    this.starting ??= this.run();
    return this.starting;
  }

  private async run(): Promise<void> {
    const { opts } = this;
    const appsDir = opts.appsDir ?? APPS_DIR;
    const entries = { api: join(appsDir, 'api/dist/main.js'), worker: join(appsDir, 'worker/dist/main.js') };
    for (const entry of Object.values(entries)) {
      if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` first (\`npm start\` does)`);
    }
    const host = opts.env.HOST || '0.0.0.0';
    if (!(await portIsFree(opts.port, host))) throw new Error(`port ${opts.port} is already in use: stop what listens there or set PORT`);

    this.services = await startLocalServices({ env: opts.env, dataDir: opts.dataDir, log: opts.log, path: opts.path });
    if (this.aborted.signal.aborted) return;

    const editorDir = join(appsDir, 'editor/dist');
    const env: Record<string, string> = { ...this.services.env, PORT: String(opts.port) };
    // Uploaded import files wait under .data/imports, so an import resumes after a reboot too.
    env.TRIBUTARY_DATA_DIR ||= opts.dataDir;
    if (!env.TRIBUTARY_EDITOR_DIR && existsSync(join(editorDir, 'index.html'))) env.TRIBUTARY_EDITOR_DIR = editorDir;

    for (const [name, entry] of Object.entries(entries)) {
      const child = new SupervisedProcess({
        name,
        entry,
        env,
        log: opts.log,
        output: opts.childOutput,
        ...opts.restart,
        onGiveUp: (err) => {
          opts.log(`${err.message}: stopping`);
          this.exitCode = 1;
          void this.shutdown();
        },
      });
      this.children.push(child);
      child.start();
    }

    const status = await waitForHealth({
      url: `http://127.0.0.1:${opts.port}/api/health`,
      token: this.services.adminToken,
      signal: this.aborted.signal,
      onSlow: (last) => opts.log(`the API has not answered after 60 s (last: ${last}); still waiting`),
    });
    if (status === undefined) return;
    if (status < 200 || status >= 300) opts.log(`the API is up but reports unhealthy (HTTP ${status}): see GET /api/health`);
    const s = this.services;
    opts.print(
      [
        '',
        '  Tributary is running',
        '',
        `  Editor       http://localhost:${opts.port}`,
        `  Admin token  ${s.adminToken}`,
        `  Database     ${withoutPassword(s.databaseUrl)}${s.started.postgres ? ' (embedded)' : ''}`,
        `  Queue        ${s.queue === 'redis' ? `Redis ${s.redisUrl ?? ''}` : 'BullMQ on Postgres'}`,
        `  Data         ${opts.dataDir}`,
        '',
        '  Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }

  /**
   * SIGTERM to api and worker, wait for them (up to shutdownTimeoutMs, then SIGKILL), then
   * stop Redis and Postgres. `force` (a second Ctrl-C) kills the children at once.
   */
  shutdown(opts: { force?: boolean } = {}): Promise<void> {
    if (opts.force) {
      this.exitCode = this.exitCode || 130;
      for (const c of this.children) void c.kill();
    }
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    this.aborted.abort();
    const timeoutMs = this.opts.shutdownTimeoutMs ?? 30_000;
    // Startup stops at its next step; wait for it so nothing it starts is left behind.
    await this.starting?.catch(() => undefined);
    const running = this.children.filter((c) => c.running);
    if (running.length) this.opts.log(`stopping ${running.map((c) => c.name).join(' and ')} (up to ${timeoutMs / 1000} s; Ctrl-C again to force)`);
    await Promise.all(this.children.map((c) => c.stop(timeoutMs)));
    await this.services?.stop();
    this.opts.log('stopped');
    this.resolveDone(this.exitCode);
  }
}
