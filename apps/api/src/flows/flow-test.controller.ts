import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { flowDocumentSchema } from '@tributary/engine';
import { badRequest, StepTester, type Runtime, type StepTestMode, type StepTestResult } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

interface TestBody {
  nodeId?: unknown;
  mode?: unknown;
  items?: unknown;
  triggerNodeId?: unknown;
  document?: unknown;
  version?: unknown;
}

const testBodySchema = (documentRequired: boolean) => ({
  type: 'object',
  required: documentRequired ? ['nodeId', 'document'] : ['nodeId'],
  properties: {
    nodeId: { type: 'string', description: 'The node to test' },
    mode: { type: 'string', enum: ['node', 'until'], default: 'node', description: 'node: run only this node on `items`; until: run from a trigger up to and including this node' },
    items: { type: 'array', items: { type: 'object' }, maxItems: 100, description: "node: the node's input (default: its declared sample input); until: the trigger's items (default: the trigger's sample input, else [{}])" },
    triggerNodeId: { type: 'string', description: 'until: the trigger to start from when several reach the node' },
    document: { ...(flowDocumentSchema as object), description: documentRequired ? 'The flow document to test' : 'The unsaved draft to test (default: the saved version)' },
    ...(documentRequired ? {} : { version: { type: 'integer', minimum: 1, description: 'The saved version to test when no document is sent (default: the latest)' } }),
  },
});

const TEST_SUMMARY = 'Steps run in the API process, once, with no retries and no entry in /api/runs; side effects (customer writes, notifications) are real.';

/**
 * "Test a step" for the editor. The engine work is the runtime's StepTester; this only finds
 * the document (the saved version, or the draft sent along) and checks the request's shape.
 */
@ApiTags('flows')
@Controller('api/flows')
export class FlowTestController {
  private readonly tester: StepTester;

  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {
    this.tester = new StepTester(rt.nodeHost());
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({ summary: `Test a node of a flow that is not saved yet (the document is required). ${TEST_SUMMARY}` })
  @ApiBody({ schema: testBodySchema(true) })
  async testDraft(@Body() body: TestBody | undefined): Promise<StepTestResult> {
    const b = checkBody(body);
    if (b.document === undefined) throw badRequest('invalid_request', 'document is required: the flow to test (or POST /api/flows/:id/test for a saved flow)');
    return this.tester.test({ flow: b.document, nodeId: b.nodeId, mode: b.mode, items: b.items, triggerNodeId: b.triggerNodeId });
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: `Test a node of a saved flow: its latest version, a given version, or the draft sent as document. ${TEST_SUMMARY}` })
  @ApiBody({ schema: testBodySchema(false) })
  async testSaved(@Param('id') id: string, @Body() body: TestBody | undefined): Promise<StepTestResult> {
    const b = checkBody(body);
    const saved = await this.rt.flows.get(id);
    let flow: unknown;
    let flowRef: { id: string; version: number };
    if (b.document !== undefined) {
      const docId = (b.document as { id?: unknown } | null)?.id;
      if (docId !== undefined && docId !== id) throw badRequest('flow_id_mismatch', `the document's id ${String(docId)} differs from ${id}`);
      flow = { ...(b.document as object), id };
      // Version 0: an unsaved draft of this flow (what provenance records for writes made by the test).
      flowRef = { id, version: 0 };
    } else {
      const version = b.version === undefined ? saved.version : parseVersion(b.version);
      flow = await this.rt.flows.getVersion(id, version);
      flowRef = { id, version };
    }
    return this.tester.test({ flow, flowRef, nodeId: b.nodeId, mode: b.mode, items: b.items, triggerNodeId: b.triggerNodeId });
  }
}

function checkBody(body: TestBody | undefined): { nodeId: string; mode: StepTestMode; items?: unknown; triggerNodeId?: string; document?: unknown; version?: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalid_request', 'the body must be a JSON object with nodeId');
  if (typeof body.nodeId !== 'string' || !body.nodeId) throw badRequest('invalid_request', 'nodeId is required');
  const mode = body.mode ?? 'node';
  if (mode !== 'node' && mode !== 'until') throw badRequest('invalid_mode', 'mode must be "node" or "until"');
  if (body.triggerNodeId !== undefined && typeof body.triggerNodeId !== 'string') throw badRequest('invalid_request', 'triggerNodeId must be a string');
  if (body.document !== undefined && (!body.document || typeof body.document !== 'object' || Array.isArray(body.document))) {
    throw badRequest('invalid_request', 'document must be a flow document (a JSON object)');
  }
  return { nodeId: body.nodeId, mode, items: body.items, triggerNodeId: body.triggerNodeId, document: body.document, version: body.version };
}

function parseVersion(v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw badRequest('invalid_version', `version must be a positive integer, got ${String(v)}`);
  return n;
}
