export type CustomerStoreErrorCode =
  | 'invalid_input'
  | 'no_usable_identity'
  | 'invalid_query'
  | 'invalid_cursor'
  | 'identity_race'
  /** A customer, merge or review named by id does not exist. */
  | 'not_found'
  /** The merge cannot be undone (already undone, erased, or its target merged since), or the review is decided. */
  | 'conflict';

/** A store error the API maps to a 4xx (bad input) or the caller retries (identity_race). */
export class CustomerStoreError extends Error {
  constructor(
    readonly code: CustomerStoreErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CustomerStoreError';
  }

  get retryable(): boolean {
    return this.code === 'identity_race';
  }
}

// serialization_failure, deadlock_detected: the whole transaction may simply run again.
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export function isRetryableStoreError(err: unknown): boolean {
  if (err instanceof CustomerStoreError) return err.retryable;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}
