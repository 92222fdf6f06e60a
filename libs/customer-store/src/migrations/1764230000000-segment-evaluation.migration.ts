import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What incremental segment evaluation needs on top of the engagement schema: the evaluator's
 * durable watermark (one row, so restarts and several workers continue where the last pass
 * stopped), an index that finds customers merged away or erased since the watermark (they
 * leave their segments), and two total conversions the compiled segment predicates use on
 * attribute values, which are free-form JSON: a value that is not a number or a time reads as
 * NULL instead of failing the whole statement.
 */
export class SegmentEvaluation1764230000000 implements MigrationInterface {
  name = 'SegmentEvaluation1764230000000';

  async up(q: QueryRunner): Promise<void> {
    // fast_*: the newest (updated_at, id) evaluated. settled_*: the newest (updated_at, id)
    // evaluated a second time once no transaction still in flight could commit a row behind
    // it (see SegmentEvaluator).
    await q.query(`
      CREATE TABLE segment_evaluation_state (
        id text PRIMARY KEY,
        fast_at timestamptz,
        fast_id uuid,
        settled_at timestamptz,
        settled_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO segment_evaluation_state (id) VALUES ('customers')`);
    await q.query(`CREATE INDEX ix_customers_updated_gone ON customers (updated_at, id) WHERE merged_into IS NOT NULL OR erased_at IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION tributary_jsonb_numeric(v jsonb) RETURNS numeric
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE jsonb_typeof(v)
                 WHEN 'number' THEN v::numeric
                 WHEN 'string' THEN CASE WHEN btrim(v #>> '{}') ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$'
                                         THEN btrim(v #>> '{}')::numeric END
               END
      $$`);
    // Checked before the cast (a failing cast would need an exception block: a subtransaction
    // per row, and no parallel scans). The shapes JSON serializers write are recognised without
    // the regular expression, which costs several times more than the cast. STRICT: customers
    // without the attribute cost no call. A time without an offset is read as UTC.
    await q.query(`
      CREATE FUNCTION tributary_jsonb_timestamptz(v jsonb) RETURNS timestamptz
      LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
      DECLARE
        s text;
      BEGIN
        IF jsonb_typeof(v) <> 'string' THEN RETURN NULL; END IF;
        s := btrim(v #>> '{}');
        RETURN CASE
          WHEN NOT (translate(s, '123456789', '000000000') IN (
                      '0000-00-00', '0000-00-00T00:00:00Z', '0000-00-00T00:00:00.000Z', '0000-00-00T00:00:00.000000Z',
                      '0000-00-00T00:00:00', '0000-00-00 00:00:00', '0000-00-00T00:00', '0000-00-00 00:00')
                    OR s ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$')
            THEN NULL
          WHEN substr(s, 1, 4) = '0000' OR substr(s, 6, 2) NOT BETWEEN '01' AND '12' OR substr(s, 9, 2) = '00'
            OR substr(s, 9, 2)::int > CASE substr(s, 6, 2)
                 WHEN '02' THEN CASE WHEN (substr(s, 1, 4)::int % 4 = 0 AND substr(s, 1, 4)::int % 100 <> 0) OR substr(s, 1, 4)::int % 400 = 0 THEN 29 ELSE 28 END
                 WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END
            THEN NULL
          WHEN length(s) = 10 THEN (s || 'T00:00:00Z')::timestamptz
          WHEN substr(s, 12, 2) > '23' OR substr(s, 15, 2) > '59' OR (substr(s, 17, 1) = ':' AND substr(s, 18, 2) > '59') THEN NULL
          WHEN right(s, 1) IN ('Z', 'z') OR strpos(substr(s, 17), '+') > 0 OR strpos(substr(s, 17), '-') > 0 THEN s::timestamptz
          ELSE (s || 'Z')::timestamptz
        END;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS tributary_jsonb_timestamptz(jsonb)`);
    await q.query(`DROP FUNCTION IF EXISTS tributary_jsonb_numeric(jsonb)`);
    await q.query(`DROP INDEX IF EXISTS ix_customers_updated_gone`);
    await q.query(`DROP TABLE IF EXISTS segment_evaluation_state`);
  }
}
