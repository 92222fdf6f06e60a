import { describe, expect, it } from '@jest/globals';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, roleCan } from './permissions.js';

describe('the role permission matrix', () => {
  it('gives the admin every permission and every role every read', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort());
    for (const role of ROLES) for (const p of PERMISSIONS.filter((x) => x.endsWith(':read'))) expect(roleCan(role, p)).toBe(true);
  });

  it('lets the viewer read only', () => {
    expect(ROLE_PERMISSIONS.viewer.every((p) => p.endsWith(':read'))).toBe(true);
  });

  it('lets editors build, publish and run flows and keep connections, but not work on customers', () => {
    for (const p of ['flows:write', 'flows:publish', 'flows:run', 'runs:write', 'connections:write'] as const) expect(roleCan('editor', p)).toBe(true);
    for (const p of ['customers:write', 'segments:write', 'owners:write', 'tasks:write', 'customers:erase', 'users:manage'] as const) expect(roleCan('editor', p)).toBe(false);
  });

  it('lets operators work on customers, segments, owners and tasks, but not change flows', () => {
    for (const p of ['customers:write', 'segments:write', 'owners:write', 'tasks:write'] as const) expect(roleCan('operator', p)).toBe(true);
    for (const p of ['flows:write', 'flows:publish', 'flows:run', 'runs:write', 'connections:write', 'customers:erase', 'users:manage'] as const) expect(roleCan('operator', p)).toBe(false);
  });

  it('keeps erasure and users to the admin', () => {
    expect(ROLES.filter((r) => roleCan(r, 'customers:erase'))).toEqual(['admin']);
    expect(ROLES.filter((r) => roleCan(r, 'users:manage'))).toEqual(['admin']);
  });
});
