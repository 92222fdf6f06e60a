import {
  checkNodeConfig,
  NODE_TYPE_PATTERN,
  outputPorts,
  PORT_PATTERN,
  type CustomerStorePort,
  type HttpClient,
  type NodeDefinition,
  type WebhookTrigger,
} from '@tributary/engine';
import { validateNodeDefinition } from './define-node.js';
import { runNode, runWebhookTrigger } from './harness.js';

export interface NodeContractOptions {
  /** For nodes that call out (their sample run goes through this client). */
  http?: HttpClient;
  /** Secrets the sample config's connection would hold. */
  secrets?: Record<string, string>;
  store?: CustomerStorePort;
  now?: Date;
}

/**
 * Registers the tests every node must pass. Call it at the top level of a test file:
 * `await describeNodeContract(myNode)`. Jest is loaded only when this runs, so importing
 * the SDK in production code never touches it.
 */
export async function describeNodeContract(def: NodeDefinition, options: NodeContractOptions = {}): Promise<void> {
  const { describe, it, expect } = await import('@jest/globals');

  describe(`node contract: ${def.id}@${def.version}`, () => {
    it('has a valid declaration', () => {
      expect(validateNodeDefinition(def)).toEqual([]);
      expect(Object.isFrozen(def)).toBe(true);
    });

    it('has an id, version and ports in the stable format', () => {
      expect(def.id).toMatch(new RegExp(NODE_TYPE_PATTERN));
      expect(Number.isInteger(def.version) && def.version >= 1).toBe(true);
      const ports = [...(def.inputs ?? []), ...(def.sample ? outputPorts(def, checkNodeConfig(def, def.sample.config).config) : [])];
      for (const p of ports) expect(p).toMatch(new RegExp(PORT_PATTERN));
    });

    it('has a sample config that is valid', () => {
      expect(def.sample).toBeDefined();
      const check = checkNodeConfig(def, def.sample!.config);
      expect([...check.schemaIssues, ...check.expressionIssues, ...check.checkIssues]).toEqual([]);
    });

    it('emits only declared ports, as arrays of JSON objects, for its sample input', async () => {
      const sample = def.sample!;
      const out = await runNode(def, { config: sample.config, items: sample.input ?? [{}], secrets: options.secrets, http: options.http, store: options.store, now: options.now });
      const declared = outputPorts(def, checkNodeConfig(def, sample.config).config);
      for (const [port, items] of Object.entries(out)) {
        expect(declared).toContain(port);
        expect(Array.isArray(items)).toBe(true);
        expect(JSON.parse(JSON.stringify(items))).toEqual(items);
      }
    });

    if (def.trigger?.kind === 'webhook') {
      const trigger = def.trigger as WebhookTrigger;
      const config = (def.sample?.config ?? {}) as Record<string, unknown>;
      const requiresAuth = (typeof config.auth === 'string' && config.auth !== 'none') || def.connection?.required === true || typeof config.connection === 'string';
      const method = (trigger.methods ?? ['POST']).map((m) => m.toUpperCase()).find((m) => m !== 'GET') ?? 'POST';

      it('has its own verify function (no default)', () => {
        expect(typeof trigger.verify).toBe('function');
      });

      if (requiresAuth) {
        it('rejects an unsigned request, with or without the connection secrets', async () => {
          for (const secrets of [undefined, {}, options.secrets]) {
            const res = await runWebhookTrigger(def, {
              config,
              secrets,
              method,
              headers: { 'content-type': 'application/json' },
              body: '{"id":"evt_unsigned"}',
              now: options.now,
            });
            expect(res.handshake).toBeUndefined();
            expect(res.verify?.ok).toBe(false);
            expect(res.events).toBeUndefined();
          }
        });
      }
    }
  });
}
