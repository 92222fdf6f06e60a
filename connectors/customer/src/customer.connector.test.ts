import { describe, expect, it } from '@jest/globals';
import { describeNodeContract } from '@tributary/node-sdk';
import { customerConnector, customerNodes } from './customer.connector.js';

for (const node of customerNodes) {
  await describeNodeContract(node, { now: new Date('2026-03-01T08:00:00Z') });
}

describe('customer connector', () => {
  it('ships the node ids CONTRACT.md §6 names that this package owns, at version 1', () => {
    expect(customerConnector.id).toBe('customer');
    expect(customerConnector.nodes.map((n) => `${n.id}@${n.version}`).sort()).toEqual(['customer.normalize@1', 'customer.rescore@1', 'customer.rematch@1', 'customer.resolve@1', 'customer.score@1', 'customer.segment-entered@1', 'customer.upsert@1', 'customer.assign@1', 'customer.task@1', 'customer.task-check@1'].sort());
  });

  it('declares the ports flows connect to', () => {
    const ports = (id: string) => customerNodes.find((n) => n.id === id)!.outputs;
    expect(ports('customer.normalize')).toEqual(['out', 'unidentified']);
    expect(ports('customer.upsert')).toEqual(['out', 'error']);
    expect(ports('customer.resolve')).toEqual(['matched', 'new', 'review']);
  });
});
