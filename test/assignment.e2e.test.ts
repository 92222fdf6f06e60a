// Owners, teams and tasks through the API, and a lead flow end to end on the real API and
// worker: webhook → customer.upsert → customer.assign → customer.task gives each lead an owner
// by region and a follow-up task, which the owner completes through the API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('owners, teams, assignment and tasks', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'assignment' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  describe('owners and teams API', () => {
    it('creates, reads, updates, lists and deletes owners, with clear 400s, 404s and 409s', async () => {
      const created = await sys.request('POST', '/api/owners', {
        id: 'wang.fang',
        name: '王芳',
        email: 'wangfang@corp.cn',
        phone: '13900000001',
        wecom_userid: 'WangFang',
        capacity: 50,
        working_hours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
        attributes: { regions: ['上海', '杭州'], productLines: ['CRM'] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'wang.fang', name: '王芳', wecomUserId: 'WangFang', active: true, capacity: 50, workingHours: { timezone: 'Asia/Shanghai' }, load: { openCustomers: 0, openTasks: 0 } });

      const generated = await sys.request('POST', '/api/owners', { name: '临时' });
      expect(generated.status).toBe(201);
      expect(typeof generated.body.id).toBe('string');

      const bad = await sys.request('POST', '/api/owners', { name: '', email: 'nope', capacity: -3, workingHours: { timezone: 'Asia/Shanghai', days: [8], start: '9am', end: '18:00' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_input');
      expect(bad.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual(
        expect.arrayContaining(['/name', '/email', '/capacity', '/workingHours/days/0', '/workingHours/start']),
      );
      expect((await sys.request('POST', '/api/owners', { id: 'wang.fang', name: 'dup' })).status).toBe(409);
      expect((await sys.request('GET', '/api/owners/nobody')).status).toBe(404);
      expect((await sys.request('PATCH', '/api/owners/nobody', { name: 'x' })).status).toBe(404);
      expect((await sys.request('GET', '/api/owners?active=maybe')).status).toBe(400);
      expect((await sys.request('GET', '/api/owners?limit=0')).status).toBe(400);

      const away = await sys.request('PATCH', `/api/owners/${generated.body.id}`, { awayUntil: '2099-01-01T00:00:00Z', active: false });
      expect(away.status).toBe(200);
      expect(away.body).toMatchObject({ active: false, awayUntil: '2099-01-01T00:00:00.000Z' });

      const page = await sys.request('GET', '/api/owners?limit=1');
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      const next = await sys.request('GET', `/api/owners?limit=1&cursor=${page.body.nextCursor}`);
      expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
      expect((await sys.request('GET', '/api/owners?active=false')).body.items.map((o: { id: string }) => o.id)).toEqual([generated.body.id]);

      expect((await sys.request('DELETE', `/api/owners/${generated.body.id}`)).status).toBe(200);
      expect((await sys.request('GET', `/api/owners/${generated.body.id}`)).status).toBe(404);
    });

    it('keeps teams with ordered members and a lead', async () => {
      for (const [id, name] of [['li.lei', '李雷'], ['han.mei', '韩梅梅'], ['zhao.lead', '赵主管'], ['sun.pool', '孙公海']]) {
        expect((await sys.request('POST', '/api/owners', { id, name })).status).toBe(201);
      }
      const team = await sys.request('POST', '/api/teams', { id: 'east', name: '华东销售', members: ['wang.fang', 'li.lei'], leadOwnerId: 'zhao.lead' });
      expect(team.status).toBe(201);
      expect(team.body).toMatchObject({ id: 'east', leadOwnerId: 'zhao.lead', members: [{ ownerId: 'wang.fang', position: 0 }, { ownerId: 'li.lei', position: 1 }] });
      const unknown = await sys.request('POST', '/api/teams', { name: 'x', members: ['ghost'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual({ unknownOwners: ['ghost'] });
      expect((await sys.request('POST', '/api/teams', { id: 'east', name: 'dup' })).status).toBe(409);

      const updated = await sys.request('PATCH', '/api/teams/east', { members: ['wang.fang', 'li.lei', 'han.mei'] });
      expect(updated.status).toBe(200);
      expect(updated.body.members.map((m: { ownerId: string }) => m.ownerId)).toEqual(['wang.fang', 'li.lei', 'han.mei']);
      expect((await sys.request('POST', '/api/teams', { id: 'pool', name: '公海', members: ['sun.pool'], leadOwnerId: 'zhao.lead' })).status).toBe(201);
      expect((await sys.request('GET', '/api/teams')).body.items.map((t: { id: string }) => t.id)).toEqual(['east', 'pool']);
      expect((await sys.request('GET', '/api/owners/han.mei')).body.teams).toEqual(['east']);

      expect((await sys.request('POST', '/api/teams', { id: 'temp', name: 'temp' })).status).toBe(201);
      expect((await sys.request('DELETE', '/api/teams/temp')).status).toBe(200);
      expect((await sys.request('DELETE', '/api/teams/temp')).status).toBe(404);
      expect((await sys.request('PATCH', '/api/teams/temp', { name: 'x' })).status).toBe(404);
    });
  });

  describe('a lead flow', () => {
    const leads = [
      { 姓名: '张伟', 手机: '13811110001', 城市: '上海', 产品: 'CRM' },
      { 姓名: '李娜', 手机: '13811110002', 城市: '杭州市', 产品: 'CRM' },
      { 姓名: '王强', 手机: '13811110003', 城市: '上海', 产品: 'ERP' },
      { 姓名: '刘洋', 手机: '13811110004', 城市: '成都', 产品: 'CRM' },
    ];
    const ids: string[] = [];

    beforeAll(async () => {
      await sys.createFlow({
        schemaVersion: 1,
        id: 'leads',
        name: '官网线索 → 分配 → 跟进',
        nodes: [
          { id: 'form', type: 'core.webhook', version: 1, config: { auth: 'none' } },
          { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'webform' } },
          {
            id: 'assign',
            type: 'customer.assign',
            version: 1,
            config: { rules: [{ name: '华东', when: [{ field: 'city', op: 'in', value: ['上海', '杭州'] }], team: 'east' }], defaultTeam: 'pool', workingHours: 'ignore' },
          },
          { id: 'task', type: 'customer.task', version: 1, config: { title: '跟进新线索 {{姓名}} {{手机}}', dueInHours: 24 } },
        ],
        edges: [
          { from: 'form', to: 'save' },
          { from: 'save', to: 'assign' },
          { from: 'assign', to: 'task' },
        ],
      });
      for (const lead of leads) {
        const ack = await sys.request('POST', '/hooks/leads/form', lead);
        expect(ack.status).toBe(202);
      }
      await sys.drain();
      expect(await sys.runCounts()).toEqual({ succeeded: leads.length });
      for (const lead of leads) ids.push((await sys.request('GET', `/api/customers?phone=${lead.手机}`)).body.items[0].id);
    });

    it('gives each lead an owner by region, in turn, with the reason on the timeline', async () => {
      const owners = [];
      for (const id of ids) owners.push((await sys.request('GET', `/api/customers/${id}`)).body.owner?.id);
      expect(owners.slice(0, 3).sort()).toEqual(['han.mei', 'li.lei', 'wang.fang']); // three East China leads, three members in turn
      expect(owners[3]).toBe('sun.pool');
      const view = (await sys.request('GET', `/api/customers/${ids[3]}`)).body;
      const assigned = view.timeline.find((e: { type: string }) => e.type === 'owner_assigned');
      expect(assigned).toBeDefined();
      const rows = await sys.db.query(`SELECT team_id, rule, strategy, reason FROM assignments WHERE customer_id = $1`, [ids[3]]);
      expect(rows.rows).toEqual([{ team_id: 'pool', rule: 'default', strategy: 'round_robin', reason: expect.objectContaining({ code: 'default_team' }) }]);
      expect((await sys.request('GET', '/api/owners/sun.pool')).body.load).toEqual({ openCustomers: 1, openTasks: 1 });
    });

    it("puts a follow-up task on the owner's list, which they complete through the API", async () => {
      const list = await sys.request('GET', '/api/tasks?ownerId=sun.pool&status=open');
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
      const task = list.body.items[0];
      expect(task).toMatchObject({ customerId: ids[3], ownerId: 'sun.pool', title: '跟进新线索 刘洋 13811110004', status: 'open', overdue: false, customer: { id: ids[3] } });
      expect(Date.parse(task.dueAt) - Date.parse(task.createdAt)).toBe(24 * 3_600_000);
      expect((await sys.request('GET', `/api/tasks?dueBefore=${encodeURIComponent(new Date(Date.now() + 48 * 3_600_000).toISOString())}`)).body.items).toHaveLength(4);

      const done = await sys.request('POST', `/api/tasks/${task.id}/complete`, { note: '已电话联系，约了演示' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'done', completedAt: expect.any(String) });
      expect((await sys.request('POST', `/api/tasks/${task.id}/complete`)).status).toBe(200);
      expect((await sys.request('POST', `/api/tasks/${task.id}/cancel`)).status).toBe(409);
      expect((await sys.request('POST', '/api/tasks/00000000-0000-4000-8000-000000000000/complete')).status).toBe(404);
      expect((await sys.request('GET', '/api/tasks?status=bogus')).status).toBe(400);

      const view = (await sys.request('GET', `/api/customers/${ids[3]}`)).body;
      expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['owner_assigned', 'task_created', 'task_completed']));
      expect((await sys.request('GET', '/api/tasks?ownerId=sun.pool&status=open')).body.items).toEqual([]);
    });

    it('keeps a returning lead with the same owner, and will not delete an owner who still has customers', async () => {
      const before = (await sys.request('GET', `/api/customers/${ids[0]}`)).body.owner.id;
      expect((await sys.request('POST', '/hooks/leads/form', { ...leads[0], 备注: '第二次提交' })).status).toBe(202);
      await sys.drain();
      expect((await sys.request('GET', `/api/customers/${ids[0]}`)).body.owner.id).toBe(before);
      const refused = await sys.request('DELETE', `/api/owners/${before}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('deactivate');
    });
  });
});
