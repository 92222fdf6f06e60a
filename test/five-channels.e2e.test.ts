// One person reaches the company through five channels, each in its vendor's real format
// and signature: a web form, a Meta lead ad (lead fetched from the Graph API), a WeCom
// contact (fetched from the WeCom API), a Square purchase and a Zendesk ticket. The real
// API, worker and store must make one customer of them, with every identity and five
// timeline events. The vendor APIs are a local HTTP server speaking their documented JSON.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aesKeyOf, encryptWxMessage, wxSignature } from '@tributary/connector-wechat';
import { startSystem, type System } from './support/system.js';

const PERSON = {
  name: '李晓明',
  phone: '13924687788',
  email: 'xiaoming.li@corp-mail.cn',
  unionid: 'oUnion_li_xiaoming_20261122',
  externalUserId: 'wmX9y8Kqa7Lb2XiaomingLi0001',
  squareCustomerId: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
  leadgenId: '1234567890123456789', // past 2^53: must stay exact
};

const SECRETS = {
  forms: { token: randomBytes(12).toString('hex') },
  meta: { verifyToken: 'verify-me', appSecret: randomBytes(16).toString('hex'), accessToken: 'EAAB-page-token' },
  wecom: { token: 'wecomtoken', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43), corpId: 'wwcorp0001', secret: 'contact-secret' },
  square: { signatureKey: randomBytes(16).toString('base64') },
  zendesk: { signingSecret: randomBytes(24).toString('base64') },
};

/** The Graph API and the WeCom API, as documented; counts calls. */
function vendorApis(): { server: Server; calls: string[]; url: () => string } {
  const calls: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === `/v21.0/${PERSON.leadgenId}`) {
      if (url.searchParams.get('access_token') !== SECRETS.meta.accessToken) return json(400, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } });
      return json(200, {
        id: PERSON.leadgenId,
        created_time: '2026-11-20T02:00:00+0000',
        ad_id: '23851234567890124',
        campaign_id: '23851234567890000',
        form_id: '987654321098765',
        field_data: [
          { name: 'full_name', values: [PERSON.name] },
          { name: 'phone_number', values: [`+86 ${PERSON.phone.slice(0, 3)} ${PERSON.phone.slice(3, 7)} ${PERSON.phone.slice(7)}`] },
          { name: 'email', values: [PERSON.email] },
        ],
      });
    }
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpsecret') !== SECRETS.wecom.secret) return json(200, { errcode: 40001, errmsg: 'invalid credential' });
      return json(200, { errcode: 0, errmsg: 'ok', access_token: 'wecom-access-token', expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/externalcontact/get') {
      return json(200, {
        errcode: 0,
        errmsg: 'ok',
        external_contact: { external_userid: PERSON.externalUserId, name: '晓明', type: 1, gender: 1, unionid: PERSON.unionid },
        follow_user: [{ userid: 'sales01', remark: PERSON.name, remark_mobiles: [PERSON.phone], createtime: 1763700000, add_way: 1 }],
      });
    }
    json(404, { error: 'unknown path' });
  });
  return { server, calls, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('one person through five channels, each in its vendor’s format', () => {
  let sys: System;
  const apis = vendorApis();
  const conn: Record<string, string> = {};
  const flow = (id: string, trigger: { type: string; config: Record<string, unknown> }, source: string, eventType: string) => ({
    schemaVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'in', type: trigger.type, version: 1, config: trigger.config },
      { id: 'save', type: 'customer.upsert', version: 1, config: { source, event: { type: eventType, typeField: 'eventType', occurredAtField: 'occurredAt' } } },
    ],
    edges: [{ from: 'in', to: 'save' }],
  });

  beforeAll(async () => {
    await new Promise<void>((r) => apis.server.listen(0, '127.0.0.1', r));
    sys = await startSystem({ label: 'five', env: { TRIBUTARY_HTTP_ALLOW_PRIVATE_HOSTS: '127.0.0.1' } });
    for (const [type, secrets] of Object.entries(SECRETS)) {
      const r = await sys.request('POST', '/api/connections', { type, name: `${type} test`, secrets });
      expect(r.status).toBe(201);
      conn[type] = r.body.id;
    }
    await sys.createFlow(flow('web', { type: 'forms.webhook', config: { auth: 'token', connection: conn.forms } }, 'web_form', 'form_submitted'));
    await sys.createFlow(flow('meta', { type: 'meta.leadads', config: { connection: conn.meta, graphBaseUrl: apis.url(), graphVersion: 'v21.0' } }, 'meta_lead', 'lead_ad'));
    await sys.createFlow(flow('wecom', { type: 'wecom.callback', config: { connection: conn.wecom, apiBaseUrl: apis.url() } }, 'wecom', 'wecom_contact_added'));
    await sys.createFlow(flow('pos', { type: 'square.webhook', config: { connection: conn.square, notificationUrl: `${sys.url}/hooks/pos/in` } }, 'pos', 'pos_purchase'));
    await sys.createFlow(flow('desk', { type: 'zendesk.webhook', config: { connection: conn.zendesk } }, 'helpdesk', 'ticket_opened'));
  });
  afterAll(async () => {
    await sys?.stop();
    apis.server.close();
  });

  const deliveries = {
    web: () =>
      sys.request('POST', `/hooks/web/in?token=${SECRETS.forms.token}`, `姓名=${encodeURIComponent(PERSON.name)}&手机=${encodeURIComponent('139-2468-7788')}&公司=${encodeURIComponent('云帆科技有限公司')}&utm_source=baidu`, {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: '', // a form tool sends no bearer token: the URL's ?token= is the proof
      }),
    meta: () => {
      const body = `{"object":"page","entry":[{"id":"104729388765432","time":1763604000,"changes":[{"field":"leadgen","value":{"leadgen_id":${PERSON.leadgenId},"page_id":104729388765432,"form_id":987654321098765,"ad_id":23851234567890124,"created_time":1763604000}}]}]}`;
      const signature = `sha256=${createHmac('sha256', SECRETS.meta.appSecret).update(body).digest('hex')}`;
      return sys.request('POST', '/hooks/meta/in', body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
    },
    wecom: () => {
      const now = Math.floor(Date.now() / 1000);
      const xml =
        `<xml><ToUserName><![CDATA[${SECRETS.wecom.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${now}</CreateTime>` +
        `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>` +
        `<UserID><![CDATA[sales01]]></UserID><ExternalUserID><![CDATA[${PERSON.externalUserId}]]></ExternalUserID><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>`;
      const encrypt = encryptWxMessage(xml, SECRETS.wecom.corpId, aesKeyOf(SECRETS.wecom.encodingAesKey));
      const timestamp = String(now);
      const nonce = 'n0nce42';
      const sig = wxSignature(SECRETS.wecom.token, timestamp, nonce, encrypt);
      const body = `<xml><ToUserName><![CDATA[${SECRETS.wecom.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
      return sys.request('POST', `/hooks/wecom/in?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`, body, { 'content-type': 'text/xml' });
    },
    pos: () => {
      const payment = {
        id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
        created_at: '2026-11-21T08:00:01.427Z',
        updated_at: '2026-11-21T08:00:02.577Z',
        amount_money: { amount: 12800, currency: 'CNY' },
        total_money: { amount: 12800, currency: 'CNY' },
        status: 'COMPLETED',
        location_id: 'L1V7K3X8Q2ZNB',
        order_id: 'CAISENgvlJ6jLWAzERDzjyHVybY',
        customer_id: PERSON.squareCustomerId,
        buyer_email_address: PERSON.email,
      };
      const body = JSON.stringify({
        merchant_id: '6SSW7HV8K2ST5',
        type: 'payment.updated',
        event_id: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
        created_at: '2026-11-21T08:00:02.934Z',
        data: { type: 'payment', id: payment.id, object: { payment } },
      });
      const signature = createHmac('sha256', SECRETS.square.signatureKey).update(`${sys.url}/hooks/pos/in${body}`).digest('base64');
      return sys.request('POST', '/hooks/pos/in', body, { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature });
    },
    desk: () => {
      // The trigger-webhook body the connector's README gives to paste into Zendesk, as Zendesk renders it.
      const body = JSON.stringify({
        event: 'ticket_opened',
        ticket: { id: '1186', subject: '发票开错了', status: 'New', priority: '', via: 'Web form', created_at: '2026-11-22T01:00:00Z', updated_at: '2026-11-22T01:00:00Z', url: 'acme.zendesk.com/agent/tickets/1186' },
        requester: { id: '366992307413', name: PERSON.name, email: PERSON.email, phone: '' },
      });
      const timestamp = new Date().toISOString();
      const signature = createHmac('sha256', SECRETS.zendesk.signingSecret).update(timestamp + body).digest('base64');
      return sys.request('POST', '/hooks/desk/in', body, {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': signature,
        'x-zendesk-webhook-signature-timestamp': timestamp,
      });
    },
  };

  it('makes one customer with every identity and five timeline events', async () => {
    for (const [channel, send] of Object.entries(deliveries)) {
      const ack = await send();
      if (ack.status >= 300) throw new Error(`${channel}: ${ack.status} ${JSON.stringify(ack.body)}`);
      // Each channel's run finishes before the next arrives, as a real journey would.
      await sys.drain();
    }
    const runs = await sys.db.query(`SELECT flow_id, status, error FROM runs ORDER BY created_at`);
    expect(runs.rows.map((r: { flow_id: string; status: string }) => [r.flow_id, r.status])).toEqual([
      ['web', 'succeeded'],
      ['meta', 'succeeded'],
      ['wecom', 'succeeded'],
      ['pos', 'succeeded'],
      ['desk', 'succeeded'],
    ]);

    const found = await sys.request('GET', `/api/customers?phone=${PERSON.phone}`);
    expect(found.body.items).toHaveLength(1);
    const total = await sys.db.query(`SELECT count(*)::int AS n FROM customers WHERE merged_into IS NULL`);
    expect(total.rows[0].n).toBe(1);

    const view = (await sys.request('GET', `/api/customers/${found.body.items[0].id}`)).body;
    const identities = view.identities.map((i: { type: string; value: string }) => `${i.type}:${i.value}`);
    expect(identities).toEqual(
      expect.arrayContaining([
        `phone:+86${PERSON.phone}`,
        `email:${PERSON.email}`,
        `wecom_external_userid:${PERSON.externalUserId}`,
        `wechat_unionid:${PERSON.unionid}`,
        `pos_member_id:${PERSON.squareCustomerId}`,
      ]),
    );
    const events = view.timeline.map((e: { type: string }) => e.type).sort();
    expect(events).toHaveLength(5);
    expect(events).toEqual(['form_submitted', 'lead_ad', 'pos_purchase', 'ticket_opened', 'wecom_contact_added']);
    // The Meta lead's ids stayed exact, and the vendor APIs were called as documented.
    expect(JSON.stringify(view)).toContain(PERSON.leadgenId);
    expect(apis.calls).toEqual(expect.arrayContaining([`/v21.0/${PERSON.leadgenId}`, '/cgi-bin/gettoken', '/cgi-bin/externalcontact/get']));
  });

  it('acknowledges a repeated delivery the vendor’s way without a second run, and refuses a bad signature', async () => {
    const before = (await sys.db.query(`SELECT count(*)::int AS n FROM runs`)).rows[0].n;
    expect((await deliveries.meta()).status).toBe(200);
    expect((await deliveries.pos()).status).toBeLessThan(300);
    const forged = await sys.request('POST', '/hooks/meta/in', '{"object":"page","entry":[]}', { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' });
    expect(forged.status).toBe(401);
    await sys.drain();
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM runs`)).rows[0].n).toBe(before);
  });
});
