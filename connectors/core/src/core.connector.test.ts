import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createNodeRegistry, validateFlow, type HttpClient, type NodeDefinition } from '@tributary/engine';
import { compileNodeConfig, describeNodeContract } from '@tributary/node-sdk';
import { coreConnector, coreNodes } from './core.connector.js';

const http: HttpClient = { request: async (req) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}', json: { ok: true, echo: req.url } }) };

for (const node of coreNodes) {
  await describeNodeContract(node, { http, secrets: { secret: 'sample-secret', token: 'sample-token' } });
}

describe('core connector', () => {
  it('ships the node ids CONTRACT.md §6 names, each at version 1', () => {
    expect(coreConnector.id).toBe('core');
    expect(coreConnector.nodes.map((n) => `${n.id}@${n.version}`).sort()).toEqual(
      ['core.branch', 'core.delay', 'core.filter', 'core.http', 'core.manual', 'core.schedule', 'core.transform', 'core.validate', 'core.webhook'].map((id) => `${id}@1`),
    );
  });

  it('keeps the config keys outside checks use', () => {
    const props = (id: string) => Object.keys((coreNodes.find((n) => n.id === id)!.configSchema.properties ?? {}) as object);
    expect(props('core.webhook')).toEqual(expect.arrayContaining(['auth', 'connection', 'toleranceSeconds']));
    expect((coreNodes.find((n) => n.id === 'core.webhook')!.configSchema.properties as Record<string, { enum?: string[] }>).auth!.enum).toEqual(['none', 'hmac', 'token']);
    expect(props('core.schedule')).toContain('cron');
    expect(props('core.transform')).toContain('expression');
    expect(props('core.filter')).toContain('condition');
    expect(props('core.validate')).toContain('schema');
  });

  it('gives every config property a title for the editor form', () => {
    const untitled: string[] = [];
    const walk = (node: NodeDefinition, schema: Record<string, unknown>, path: string) => {
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof sub.title !== 'string') untitled.push(`${node.id}${path}/${key}`);
        if (sub.type === 'array' && sub.items && typeof sub.items === 'object') walk(node, sub.items as Record<string, unknown>, `${path}/${key}/items`);
      }
    };
    for (const node of coreNodes) walk(node, node.configSchema, '');
    expect(untitled).toEqual([]);
  });

  it('accepts the core node configs of the example flow in flows/', () => {
    const flow = JSON.parse(readFileSync(new URL('../../../flows/lead-intake.flow.json', import.meta.url), 'utf8')) as { nodes: Array<{ id: string; type: string; version: number; config: unknown }> };
    const registry = createNodeRegistry(coreNodes);
    const core = flow.nodes.filter((n) => n.type.startsWith('core.'));
    expect(core.length).toBeGreaterThanOrEqual(3);
    for (const n of core) expect(() => compileNodeConfig(registry.get(n.type, n.version)!, n.config)).not.toThrow();
  });

  it('validates a whole flow of core nodes', () => {
    const res = validateFlow(
      {
        schemaVersion: 1,
        name: 'core only',
        nodes: [
          { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'token', connection: 'c1' } },
          { id: 'route', type: 'core.branch', version: 1, config: { rules: [{ port: 'vip', condition: 'total > 100' }] } },
          { id: 'shape', type: 'core.transform', version: 1, config: { expression: '{"id": id}' } },
        ],
        edges: [
          { from: 'hook', to: 'route' },
          { from: 'route:vip', to: 'shape' },
          { from: 'route:else', to: 'shape' },
        ],
      },
      createNodeRegistry(coreNodes),
    );
    expect(res).toMatchObject({ ok: true });
    const bad = validateFlow(
      {
        schemaVersion: 1,
        name: 'bad',
        nodes: [
          { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'hmac' } },
          { id: 'route', type: 'core.branch', version: 1, config: { rules: [{ port: 'vip', condition: 'total >' }] } },
        ],
        edges: [{ from: 'hook', to: 'route:vip' }, { from: 'route:gold', to: 'route' }],
      },
      createNodeRegistry(coreNodes),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => `${p.code} ${p.path}`).sort()).toEqual([
        'cycle /edges/1',
        'invalid_config /nodes/0/config/connection',
        'invalid_expression /nodes/1/config/rules/0/condition',
        'unknown_port /edges/0/to',
        'unknown_port /edges/1/from',
      ]);
    }
  });
});
