import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { at, wechatVectors as v } from '../__fixtures__/official-vectors.js';
import { encryptedPush, plainPush, wxXml } from '../__fixtures__/wx-delivery.fixture.js';
import { parseWxBody } from '../message/wx-message.util.js';
import { wechatOfficialTrigger } from './wechat-official.trigger.js';

// The pushed message is decoded (XML or JSON, every value a string), mutated, and sent again as a
// JSON push: in plain mode signed over token, timestamp and nonce, in safe mode encrypted and signed.
const config = { connection: 'conn_wechat' };
const keys = { token: v.token, encodingAesKey: v.encodingAesKey, receiveId: v.appId };
const NOW = '1714112445';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

const plain = (body: string) =>
  runWebhookTrigger(wechatOfficialTrigger, { config, secrets: { token: v.token, appId: v.appId }, ...plainPush(v.token, body, NOW), headers: { 'content-type': 'application/json' }, now: at(NOW) });
const safe = (body: string) =>
  runWebhookTrigger(wechatOfficialTrigger, { config, secrets: { token: v.token, appId: v.appId, encodingAesKey: v.encodingAesKey }, ...encryptedPush(keys, body, NOW, { wechat: true }), now: at(NOW) });

const subscribe = wxXml({ ToUserName: 'gh_97417a04a28d', FromUserName: OPENID, CreateTime: NOW, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_expo_2024_booth', Ticket: 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2tUWUVQX1Q=' });
const text = wxXml({ ToUserName: 'gh_97417a04a28d', FromUserName: OPENID, CreateTime: NOW, MsgType: 'text', Content: '我想了解一下报价', MsgId: '24518302948371234567' });

describe('wechat.official type confusion', () => {
  it.each([
    ['a QR-code subscribe in plain mode', subscribe, plain],
    ['a text message in plain mode', text, plain],
    ['a QR-code subscribe in safe mode', subscribe, safe],
    ['the official plain-mode JSON push', v.plainPost.body, plain],
  ])('maps or refuses with a PayloadError %s with any one value of another type', async (_name, message, deliver) => {
    const cases = typeConfusionCases(parseWxBody(message).message);
    const report = await fuzzTrigger('wechat.official', cases, (c) => deliver(fuzzJson(c.doc)));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(80);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
