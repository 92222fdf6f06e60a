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
    ['PATCH', '/api/customers/c1', 'customers:write'],
    ['DELETE', '/api/customers/c1', 'customers:erase'],
    ['GET', '/api/review', 'customers:read'],
    ['POST', '/api/review/r1', 'customers:write'],
    ['POST', '/api/review/decisions', 'customers:write'],
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

describe('every route of the API', () => {
  it('has a permission rule (a new resource needs a line in route-permissions.ts)', async () => {
    const { PATH_METADATA, METHOD_METADATA } = await import('@nestjs/common/constants.js');
    const { RequestMethod } = await import('@nestjs/common');
    const { AppModule } = await import('../app.module.js');
    const controllers = (AppModule.forRuntime({} as never).controllers ?? []) as (new (...a: never[]) => object)[];
    const routes: string[] = [];
    for (const c of controllers) {
      const base = String(Reflect.getMetadata(PATH_METADATA, c) ?? '');
      for (const name of Object.getOwnPropertyNames(c.prototype)) {
        const handler = (c.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        if (path === undefined || method === undefined) continue;
        const url = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/:[^/]+/g, 'x');
        routes.push(`${RequestMethod[method]} ${url}`);
      }
    }
    expect(routes.length).toBeGreaterThan(50);
    const publicRoutes = ['GET /api/health', 'POST /api/auth/login', 'GET /api/auth/methods', 'GET /metrics'];
    const missing = routes.filter((r) => !publicRoutes.includes(r) && permissionFor(r.split(' ')[0]!, r.split(' ')[1]!) === undefined);
    expect(missing).toEqual([]);
  });
});
