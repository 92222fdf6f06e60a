import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { at, wecomVectors as v } from '../__fixtures__/official-vectors.js';
import { contactEventXml } from '../__fixtures__/wecom-contact.fixture.js';
import { encryptedPush, wxXml } from '../__fixtures__/wx-delivery.fixture.js';
import { parseWxBody } from '../message/wx-message.util.js';
import { wecomCallbackTrigger } from './wecom-callback.trigger.js';

// The decrypted callback is mutated, sent again as JSON, encrypted for the corp and signed:
// verify opens it, decode parses it, map maps it.
const secrets = { token: v.token, encodingAesKey: v.encodingAesKey, corpId: v.corpId };
const keys = { token: v.token, encodingAesKey: v.encodingAesKey, receiveId: v.corpId };
const NOW = '1714528800';
const deliver = (message: string, events: 'all' | 'external_contact') =>
  runWebhookTrigger(wecomCallbackTrigger, { config: { connection: 'conn_wecom', events }, secrets, ...encryptedPush(keys, message, NOW, { format: 'json' }), headers: { 'content-type': 'application/json' }, now: at(NOW) });

const added = contactEventXml('add_external_contact', { corpId: v.corpId, createTime: NOW, state: 'expo_2024' });
const deleted = contactEventXml('del_follow_user', { corpId: v.corpId, createTime: NOW });
const text = wxXml({ ToUserName: v.corpId, FromUserName: 'mycreate', CreateTime: NOW, MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' });

describe('wecom.callback type confusion', () => {
  it.each([
    ['an add_external_contact event', added, 'external_contact'],
    ['a del_follow_user event', deleted, 'external_contact'],
    ['a text message with events "all"', text, 'all'],
  ] as const)('maps or refuses with a PayloadError %s with any one value of another type', async (_name, message, events) => {
    const cases = typeConfusionCases(parseWxBody(message).message);
    const report = await fuzzTrigger('wecom.callback', cases, (c) => deliver(fuzzJson(c.doc), events));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(90);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
