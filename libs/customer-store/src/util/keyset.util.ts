// Keyset paging over customers: by id from the smallest uuid, or by (updated_at, id) in
// microseconds (a JS Date would drop them), passed as text and turned back into a timestamptz.

/** The smallest uuid: a keyset on id starts after it. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The largest uuid: a keyset on (time, id) starting just before a time starts after it. */
export const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** SQL for the timestamptz of a parameter holding microseconds since the epoch (as text). */
export const usTimestamp = (param: string): string => `(timestamptz 'epoch' + ${param}::bigint * interval '1 microsecond')`;
