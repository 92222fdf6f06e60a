// Roles and what each may do. The API guard maps every route to one permission
// (apps/api/src/common/route-permissions.ts); the editor hides what /api/me does not list.

export const ROLES = ['admin', 'editor', 'operator', 'viewer'] as const;
export type UserRole = (typeof ROLES)[number];

export const PERMISSIONS = [
  'flows:read',
  'flows:write', // create, save, delete, test steps
  'flows:publish', // publish and unpublish
  'flows:run', // manual runs, imports, trigger polls and backfills
  'runs:read',
  'runs:write', // retry and cancel
  'connections:read', // names and secret *names*; secrets are never returned to anyone
  'connections:write', // create, delete, check against the vendor
  'customers:read', // search, 360° view, review queue
  'customers:write', // merge, undo a merge, review decisions
  'customers:erase', // DELETE /api/customers/:id
  'segments:read',
  'segments:write',
  'owners:read', // owners and teams
  'owners:write',
  'tasks:read',
  'tasks:write',
  'reports:read',
  'users:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = PERMISSIONS.filter((p) => p.endsWith(':read'));

/**
 * The matrix. Every role reads everything (no secrets exist to read); editors build and run
 * flows and keep connections; operators work on customers, segments, owners and tasks.
 * Erasure and users are the admin's alone.
 */
export const ROLE_PERMISSIONS: Readonly<Record<UserRole, readonly Permission[]>> = {
  admin: PERMISSIONS,
  editor: [...READ, 'flows:write', 'flows:publish', 'flows:run', 'runs:write', 'connections:write'],
  operator: [...READ, 'customers:write', 'segments:write', 'owners:write', 'tasks:write'],
  viewer: READ,
};

export const isRole = (v: unknown): v is UserRole => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export function roleCan(role: UserRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
