import { describe, expect, it } from '@jest/globals';
import { connectionsFor, connectionTypeOf, connectorFor, secretsOf, secretsUiSchema, type ConnectionSummary } from './connection.util.js';

const conn = (id: string, type: string, name: string): ConnectionSummary => ({ id, type, name, secretKeys: [], createdAt: '', updatedAt: '' });

describe('connectionTypeOf', () => {
  it('is the declared type, else the node id', () => {
    expect(connectionTypeOf({ id: 'notify.email', connection: { type: 'smtp', required: true } })).toBe('smtp');
    expect(connectionTypeOf({ id: 'core.webhook', connection: null })).toBe('core.webhook');
    // ads.convert: the platform chosen in the config names the connection type.
    const convert = { id: 'ads.convert', connection: { type: 'ads', required: true, typeField: 'platform' } };
    expect(connectionTypeOf(convert, { platform: 'oceanengine' })).toBe('oceanengine');
    expect(connectionTypeOf(convert, {})).toBe('ads');
  });
});

describe('connectionsFor', () => {
  it('keeps the type and its nodes’ types, sorted by name', () => {
    const all = [conn('1', 'smtp', 'b'), conn('2', 'sms', 'x'), conn('3', 'forms.webhook', 'a'), conn('4', 'forms', 'c'), conn('5', 'smtp', 'a')];
    expect(connectionsFor('smtp', all).map((c) => c.id)).toEqual(['5', '1']);
    expect(connectionsFor('forms', all).map((c) => c.id)).toEqual(['3', '4']);
    expect(connectionsFor('core.webhook', [conn('6', 'core', 'x'), conn('7', 'core.webhook', 'y')]).map((c) => c.id)).toEqual(['7']);
  });
});

describe('connectorFor', () => {
  const connectors = [
    { id: 'core', title: 'Core', description: '', auth: { type: 'object' } },
    { id: 'ads', title: 'Ads', description: '', auth: null },
    { id: 'smtp', title: 'SMTP', description: '', auth: { type: 'object', required: ['host'] } },
  ];
  it('finds the auth schema by type, else by connector', () => {
    expect(connectorFor('smtp', connectors)?.id).toBe('smtp');
    expect(connectorFor('core.webhook', connectors)?.id).toBe('core');
    expect(connectorFor('ads', connectors)).toBeUndefined();
  });
});

describe('secretsUiSchema', () => {
  it('masks secret-looking strings and writeOnly fields, not hosts or choices', () => {
    const ui = secretsUiSchema({
      type: 'object',
      properties: {
        host: { type: 'string' },
        password: { type: 'string' },
        appSecret: { type: 'string' },
        apiKey: { type: 'string' },
        accessKeyId: { type: 'string' },
        refreshToken: { type: 'string' },
        secure: { type: 'string', enum: ['true', 'false'] },
        pin: { type: 'string', writeOnly: true },
      },
    });
    expect(Object.keys(ui).sort()).toEqual(['apiKey', 'appSecret', 'password', 'pin', 'refreshToken']);
    expect(ui.password).toMatchObject({ 'ui:widget': 'password' });
  });
});

describe('secretsOf', () => {
  it('keeps non-empty strings only', () => {
    expect(secretsOf({ a: 'x', b: '', c: undefined, d: 1 })).toEqual({ a: 'x' });
    expect(secretsOf(undefined)).toEqual({});
  });
});
