// Issue 5 end to end: a lead arrives, is saved, scored, assigned to an owner and given a
// follow-up task; when the task is still open after the (shortened) wait, the owner is reminded on
// WeCom, and after the second wait the team lead gets an escalation task and a message. A lead whose
// task is done in time gets no reminder. Real API, worker and store; WeCom is a local server
// speaking its documented API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSystem, type System } from './support/system.js';

interface Sent {
  touser: string;
  msgtype: string;
  text?: { content: string };
}

function wecomApi(): { server: Server; sent: Sent[]; url: () => string } {
  const sent: Sent[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname === '/cgi-bin/gettoken') return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: 'app-token', expires_in: 7200 }));
      if (url.pathname === '/cgi-bin/message/send' && url.searchParams.get('access_token') === 'app-token') {
        sent.push(JSON.parse(body) as Sent);
        return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: `msg-${sent.length}` }));
      }
      res.end(JSON.stringify({ errcode: 40014, errmsg: 'invalid access_token' }));
    });
  });
  return { server, sent, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('a lead becomes a scored, assigned, followed-up customer', () => {
  let sys: System;
  const wecom = wecomApi();

  beforeAll(async () => {
    await new Promise<void>((r) => wecom.server.listen(0, '127.0.0.1', r));
    sys = await startSystem({ label: 'journey', env: { TRIBUTARY_HTTP_ALLOW_PRIVATE_HOSTS: '127.0.0.1' } });
    for (const o of [
      { id: 'zhangsan', name: '张三', wecomUserId: 'ZhangSan' },
      { id: 'lisi', name: '李四', wecomUserId: 'LiSi' },
    ]) expect((await sys.request('POST', '/api/owners', o)).status).toBe(201);
    expect((await sys.request('POST', '/api/teams', { id: 'sales-pool', name: '销售公海', members: ['zhangsan'], leadOwnerId: 'lisi' })).status).toBe(201);
    const conn = await sys.request('POST', '/api/connections', {
      type: 'wecom_app',
      name: 'WeCom app',
      secrets: { corpId: 'wwcorp0001', agentId: '1000002', secret: 'app-secret', apiBaseUrl: wecom.url() },
    });
    expect(conn.status).toBe(201);
    const wait = (id: string) => ({ id, type: 'core.delay', version: 1, config: { amount: 2, unit: 'seconds' } });
    const message = (id: string, content: string) => ({
      id,
      type: 'notify.wecom',
      version: 1,
      config: { connection: conn.body.id, touserField: 'task.owner.wecomUserId', msgtype: 'text', content },
    });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'journey',
      name: 'journey',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'web_form', event: { type: 'form_submitted', typeField: 'eventType' } } },
        {
          id: 'score',
          type: 'customer.score',
          version: 1,
          config: {
            model: 'rules',
            rules: [
              { id: 'trial', title: '提交试用', when: { eventTypes: ['trial_form_submitted'] }, points: 30, oncePerCustomer: true },
              { id: 'director', title: '总监级', when: { attributes: [{ field: 'title', contains: '总监' }] }, points: 15, oncePerCustomer: true },
            ],
            thresholds: [{ id: 'warm', min: 40, priority: 'warm', stage: 'mql' }],
          },
        },
        { id: 'assign', type: 'customer.assign', version: 1, config: { defaultTeam: 'sales-pool', strategy: 'round_robin', workingHours: 'ignore' } },
        { id: 'task', type: 'customer.task', version: 1, config: { title: '跟进新线索 {{name}}', assignTo: 'customer_owner', dueInHours: 4 } },
        wait('wait1'),
        { id: 'check1', type: 'customer.task-check', version: 1, config: {} },
        message('remind', '客户 {{name}} 还没有跟进'),
        wait('wait2'),
        { id: 'check2', type: 'customer.task-check', version: 1, config: {} },
        { id: 'escalate', type: 'customer.task', version: 1, config: { title: '升级：{{name}} 未跟进', assignTo: 'team_lead', taskIdField: 'escalationTaskId' } },
        message('tellLead', '客户 {{name}} 已升级给你'),
      ],
      edges: [
        { from: 'hook', to: 'save' },
        { from: 'save', to: 'score' },
        { from: 'score', to: 'assign' },
        { from: 'assign', to: 'task' },
        { from: 'task', to: 'wait1' },
        { from: 'wait1', to: 'check1' },
        { from: 'check1:open', to: 'remind' },
        { from: 'remind', to: 'wait2' },
        { from: 'wait2', to: 'check2' },
        { from: 'check2:open', to: 'escalate' },
        { from: 'escalate', to: 'tellLead' },
      ],
    });
  });
  afterAll(async () => {
    await sys?.stop();
    wecom.server.close();
  });

  const runStatus = async (id: string) => (await sys.request('GET', `/api/runs/${id}`)).body;

  it('scores, assigns and tasks the lead, reminds the owner, then escalates to the team lead', async () => {
    const ack = await sys.request('POST', '/hooks/journey/hook', { eventType: 'trial_form_submitted', name: '周敏', phone: '13924689001', title: '采购总监', city: '上海' });
    expect(ack.status).toBe(202);
    const runId = ack.body.runIds[0];
    await sys.waitFor(async () => (await runStatus(runId)).status === 'waiting', 20_000, 'the first wait');

    const found = (await sys.request('GET', '/api/customers?phone=13924689001')).body.items;
    expect(found).toHaveLength(1);
    const view = (await sys.request('GET', `/api/customers/${found[0].id}`)).body;
    expect(view).toMatchObject({ score: 45, stage: 'mql', priority: 'warm', owner: { id: 'zhangsan', name: '张三' } });
    const scored = view.timeline.find((e: { type: string }) => e.type === 'score_changed');
    expect(scored.payload.rules.map((r: { rule: string; points: number }) => [r.rule, r.points]).sort()).toEqual([
      ['director', 15],
      ['trial', 30],
    ]);
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['trial_form_submitted', 'owner_assigned', 'task_created']));
    const tasks = (await sys.request('GET', `/api/tasks?customerId=${found[0].id}`)).body.items;
    expect(tasks).toEqual([expect.objectContaining({ status: 'open', owner: expect.objectContaining({ id: 'zhangsan' }) })]);
    expect(wecom.sent).toEqual([]);

    await sys.waitFor(async () => (await runStatus(runId)).status === 'succeeded', 40_000, 'the run to finish');
    expect(wecom.sent.map((m) => [m.touser, m.text?.content])).toEqual([
      ['ZhangSan', '客户 周敏 还没有跟进'],
      ['LiSi', '客户 周敏 已升级给你'],
    ]);
    const after = (await sys.request('GET', `/api/tasks?customerId=${found[0].id}&status=open`)).body.items;
    expect(after.map((t: { owner: { id: string } }) => t.owner.id).sort()).toEqual(['lisi', 'zhangsan']);
  });

  it('sends no reminder when the owner completes the task in time', async () => {
    const before = wecom.sent.length;
    const ack = await sys.request('POST', '/hooks/journey/hook', { eventType: 'trial_form_submitted', name: '吴昊', phone: '13924689002' });
    const runId = ack.body.runIds[0];
    await sys.waitFor(async () => (await runStatus(runId)).status === 'waiting', 20_000, 'the first wait');
    const customer = (await sys.request('GET', '/api/customers?phone=13924689002')).body.items[0];
    const [task] = (await sys.request('GET', `/api/tasks?customerId=${customer.id}`)).body.items;
    expect((await sys.request('POST', `/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    await sys.waitFor(async () => (await runStatus(runId)).status === 'succeeded', 40_000, 'the run to finish');
    const run = await runStatus(runId);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'check1').output.done).toHaveLength(1);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'remind')?.status ?? 'skipped').toBe('skipped');
    expect(wecom.sent.length).toBe(before);
    const view = (await sys.request('GET', `/api/customers/${customer.id}`)).body;
    expect(view.timeline.map((e: { type: string }) => e.type)).toContain('task_completed');
  });
});
