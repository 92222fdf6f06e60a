import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createExpressionEvaluator, executeFlow, validateFlow, type CustomerStorePort, type Item } from '@tributary/engine';
import { InMemoryCustomerStore, InMemorySharedCache } from '@tributary/node-sdk';
import { CustomerStore } from '@tributary/customer-store';
import { createCatalog, createDataSource, createHttpClient, PgSharedCache, runMigrations } from '@tributary/runtime';
import type { SharedCache } from '@tributary/engine';

const USAGE = `usage: tributary run <flow.json> --input <items.json> [--secrets <connections.json>]
  Runs a flow locally, without a server, and prints each step's output.
  customer.* nodes write to DATABASE_URL when it is set, otherwise to an in-memory store.
  --secrets: a JSON object {"<connection id>": {"<secret>": "..."}} for nodes that name a connection.`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { input: { type: 'string' }, secrets: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const { registry } = createCatalog();
  const checked = validateFlow(JSON.parse(readFileSync(file, 'utf8')), registry);
  if (!checked.ok) {
    console.error(`${file} is not a valid flow:`);
    for (const p of checked.problems) console.error(`  - ${p.path}: ${p.message}`);
    return 1;
  }
  const flow = checked.flow;
  const input: unknown = values.input ? JSON.parse(readFileSync(values.input, 'utf8')) : [{}];
  const items = (Array.isArray(input) ? input : [input]) as Item[];
  if (items.some((i) => !i || typeof i !== 'object' || Array.isArray(i))) {
    console.error('--input must hold a JSON object or an array of objects');
    return 1;
  }
  const secrets: Record<string, Record<string, string>> = values.secrets ? JSON.parse(readFileSync(values.secrets, 'utf8')) : {};
  const triggers = flow.nodes.filter((n) => registry.get(n.type, n.version)?.trigger);
  const start = triggers.find((n) => registry.get(n.type, n.version)?.trigger?.kind === 'manual') ?? triggers[0]!;

  let store: CustomerStorePort;
  let cache: SharedCache = new InMemorySharedCache();
  let close = async () => undefined as unknown;
  if (process.env.DATABASE_URL) {
    const ds = createDataSource({ url: process.env.DATABASE_URL, poolSize: 4, applicationName: 'tributary-cli' });
    await ds.initialize();
    await runMigrations(ds);
    store = new CustomerStore(ds);
    cache = new PgSharedCache(ds);
    close = () => ds.destroy();
  } else {
    console.error('note: DATABASE_URL is not set; customer.* nodes write to an in-memory store for this run');
    store = new InMemoryCustomerStore();
  }
  const runId = `local-${Date.now()}`;
  const http = createHttpClient();
  const expr = createExpressionEvaluator();
  try {
    const result = await executeFlow({
      flow,
      registry,
      triggerNodeId: start.id,
      triggerItems: items,
      context: (node, config, attempt) => ({
        node,
        flow: { id: flow.id ?? 'local', version: 0, name: flow.name },
        runId,
        attempt,
        secrets: typeof config.connection === 'string' ? secrets[config.connection] : undefined,
        http,
        cache,
        store,
        expr,
        log: { debug() {}, info: (m) => console.error(`info: ${m}`), warn: (m) => console.error(`warn: ${m}`), error: (m) => console.error(`error: ${m}`) },
        signal: new AbortController().signal,
        now: () => new Date(),
        idempotencyKey: (s) => `${runId}:${node.id}${s === undefined ? '' : `:${s}`}`,
      }),
      onStepFinish: (step) => {
        const head = `── ${step.nodeId} [${step.status}]${step.attempts > 1 ? ` attempts=${step.attempts}` : ''}`;
        console.log(head);
        if (step.error) console.log(`   error: ${step.error.code}: ${step.error.message}`);
        if (step.output) for (const [port, out] of Object.entries(step.output)) console.log(`   ${port}: ${JSON.stringify(out)}`);
      },
    });
    if (result.status === 'waiting') {
      // A local run has no queue to come back to: it stops where a delay would pause it.
      console.log(`run waiting until ${result.resumeAt} (a local run stops at a delay; on the server the run goes on then)`);
      return 0;
    }
    console.log(`run ${result.status}`);
    return result.status === 'succeeded' ? 0 : 1;
  } finally {
    await close();
  }
}
