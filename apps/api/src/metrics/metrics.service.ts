import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly webhookDeliveries = new Counter({
    name: 'tributary_webhook_deliveries_total',
    help: 'Webhook deliveries by outcome (accepted, duplicate, handshake, rejected status)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly webhookAckSeconds = new Histogram({
    name: 'tributary_webhook_ack_seconds',
    help: 'Time from request to acknowledgement (delivery committed)',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(@Inject(RUNTIME) rt: Runtime) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_api_' });
    new Gauge({
      name: 'tributary_queue_jobs',
      help: 'Run jobs in the queue by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        try {
          const counts = await rt.queues.runs.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
        } catch {
          // queue unreachable: health reports it
        }
      },
    });
    new Gauge({
      name: 'tributary_runs_unfinished',
      help: 'Runs not finished yet, by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const counts = await rt.runs.counts();
        this.set({ status: 'queued' }, counts.queued);
        this.set({ status: 'running' }, counts.running);
      },
    });
    new Gauge({
      name: 'tributary_runs_finished_last_minute',
      help: 'Runs that finished in the last minute, by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows: { status: string; n: string }[] = await rt.ds.query(
          `SELECT status, count(*) AS n FROM runs WHERE finished_at > now() - interval '1 minute' GROUP BY status`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
  }
}
