// Who is signed in and what their role allows: the one place the editor decides what to show.
// The API enforces the same permissions (403); hiding here only keeps people from buttons that
// would fail. Permission names are the API's (`GET /api/me`, docs/api.md "Roles").
import { createContext, useContext } from 'react';
import type { Permission, User, UserRole } from '@tributary/runtime';
import { ApiError, apiGet } from './api.client.js';

export type { Permission };

export type SessionUser = Pick<User, 'id' | 'username' | 'displayName' | 'role'>;

/** `GET /api/me`. */
export interface Session {
  principal: 'admin-token' | 'user';
  user: SessionUser | null;
  role: UserRole;
  permissions: Permission[];
  expiresAt: string | null;
}

export const SessionContext = createContext<Session | null>(null);

export const useSession = (): Session | null => useContext(SessionContext);

/** Whether the signed-in role may do `permission`; false while nobody is signed in. */
export function useCan(permission: Permission): boolean {
  const session = useContext(SessionContext);
  return session ? session.permissions.includes(permission) : false;
}

export const can = (session: Session | null, permission: Permission): boolean => !!session && session.permissions.includes(permission);

export const fetchSession = (token: string, signal?: AbortSignal): Promise<Session> => apiGet<Session>('/api/me', token, signal);

/** A refused sign-in; `retryAfter` (seconds) is set while the account or address is locked. */
export class SignInError extends ApiError {
  retryAfter?: number;
}

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = (json as { error?: { message?: string; code?: string; details?: unknown } } | undefined)?.error;
    const e = new SignInError(res.status, err?.message ?? `HTTP ${res.status}`, err?.code, err?.details);
    e.retryAfter = Number(res.headers.get('retry-after')) || undefined;
    throw e;
  }
  return json as T;
}

/** `POST /api/auth/login` → a session token. */
export const login = (username: string, password: string) => post<{ token: string; expiresAt: string }>('/api/auth/login', { username, password });

/** Ends the session on the server; signing out locally goes on even when this fails. */
export const logout = (token: string) => post<unknown>('/api/auth/logout', {}, token).catch(() => undefined);

/** Whether any user can sign in with a password here (a fresh install has only the admin token). */
export const passwordSignInAvailable = async (): Promise<boolean> => {
  try {
    const res = await fetch('/api/auth/methods', { headers: { accept: 'application/json' } });
    return res.ok ? Boolean(((await res.json()) as { password?: boolean }).password) : true;
  } catch {
    return true;
  }
};
