import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { flowDocumentSchema, type Item, type FlowDocument } from '@tributary/engine';
import { badRequest, PollStateService, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

const MAX_MANUAL_ITEMS = 1000;

@ApiTags('flows')
@Controller('api/flows')
export class FlowsController {
  private readonly pollState: PollStateService;

  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {
    this.pollState = new PollStateService({ ds: rt.ds, flows: rt.flows, registry: rt.catalog.registry, log: rt.log });
  }

  @Post()
  @ApiOperation({ summary: 'Create a flow (saved as draft version 1)' })
  @ApiBody({ schema: flowDocumentSchema as object })
  async create(@Body() body: unknown): Promise<{ id: string; version: number }> {
    return this.rt.flows.create(body);
  }

  @Get()
  async list() {
    return { items: await this.rt.flows.list() };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Query('version') version?: string) {
    const detail = await this.rt.flows.get(id, version ? parseVersion(version) : undefined);
    return { ...detail, webhooks: this.webhookUrls(id, detail.document) };
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Saved versions, newest first, with which one is published and which were restored from another' })
  async versions(@Param('id') id: string) {
    await this.rt.flows.get(id);
    return { items: await this.rt.flows.versionsOf(id) };
  }

  @Post(':id/versions/:version/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Roll back: save a copy of an earlier version as the new draft ({"publish": true} also publishes it), in one audited step' })
  async restore(@Param('id') id: string, @Param('version') version: string, @Body() body: { publish?: unknown } | undefined) {
    const publish = body?.publish ?? false;
    if (typeof publish !== 'boolean') throw badRequest('invalid_request', 'publish must be true or false');
    const restored = await this.rt.flows.restore(id, parseVersion(version), { publish });
    if (publish) await this.rt.scheduler.sync(id, restored.document);
    return {
      id,
      version: restored.version,
      restoredFrom: restored.restoredFrom,
      publishedVersion: restored.publishedVersion,
      webhooks: publish ? this.webhookUrls(id, restored.document) : [],
    };
  }

  @Put(':id')
  @ApiOperation({ summary: 'Save a new draft version' })
  @ApiBody({ schema: flowDocumentSchema as object })
  async update(@Param('id') id: string, @Body() body: unknown) {
    return this.rt.flows.update(id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate the triggers of a saved version (default: the latest)' })
  async publish(@Param('id') id: string, @Body() body: { version?: number } | undefined) {
    const version = body?.version === undefined ? undefined : parseVersion(String(body.version));
    const published = await this.rt.flows.publish(id, version);
    await this.rt.scheduler.sync(id, published.document);
    return { id, publishedVersion: published.version, webhooks: this.webhookUrls(id, published.document) };
  }

  @Post(':id/unpublish')
  @HttpCode(200)
  async unpublish(@Param('id') id: string) {
    await this.rt.flows.unpublish(id);
    await this.rt.scheduler.sync(id, null);
    return { id, publishedVersion: null };
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string) {
    await this.rt.flows.remove(id);
    await this.rt.scheduler.sync(id, null);
    return { id, deleted: true };
  }

  @Post(':id/run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a run with the given items (published version, or the latest draft when unpublished)' })
  async run(
    @Param('id') id: string,
    @Body() body: { items?: unknown; version?: number } | undefined,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<{ runId: string; duplicate: boolean }> {
    const items = body?.items ?? [{}];
    if (!Array.isArray(items) || items.some((i) => !i || typeof i !== 'object' || Array.isArray(i))) {
      throw badRequest('invalid_items', 'items must be an array of JSON objects');
    }
    if (items.length > MAX_MANUAL_ITEMS) throw badRequest('too_many_items', `at most ${MAX_MANUAL_ITEMS} items per manual run`);
    const flow = await this.rt.flows.get(id);
    const version = body?.version !== undefined ? parseVersion(String(body.version)) : (flow.publishedVersion ?? flow.version);
    const doc = await this.rt.flows.getVersion(id, version);
    const trigger = this.startNode(doc);
    const accepted = await this.rt.runs.accept({
      flowId: id,
      flowVersion: version,
      triggerNode: trigger,
      triggerKind: 'manual',
      dedupeKey: idempotencyKey ? `manual:${idempotencyKey}` : undefined,
      items: items as Item[],
    });
    if (!accepted.duplicate) await this.rt.enqueuer.enqueue(accepted.runId, accepted.jobId);
    return { runId: accepted.runId, duplicate: accepted.duplicate };
  }

  @Get(':id/triggers/:nodeId/state')
  @ApiOperation({ summary: 'A poll trigger’s cursor, last poll, last error and backoff' })
  async triggerState(@Param('id') id: string, @Param('nodeId') nodeId: string) {
    await this.rt.flows.get(id);
    return this.pollState.get(id, nodeId);
  }

  @Post(':id/triggers/:nodeId/backfill')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a poll trigger read again from a point in time ({"from": ISO time}); runs already made are not repeated' })
  async backfill(@Param('id') id: string, @Param('nodeId') nodeId: string, @Body() body: { from?: unknown } | undefined) {
    const from = typeof body?.from === 'string' ? new Date(body.from) : undefined;
    if (!from || Number.isNaN(from.getTime())) throw badRequest('invalid_request', 'from must be an ISO 8601 time, e.g. {"from": "2026-11-01T00:00:00Z"}');
    const state = await this.pollState.backfill(id, nodeId, from);
    await this.rt.scheduler.pollNow(id, nodeId);
    return state;
  }

  @Post(':id/triggers/:nodeId/poll')
  @HttpCode(202)
  @ApiOperation({ summary: 'Poll a poll trigger now, besides its schedule (a trigger backing off after vendor errors stays paused until its nextPollAt)' })
  async pollNow(@Param('id') id: string, @Param('nodeId') nodeId: string) {
    await this.pollState.requirePollTrigger(id, nodeId);
    return { queued: true, jobId: await this.rt.scheduler.pollNow(id, nodeId) };
  }

  /** A manual trigger if the flow has one, otherwise its first trigger (items pass through it). */
  private startNode(doc: FlowDocument): string {
    const triggers = doc.nodes.filter((n) => this.rt.catalog.registry.get(n.type, n.version)?.trigger);
    const manual = triggers.find((n) => this.rt.catalog.registry.get(n.type, n.version)?.trigger?.kind === 'manual');
    const start = manual ?? triggers[0];
    if (!start) throw badRequest('no_trigger', 'the flow has no trigger node');
    return start.id;
  }

  private webhookUrls(id: string, doc: FlowDocument): { nodeId: string; url: string }[] {
    return doc.nodes
      .filter((n) => this.rt.catalog.registry.get(n.type, n.version)?.trigger?.kind === 'webhook')
      .map((n) => ({ nodeId: n.id, url: `${this.rt.config.publicUrl}/hooks/${encodeURIComponent(id)}/${encodeURIComponent(n.id)}` }));
  }
}

function parseVersion(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw badRequest('invalid_version', `version must be a positive integer, got ${v}`);
  return n;
}
