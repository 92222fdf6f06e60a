import type { ReportFilters } from './report-filters.js';

/**
 * Builds one report statement: the period, zone and interval are always $1..$4; other values
 * are added as parameters as they are used. The fragments below are what every report shares:
 * the live-customer filter, the channel a customer is reported under, time buckets.
 */
export class ReportSql {
  readonly params: unknown[];

  constructor(readonly filters: ReportFilters) {
    this.params = [filters.from.toISOString(), filters.to.toISOString(), filters.tz, filters.interval];
  }

  /** $n for a new parameter. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  readonly from = '$1::timestamptz';
  readonly to = '$2::timestamptz';

  /** `expr` within [from, to). */
  inPeriod(expr: string): string {
    return `${expr} >= ${this.from} AND ${expr} < ${this.to}`;
  }

  /** Live customers (not merged away, not erased) that pass the channel and owner filters. */
  customers(alias = 'c'): string {
    const where = [`${alias}.merged_into IS NULL`, `${alias}.erased_at IS NULL`];
    const { channels, owners } = this.filters;
    if (channels) {
      const named = channels.filter((c) => c !== UNKNOWN_CHANNEL);
      const parts = named.length ? [`${alias}.first_channel = ANY(${this.param(named)}::text[])`] : [];
      if (named.length < channels.length) parts.push(`${alias}.first_channel IS NULL`);
      where.push(parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0]!);
    }
    if (owners) {
      const named = owners.filter((o) => o !== NO_OWNER);
      const parts = named.length ? [`${alias}.owner_id = ANY(${this.param(named)}::text[])`] : [];
      if (named.length < owners.length) parts.push(`${alias}.owner_id IS NULL`);
      where.push(parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0]!);
    }
    return where.join(' AND ');
  }

  /** The channel a customer is reported under: its first channel. */
  channel(alias = 'c'): string {
    return `COALESCE(${alias}.first_channel, '${UNKNOWN_CHANNEL}')`;
  }

  /**
   * The index (buckets.idx) of the bucket holding `expr`, a timestamptz: 0 before the first.
   * A binary search in the buckets' starts, much cheaper per row than date_trunc in a zone.
   */
  bucket(expr: string): string {
    return `width_bucket(${expr}, (SELECT starts FROM bucket_starts))`;
  }

  /**
   * `buckets(start, "end", period, start_iso, idx)`: every bucket touching the period, in order
   * (idx from 1), and `bucket_starts(starts)` for bucket(). Comes first in a report's WITH.
   * `start` is the bucket's natural start (it may precede `from`), `"end"` its end capped at `to`,
   * `period` its local date (YYYY-MM-DD, a week starts on Monday).
   */
  get bucketsCte(): string {
    return `buckets AS (
      SELECT b.local AT TIME ZONE $3::text AS start,
             LEAST((b.local + ('1 ' || $4::text)::interval) AT TIME ZONE $3::text, ${this.to}) AS "end",
             to_char(b.local, 'YYYY-MM-DD') AS period,
             ${isoUtc('b.local AT TIME ZONE $3::text')} AS start_iso,
             row_number() OVER (ORDER BY b.local) AS idx
        FROM generate_series(date_trunc($4::text, ${this.from} AT TIME ZONE $3::text),
                             (${this.to} - interval '1 microsecond') AT TIME ZONE $3::text,
                             ('1 ' || $4::text)::interval) AS b(local)
    ), bucket_starts AS (SELECT array_agg(start ORDER BY idx) AS starts FROM buckets)`;
  }
}

/** The channel of customers whose first record named none (created before channels were kept). */
export const UNKNOWN_CHANNEL = 'unknown';
/** The owner filter value for unassigned customers. */
export const NO_OWNER = 'none';

/** A timestamptz as ISO 8601 UTC text, whatever the session's zone. */
export function isoUtc(expr: string): string {
  return `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A JSON array of the rows of `select` built by `object`, `[]` when there are none. */
export function jsonRows(object: string, from: string, orderBy: string): string {
  return `(SELECT COALESCE(json_agg(${object} ORDER BY ${orderBy}), '[]'::json) FROM ${from})`;
}

/** A decimal text such as "12.50" or "-3" as numeric; anything else as NULL (never an error mid-report). */
export function decimal(expr: string): string {
  return `CASE WHEN ${expr} ~ '^\\s*-?[0-9]{1,15}(\\.[0-9]{1,10})?\\s*$' THEN (${expr})::numeric END`;
}

/** A ratio rounded to 4 decimals, NULL when the denominator is 0. */
export function ratio(numerator: string, denominator: string): string {
  return `round((${numerator})::numeric / NULLIF(${denominator}, 0), 4)`;
}
