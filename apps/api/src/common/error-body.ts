import { FlowValidationError, PayloadError } from '@tributary/engine';
import { AppError } from '@tributary/runtime';
import { CustomerStoreError } from '@tributary/customer-store';

// Store errors are caused by the request (bad input, unknown ids, conflicting state).
// identity_race: the customers kept changing under concurrent writes after the store's own retries; the request can be sent again.
const STORE_STATUS: Record<string, number> = { not_found: 404, conflict: 409, merge_conflict: 409, already_undone: 409, already_decided: 409, identity_race: 409 };

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** Every error answer has the shape of CONTRACT.md §3: {"error":{"code","message","details"}}. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  if (err instanceof CustomerStoreError) {
    return { status: STORE_STATUS[err.code] ?? 400, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  if (err instanceof FlowValidationError) return { status: 400, body: { error: { code: 'flow_invalid', message: err.message, details: err.problems } } };
  // Data a request brought that cannot be stored (nested too deeply).
  if (err instanceof PayloadError) return { status: 400, body: { error: { code: 'malformed_body', message: err.message, details: err.details } } };
  const e = err as { statusCode?: number; status?: number; code?: string; message?: string; getStatus?: () => number; getResponse?: () => unknown };
  if (typeof e?.getStatus === 'function') {
    const status = e.getStatus();
    const resp = e.getResponse?.();
    const message = typeof resp === 'object' && resp && 'message' in resp ? String((resp as { message: unknown }).message) : String(e.message);
    return { status, body: { error: { code: STATUS_CODES[status] ?? 'error', message } } };
  }
  const status = e?.statusCode ?? 500;
  if (status === 413 || e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { error: { code: 'payload_too_large', message: 'request body is larger than the limit' } } };
  }
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { error: { code: 'unsupported_media_type', message: String(e.message) } } };
  if (e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (status === 400 && e?.message)) {
    return { status: 400, body: { error: { code: 'malformed_body', message: String(e.message) } } };
  }
  if (status >= 400 && status < 500) return { status, body: { error: { code: STATUS_CODES[status] ?? 'bad_request', message: String(e?.message ?? 'bad request') } } };
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}
