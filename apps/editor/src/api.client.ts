// The bearer token of this browser: the admin token or a session token from signing in (the key keeps its first name).
const TOKEN_KEY = 'tributary.adminToken';

export const loadToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string): void => localStorage.setItem(TOKEN_KEY, token);
export const clearToken = (): void => localStorage.removeItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, token: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = (json as { error?: { message?: string; code?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, err?.message ?? `HTTP ${res.status}`, err?.code, err?.details);
  }
  return json as T;
}

/** GET a JSON resource of the API with the bearer token; errors carry the API's message. */
export const apiGet = <T>(path: string, token: string, signal?: AbortSignal): Promise<T> => request<T>('GET', path, token, undefined, signal);

/** POST/PUT JSON; a 4xx keeps the API's `code` and `details` (e.g. the problems of `flow_invalid`). */
export const apiSend = <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, token: string, body?: unknown): Promise<T> =>
  request<T>(method, path, token, body ?? {});
