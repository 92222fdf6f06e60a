import type { Permission } from '@tributary/runtime';

/** Any signed-in principal: the routes about oneself. */
export const SIGNED_IN = 'signed-in' as const;

interface Rule {
  /** `read` = GET/HEAD, `write` = any other method, or one method. */
  method: 'read' | 'write' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: RegExp;
  permission: Permission | typeof SIGNED_IN;
}

const ID = '[^/]+';
const under = (prefix: string) => new RegExp(`^/api/${prefix}(/|$)`);

/**
 * Route + method → permission, first match wins. A resource's routes share its prefix, so a route
 * added under it later gets the resource's read or write permission; a route under no prefix here
 * has no permission and only admins may call it (default deny). See docs/api.md, "Roles".
 */
const RULES: Rule[] = [
  { method: 'read', path: /^\/api\/me$/, permission: SIGNED_IN },
  { method: 'POST', path: /^\/api\/me\/password$/, permission: SIGNED_IN },
  { method: 'POST', path: /^\/api\/auth\/logout$/, permission: SIGNED_IN },
  { method: 'read', path: under('users'), permission: 'users:manage' },
  { method: 'write', path: under('users'), permission: 'users:manage' },

  { method: 'POST', path: new RegExp(`^/api/flows/${ID}/(publish|unpublish)$`), permission: 'flows:publish' },
  { method: 'POST', path: new RegExp(`^/api/flows/${ID}/(run|imports)$`), permission: 'flows:run' },
  { method: 'POST', path: new RegExp(`^/api/flows/${ID}/triggers/${ID}/(backfill|poll)$`), permission: 'flows:run' },
  // Testing a step runs it for real (a customer.upsert writes, a notify sends).
  { method: 'POST', path: new RegExp(`^/api/flows/(${ID}/)?test$`), permission: 'flows:run' },
  // A restore may publish the restored copy ({"publish": true}).
  { method: 'POST', path: new RegExp(`^/api/flows/${ID}/versions/${ID}/restore$`), permission: 'flows:publish' },
  { method: 'read', path: under('flows'), permission: 'flows:read' },
  { method: 'write', path: under('flows'), permission: 'flows:write' },
  { method: 'read', path: under('nodes'), permission: 'flows:read' },
  { method: 'write', path: under('nodes'), permission: 'flows:write' },

  { method: 'read', path: under('runs'), permission: 'runs:read' },
  { method: 'write', path: under('runs'), permission: 'runs:write' },
  { method: 'read', path: under('imports'), permission: 'runs:read' },
  { method: 'write', path: under('imports'), permission: 'flows:run' },

  { method: 'read', path: under('connections'), permission: 'connections:read' },
  { method: 'write', path: under('connections'), permission: 'connections:write' },

  { method: 'DELETE', path: new RegExp(`^/api/customers/${ID}$`), permission: 'customers:erase' },
  { method: 'read', path: under('(customers|review|merges)'), permission: 'customers:read' },
  { method: 'write', path: under('(customers|review|merges)'), permission: 'customers:write' },

  { method: 'read', path: under('segments'), permission: 'segments:read' },
  { method: 'write', path: under('segments'), permission: 'segments:write' },
  { method: 'read', path: under('(owners|teams)'), permission: 'owners:read' },
  { method: 'write', path: under('(owners|teams)'), permission: 'owners:write' },
  { method: 'read', path: under('tasks'), permission: 'tasks:read' },
  { method: 'write', path: under('tasks'), permission: 'tasks:write' },
  { method: 'read', path: under('reports'), permission: 'reports:read' },
];

const matches = (rule: Rule, method: string): boolean => {
  const read = method === 'GET' || method === 'HEAD';
  if (rule.method === 'read') return read;
  if (rule.method === 'write') return !read;
  return rule.method === method;
};

/** The permission a request needs, or undefined when no rule names the route (admins only). */
export function permissionFor(method: string, url: string): Permission | typeof SIGNED_IN | undefined {
  const path = (url.split('?')[0] ?? '').replace(/\/+$/, '');
  const m = method.toUpperCase();
  return RULES.find((r) => matches(r, m) && r.path.test(path))?.permission;
}
