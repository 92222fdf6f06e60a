import type { FlowProblem } from './flow.types.js';
import type { ConfigIssue } from './node.types.js';

/** A flow document that cannot run; `problems` names each bad node, edge or config path. */
export class FlowValidationError extends Error {
  readonly code = 'flow_invalid';
  constructor(readonly problems: FlowProblem[]) {
    super(`flow is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'FlowValidationError';
  }
}

/**
 * An error a node throws on purpose. `retryable: false` fails the step at once
 * (bad config, bad data); retryable errors are retried with backoff.
 */
export class NodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { retryable?: boolean; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'NodeError';
  }
  get retryable(): boolean {
    return this.options.retryable ?? true;
  }
  get details(): unknown {
    return this.options.details;
  }
}

/** A JSONata expression that failed to parse, ran too long, grew too big or failed at run time. */
export class ExpressionError extends Error {
  constructor(
    readonly code: 'expression_syntax' | 'expression_timeout' | 'expression_too_large' | 'expression_too_deep' | 'expression_runtime',
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** A webhook body that cannot be decoded: answered with 400. */
export class PayloadError extends Error {
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** A step that failed; carries what the host needs to decide on a retry. */
export class StepFailedError extends Error {
  constructor(
    readonly nodeId: string,
    override readonly cause: unknown,
    readonly retryable: boolean,
  ) {
    super(`step ${nodeId} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StepFailedError';
  }
}

/** A node config that does not satisfy the node's configSchema (or its checkConfig). Never retryable. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  readonly retryable = false;
  constructor(
    readonly nodeType: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`invalid config for ${nodeType}: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A vendor API answered with an error or could not be reached. Retryable for network errors,
 * timeouts, 408, 429 and 5xx; `retryAfterMs` carries the vendor's Retry-After when it sent one.
 */
export class VendorApiError extends NodeError {
  constructor(
    readonly vendor: string,
    message: string,
    readonly status: number | undefined,
    options: { retryable: boolean; retryAfterMs?: number; body?: string },
  ) {
    super(status === 429 ? 'vendor_rate_limited' : status === 401 || status === 403 ? 'vendor_auth_failed' : 'vendor_api_error', message, {
      retryable: options.retryable,
      details: { vendor, status, ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}), ...(options.body ? { body: options.body.slice(0, 500) } : {}) },
    });
    this.name = 'VendorApiError';
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}
