import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunOutcome, StepObserver } from '@tributary/runtime';

/**
 * What a worker process knows that the API's /metrics cannot see: how long each kind of step
 * takes, how runs end here, and the process itself (event-loop lag, memory). Served on its own
 * port (TRIBUTARY_WORKER_METRICS_PORT) because a worker has no HTTP server.
 */
export class WorkerMetrics implements StepObserver {
  readonly registry = new Registry();
  private readonly steps = new Histogram({
    name: 'tributary_step_duration_seconds',
    help: 'Time a step took in this worker, by node type and final status of the attempt',
    labelNames: ['node_type', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'tributary_step_retries_total',
    help: 'Step attempts after the first, by node type',
    labelNames: ['node_type'],
    registers: [this.registry],
  });
  private readonly runs = new Counter({
    name: 'tributary_run_executions_total',
    help: 'Run jobs this worker executed, by outcome (succeeded, failed, cancelled, retry_later, waiting, throttled, skipped)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_worker_' });
  }

  stepFinished(step: { nodeType: string; status: string; seconds: number; attempt: number }): void {
    this.steps.observe({ node_type: step.nodeType, status: step.status }, step.seconds);
    if (step.attempt > 1) this.retries.inc({ node_type: step.nodeType });
  }

  runExecuted(outcome: RunOutcome): void {
    this.runs.inc({ outcome: outcome.kind === 'finished' ? outcome.status : outcome.kind.replace('-', '_') });
  }

  /** Serves GET /metrics (Prometheus text) on host:port; anything else is a 404. */
  listen(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}
