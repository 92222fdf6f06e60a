import type { WebhookRequest, WebhookResponse } from '@tributary/node-sdk';

/** WeChat and WeCom retry for about 15 s; five minutes absorbs clock skew. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A query parameter, read from the raw URL so that a `+` inside base64 (WeCom's echostr)
 * survives; a form-style parser would have turned it into a space. Falls back to the
 * host's parsed query, where a space can only be such a `+` (no parameter WeChat or WeCom
 * sends holds a real space).
 */
export function queryParam(req: Pick<WebhookRequest, 'url' | 'query'>, name: string): string | undefined {
  const at = req.url.indexOf('?');
  if (at >= 0) {
    for (const part of req.url.slice(at + 1).split('#')[0]!.split('&')) {
      const eq = part.indexOf('=');
      if (decode(eq < 0 ? part : part.slice(0, eq)) === name) return decode(eq < 0 ? '' : part.slice(eq + 1));
    }
  }
  return req.query[name]?.replace(/ /g, '+');
}

export const deny = (reason: string, status = 401): { ok: false; reason: string; status: number } => ({ ok: false, reason, status });

export const textResponse = (status: number, body: string): WebhookResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

/** `success` stops WeChat's and WeCom's retries and sends nothing to the user. */
export const SUCCESS_RESPONSE: WebhookResponse = textResponse(200, 'success');
