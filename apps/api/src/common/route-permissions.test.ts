import { describe, expect, it } from '@jest/globals';
import { permissionFor, SIGNED_IN } from './route-permissions.js';

describe('route → permission', () => {
  it.each([
    ['GET', '/api/flows', 'flows:read'],
    ['GET', '/api/flows/lead-intake?version=2', 'flows:read'],
    ['POST', '/api/flows', 'flows:write'],
    ['PUT', '/api/flows/lead-intake', 'flows:write'],
    ['DELETE', '/api/flows/lead-intake', 'flows:write'],
    ['POST', '/api/flows/lead-intake/publish', 'flows:publish'],
    ['POST', '/api/flows/lead-intake/unpublish', 'flows:publish'],
    ['POST', '/api/flows/lead-intake/run', 'flows:run'],
    ['POST', '/api/flows/lead-intake/imports', 'flows:run'],
    ['POST', '/api/flows/f/triggers/poll/backfill', 'flows:run'],
    ['GET', '/api/nodes', 'flows:read'],
    ['GET', '/api/runs/stream?token=x', 'runs:read'],
    ['POST', '/api/runs/abc/retry', 'runs:write'],
    ['POST', '/api/runs/abc/cancel', 'runs:write'],
    ['GET', '/api/imports/1', 'runs:read'],
    ['POST', '/api/imports/1/cancel', 'flows:run'],
    ['GET', '/api/connections', 'connections:read'],
    ['POST', '/api/connections/c1/check', 'connections:write'],
    ['GET', '/api/customers?phone=1', 'customers:read'],
    ['POST', '/api/customers/c1/merge', 'customers:write'],
    ['DELETE', '/api/customers/c1', 'customers:erase'],
    ['GET', '/api/review', 'customers:read'],
    ['POST', '/api/review/r1', 'customers:write'],
    ['POST', '/api/merges/m1/undo', 'customers:write'],
    ['POST', '/api/segments/preview', 'segments:write'],
    ['GET', '/api/segments/s1/members', 'segments:read'],
    ['PATCH', '/api/teams/t1', 'owners:write'],
    ['GET', '/api/owners', 'owners:read'],
    ['POST', '/api/tasks/t1/complete', 'tasks:write'],
    ['GET', '/api/reports/leads?from=2026-01-01', 'reports:read'],
    ['GET', '/api/users', 'users:manage'],
    ['PATCH', '/api/users/u1', 'users:manage'],
    ['GET', '/api/me', SIGNED_IN],
    ['POST', '/api/me/password', SIGNED_IN],
    ['POST', '/api/auth/logout', SIGNED_IN],
  ])('%s %s needs %s', (method, url, permission) => {
    expect(permissionFor(method, url)).toBe(permission);
  });

  it.each([
    ['POST', '/api/reports/leads'],
    ['GET', '/api/something-new'],
    ['GET', '/api/flowsx'],
    ['DELETE', '/api/me'],
  ])('%s %s has no permission (admins only)', (method, url) => {
    expect(permissionFor(method, url)).toBeUndefined();
  });
});
