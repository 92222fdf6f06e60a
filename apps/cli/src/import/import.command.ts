import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { ApiClient, describeError } from '../api-client.js';
import { ProgressReporter, summaryLine, type ImportProgress } from './import-progress.js';

const USAGE = `usage: tributary import <file.csv|file.xlsx> --flow <id> [--node <id>] [--url <api url>] [--token <admin token>]

Uploads the file to a running server, which sends each row through the flow's files.import
trigger (one run per row), and shows the progress. Bad rows are printed with their line
numbers; rows imported before are not imported twice. The server and token are found like
the other commands: --url / TRIBUTARY_URL (default http://localhost:3000), --token /
TRIBUTARY_ADMIN_TOKEN / .data/admin-token.`;

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xlsm': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/csv',
};

export async function importCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        flow: { type: 'string' },
        node: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = positionals[0];
  if (!file || !values.flow || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    console.error(`${file}: no such file`);
    return 1;
  }
  const env = { ...process.env, ...(values.url ? { TRIBUTARY_URL: values.url } : {}), ...(values.token ? { TRIBUTARY_ADMIN_TOKEN: values.token } : {}) };
  let api: ApiClient;
  try {
    api = new ApiClient(env);
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  return new ImportSession(api, adminToken(env), file, values.flow, values.node).run();
}

/** The admin token as ApiClient finds it (which keeps its own private). */
function adminToken(env: NodeJS.ProcessEnv): string {
  if (env.TRIBUTARY_ADMIN_TOKEN) return env.TRIBUTARY_ADMIN_TOKEN;
  const file = join(env.TRIBUTARY_DATA_DIR || join(process.cwd(), '.data'), 'admin-token');
  return readFileSync(file, 'utf8').trim();
}

class ImportSession {
  private readonly progress = new ProgressReporter(process.stderr);
  private readonly started = Date.now();
  private readonly abort = new AbortController();

  constructor(
    private readonly api: ApiClient,
    private readonly token: string,
    private readonly file: string,
    private readonly flowId: string,
    private readonly nodeId?: string,
  ) {}

  async run(): Promise<number> {
    const onSigint = () => this.abort.abort();
    process.once('SIGINT', onSigint);
    try {
      // A missing flow is reported before a large file is sent.
      const flow = await this.api.call('GET', `/api/flows/${encodeURIComponent(this.flowId)}`);
      if (flow.status !== 200) {
        console.error(describeError(flow.body));
        return 1;
      }
      const started = await this.upload();
      if (!started) return this.abort.signal.aborted ? 130 : 1;
      const last = await this.follow(started.id);
      if (!last) return 130;
      this.progress.end();
      if (last.error) console.error(`import ${last.status}: ${last.error.message}`);
      console.log(summaryLine(last, (Date.now() - this.started) / 1000));
      return last.status === 'succeeded' ? 0 : 1;
    } catch (err) {
      this.progress.end();
      console.error((err as Error).message);
      return 1;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  }

  /** Streams the file to the server; the import once it is stored, or undefined (error printed). */
  private async upload(): Promise<ImportProgress | undefined> {
    const total = statSync(this.file).size;
    let sent = 0;
    let lastDraw = 0;
    const meter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        sent += chunk.length;
        if (Date.now() - lastDraw > 100 || sent === total) {
          lastDraw = Date.now();
          this.progress.upload(sent, total);
        }
        done(null, chunk);
      },
    });
    const body = createReadStream(this.file).pipe(meter);
    const query = new URLSearchParams({ filename: basename(this.file), ...(this.nodeId ? { node: this.nodeId } : {}) });
    const url = `${this.api.baseUrl}/api/flows/${encodeURIComponent(this.flowId)}/imports?${query}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': CONTENT_TYPES[extname(this.file).toLowerCase()] ?? 'application/octet-stream' },
        body: Readable.toWeb(body) as unknown as RequestInit['body'],
        signal: this.abort.signal,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
    } catch (err) {
      this.progress.end();
      if (this.abort.signal.aborted) console.error('upload stopped: nothing was imported');
      else console.error(`upload to ${this.api.baseUrl} failed: ${(err as Error).message}`);
      return undefined;
    }
    const text = await res.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // not JSON
    }
    this.progress.end();
    if (res.status !== 202) {
      console.error(`${this.file}: ${describeError(answer)}`);
      return undefined;
    }
    return answer as ImportProgress;
  }

  /** Polls the import until it ends, drawing its progress; undefined when stopped with Ctrl-C. */
  private async follow(id: string): Promise<ImportProgress | undefined> {
    const pollMs = process.stderr.isTTY ? 300 : 1000;
    // Quick at first, so a small file is done in a blink; then every pollMs.
    let delay = 50;
    for (;;) {
      const res = await this.api.call<ImportProgress>('GET', `/api/imports/${id}?errorsFrom=${this.progress.errorsSeen}`);
      if (res.status !== 200) throw new Error(`could not read the import's progress: ${describeError(res.body)}`);
      this.progress.update(res.body, res.body.errors);
      if (res.body.status !== 'running') return res.body;
      delay = Math.min(delay * 2, pollMs);
      if (await this.sleep(delay)) {
        this.progress.end();
        console.error(`stopped following; the import goes on on the server. Progress: GET /api/imports/${id}; to stop it: POST /api/imports/${id}/cancel`);
        return undefined;
      }
    }
  }

  /** True when interrupted. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) return resolve(true);
      const t = setTimeout(() => resolve(false), ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve(true);
      }, { once: true });
    });
  }
}
