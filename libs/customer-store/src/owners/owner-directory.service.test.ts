import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { upsertInput } from '../__fixtures__/upsert-input.fixture.js';
import { CustomerStoreError } from '../customer-store.errors.js';
import { CustomerStore } from '../customer-store.service.js';

describe('OwnerDirectory', () => {
  let ds: DataSource;
  let store: CustomerStore;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_owners'));
    store = new CustomerStore(ds, { now: () => new Date('2026-03-02T02:00:00.000Z') });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const fails = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(CustomerStoreError);
      return err as CustomerStoreError;
    }
    throw new Error('expected a CustomerStoreError');
  };

  it('creates, reads, updates and lists owners', async () => {
    const li = await store.owners.createOwner({
      id: 'li.lei',
      name: ' 李雷 ',
      email: 'lilei@corp.cn',
      wecom_userid: 'LiLei',
      capacity: 20,
      working_hours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      attributes: { regions: ['上海', '杭州'], industries: ['互联网'] },
    });
    expect(li).toEqual({
      id: 'li.lei',
      name: '李雷',
      email: 'lilei@corp.cn',
      phone: null,
      wecomUserId: 'LiLei',
      active: true,
      awayUntil: null,
      capacity: 20,
      workingHours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      attributes: { regions: ['上海', '杭州'], industries: ['互联网'] },
      teams: [],
      load: { openCustomers: 0, openTasks: 0 },
      createdAt: '2026-03-02T02:00:00.000Z',
      updatedAt: '2026-03-02T02:00:00.000Z',
    });
    const han = await store.owners.createOwner({ name: '韩梅梅' });
    expect(han.id).toMatch(/^[0-9a-f-]{36}$/);

    const updated = await store.owners.updateOwner('li.lei', { awayUntil: '2026-03-10T00:00:00+08:00', capacity: null, phone: '13900000001' });
    expect(updated).toMatchObject({ awayUntil: '2026-03-09T16:00:00.000Z', capacity: null, phone: '13900000001', email: 'lilei@corp.cn' });

    for (let i = 0; i < 3; i++) await store.owners.createOwner({ id: `o${i}`, name: `Owner ${i}`, active: i !== 1 });
    const first = await store.owners.listOwners({ limit: 2 });
    expect(first.items.map((o) => o.id)).toEqual([han.id, 'li.lei']);
    const second = await store.owners.listOwners({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((o) => o.id)).toEqual(['o0', 'o1']);
    expect((await store.owners.listOwners({ limit: 2, cursor: second.nextCursor! })).nextCursor).toBeNull();
    expect((await store.owners.listOwners({ active: false })).items.map((o) => o.id)).toEqual(['o1']);
    expect((await store.owners.listOwners({ q: 'LILEI@' })).items.map((o) => o.id)).toEqual(['li.lei']);
  });

  it('says what is wrong with a body, field by field', async () => {
    const bad = await fails(
      store.owners.createOwner({ name: '', email: 'not-an-email', capacity: -1, workingHours: { timezone: 'Mars/Base', days: [1], start: '09:00', end: '18:00' }, nick: 'x' }),
    );
    expect(bad.code).toBe('invalid_input');
    expect((bad.details as { problems: { path: string }[] }).problems.map((p) => p.path).sort()).toEqual(['/capacity', '/email', '/name', '/nick']);
    const tz = await fails(store.owners.createOwner({ name: 'x', workingHours: { timezone: 'Mars/Base', days: [1], start: '09:00', end: '18:00' } }));
    expect((tz.details as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(['/workingHours/timezone']);
    expect((await fails(store.owners.createOwner({ id: 'li.lei', name: 'again' }))).code).toBe('conflict');
    expect((await fails(store.owners.updateOwner('nobody', { name: 'x' }))).code).toBe('not_found');
    expect((await fails(store.owners.updateOwner('li.lei', {}))).code).toBe('invalid_input');
    expect((await fails(store.owners.listOwners({ cursor: 'garbage' }))).code).toBe('invalid_cursor');
    expect((await fails(store.owners.listOwners({ limit: 1000 }))).code).toBe('invalid_query');
  });

  it('keeps teams with ordered members and a lead', async () => {
    const team = await store.owners.createTeam({ id: 'east', name: '华东销售', members: ['o2', 'li.lei', 'o0'], leadOwnerId: 'li.lei' });
    expect(team).toMatchObject({ id: 'east', name: '华东销售', leadOwnerId: 'li.lei', rrPosition: 0 });
    expect(team.members.map((m) => [m.ownerId, m.position])).toEqual([
      ['o2', 0],
      ['li.lei', 1],
      ['o0', 2],
    ]);
    const reordered = await store.owners.updateTeam('east', { members: ['o0', 'o2'], lead_owner_id: null });
    expect(reordered.members.map((m) => m.ownerId)).toEqual(['o0', 'o2']);
    expect(reordered.leadOwnerId).toBeNull();
    expect((await store.owners.getOwner('o0'))!.teams).toEqual(['east']);
    expect((await store.owners.listOwners({ teamId: 'east' })).items.map((o) => o.id)).toEqual(['o0', 'o2']);

    const unknown = await fails(store.owners.createTeam({ name: 'x', members: ['o0', 'ghost'] }));
    expect(unknown).toMatchObject({ code: 'invalid_input', details: { unknownOwners: ['ghost'] } });
    expect((await fails(store.owners.createTeam({ name: 'x', members: ['o0', 'o0'] }))).code).toBe('invalid_input');
    expect((await fails(store.owners.createTeam({ id: 'east', name: 'again' }))).code).toBe('conflict');
    expect((await fails(store.owners.updateTeam('west', { name: 'x' }))).code).toBe('not_found');

    await store.owners.createTeam({ id: 'west', name: 'West' });
    const page = await store.owners.listTeams({ limit: 1 });
    expect(page.items.map((t) => t.id)).toEqual(['east']);
    expect((await store.owners.listTeams({ cursor: page.nextCursor! })).items.map((t) => t.id)).toEqual(['west']);
    await store.owners.deleteTeam('west');
    expect(await store.owners.getTeam('west')).toBeUndefined();
    expect((await fails(store.owners.deleteTeam('west'))).code).toBe('not_found');
  });

  it('refuses to delete an owner who still owns customers; deletes one who does not', async () => {
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13911112222' }] })]);
    await ds.query(`UPDATE customers SET owner_id = 'o2' WHERE id = $1`, [c!.customerId]);
    expect((await store.owners.getOwner('o2'))!.load.openCustomers).toBe(1);
    const refused = await fails(store.owners.deleteOwner('o2'));
    expect(refused).toMatchObject({ code: 'conflict', details: { customers: 1, openTasks: 0 } });
    await store.owners.deleteOwner('o0');
    expect(await store.owners.getOwner('o0')).toBeUndefined();
    expect((await store.owners.getTeam('east'))!.members.map((m) => m.ownerId)).toEqual(['o2']);
    expect((await fails(store.owners.deleteOwner('o0'))).code).toBe('not_found');
  });
});
