// Errors of the outbound HTTP client. `retryable` tells the step runner whether
// another attempt can succeed (a timeout may; a blocked address never will).

export abstract class HttpClientError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The URL's scheme, or the address its host resolves to, is not allowed (SSRF guard). */
export class HttpBlockedError extends HttpClientError {
  readonly code = 'http_blocked';
  readonly retryable = false;
  constructor(
    message: string,
    readonly url: string,
    readonly address?: string,
  ) {
    super(message);
  }
}

export class HttpTimeoutError extends HttpClientError {
  readonly code = 'http_timeout';
  readonly retryable = true;
  constructor(
    readonly phase: 'connect' | 'total',
    readonly timeoutMs: number,
    readonly url: string,
  ) {
    super(phase === 'connect' ? `connecting to ${url} took longer than ${timeoutMs} ms` : `request to ${url} took longer than ${timeoutMs} ms`);
  }
}

export class HttpResponseTooLargeError extends HttpClientError {
  readonly code = 'http_response_too_large';
  readonly retryable = false;
  constructor(
    readonly limitBytes: number,
    readonly url: string,
  ) {
    super(`response from ${url} is larger than ${limitBytes} bytes`);
  }
}

export class HttpTooManyRedirectsError extends HttpClientError {
  readonly code = 'http_too_many_redirects';
  readonly retryable = false;
  constructor(
    readonly maxRedirects: number,
    readonly url: string,
  ) {
    super(`more than ${maxRedirects} redirects, last to ${url}`);
  }
}

/** The caller's AbortSignal fired (run cancelled, worker shutting down). */
export class HttpAbortedError extends HttpClientError {
  readonly code = 'http_aborted';
  readonly retryable = true;
  constructor(readonly url: string) {
    super(`request to ${url} was aborted`);
  }
}

// Failures that another attempt will not fix: bad certificates, a name that does not exist.
const PERMANENT_NETWORK_CODES = new Set([
  'ENOTFOUND',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Connection refused or reset, DNS failure, TLS failure, malformed response. */
export class HttpNetworkError extends HttpClientError {
  readonly code = 'http_network';
  readonly retryable: boolean;
  constructor(
    readonly url: string,
    readonly errno: string | undefined,
    cause: unknown,
  ) {
    super(`request to ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.retryable = !(errno && PERMANENT_NETWORK_CODES.has(errno));
  }
}
