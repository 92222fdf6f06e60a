import { describe, expect, it } from '@jest/globals';
import { backfillLeadCursor, initialLeadCursor, pollLeadWindow, type LeadCursor, type PolledLead, type WindowRequest } from './window-poll.util.js';

const lead = (id: string, at: string): PolledLead => ({ id, at: new Date(at), event: { dedupeKey: id, items: [{ lead_id: id }] } });
const opts = { overlapSeconds: 600, maxWindowSeconds: 3600 };
const now = new Date('2024-06-01T12:00:00Z');

describe('pollLeadWindow', () => {
  it('starts the window overlap before since and ends it at now', async () => {
    const asked: WindowRequest[] = [];
    const r = await pollLeadWindow(initialLeadCursor(now, 1800), now, opts, async (req) => (asked.push(req), { leads: [], hasNextPage: false }));
    expect(asked).toEqual([{ start: new Date('2024-06-01T11:20:00Z'), end: now, page: 1, part: 0 }]);
    expect(r).toEqual({ events: [], next: { since: now.toISOString() }, hasMore: false });
  });

  it('keeps the window fixed while paging and moves since only when it is read', async () => {
    const cursor: LeadCursor = { since: '2024-06-01T11:30:00.000Z' };
    const p1 = await pollLeadWindow(cursor, now, opts, async () => ({ leads: [lead('a', '2024-06-01T11:40:00Z')], hasNextPage: true }));
    expect(p1.next).toEqual({ since: '2024-06-01T11:30:00.000Z', lastSeenAt: '2024-06-01T11:40:00.000Z', lastSeenIds: ['a'], window: { start: '2024-06-01T11:20:00.000Z', end: now.toISOString(), page: 2, part: 0 } });
    expect(p1.hasMore).toBe(true);
    const later = new Date('2024-06-01T12:01:00Z');
    const asked: WindowRequest[] = [];
    const p2 = await pollLeadWindow(p1.next, later, opts, async (req) => (asked.push(req), { leads: [lead('b', '2024-06-01T11:40:00Z')], hasNextPage: false }));
    expect(asked[0]!.end).toEqual(now);
    expect(p2.next).toEqual({ since: now.toISOString(), lastSeenAt: '2024-06-01T11:40:00.000Z', lastSeenIds: ['a', 'b'] });
    // The window ended a minute ago: there is a little more to read.
    expect(p2.hasMore).toBe(true);
  });

  it('skips the leads already delivered at the newest time, emits other repeats with their old keys', async () => {
    const cursor: LeadCursor = { since: now.toISOString(), lastSeenAt: '2024-06-01T11:58:00.000Z', lastSeenIds: ['b'] };
    const r = await pollLeadWindow(cursor, new Date('2024-06-01T12:05:00Z'), opts, async () => ({
      leads: [lead('a', '2024-06-01T11:55:00Z'), lead('b', '2024-06-01T11:58:00Z'), lead('c', '2024-06-01T11:58:00Z'), lead('a', '2024-06-01T11:55:00Z')],
      hasNextPage: false,
    }));
    expect(r.events.map((e) => e.dedupeKey)).toEqual(['a', 'c']);
    expect(r.next.lastSeenIds).toEqual(['b', 'c']);
  });

  it('walks the parts of a window (one query per lead type) before moving on', async () => {
    const asked: number[] = [];
    let c: LeadCursor = { since: '2024-06-01T11:50:00.000Z' };
    for (let i = 0; i < 3; i++) {
      const r = await pollLeadWindow(c, now, { ...opts, parts: 3 }, async (req) => (asked.push(req.part), { leads: [], hasNextPage: false }));
      c = r.next;
      expect(r.hasMore).toBe(i < 2);
    }
    expect(asked).toEqual([0, 1, 2]);
    expect(c).toEqual({ since: now.toISOString() });
  });

  it('catches up from a backfill in windows of maxWindowSeconds', async () => {
    let c: LeadCursor = backfillLeadCursor(new Date('2024-06-01T09:00:00Z'));
    const windows: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await pollLeadWindow(c, now, opts, async (req) => (windows.push(`${req.start.toISOString().slice(11, 16)}-${req.end.toISOString().slice(11, 16)}`), { leads: [], hasNextPage: false }));
      c = r.next;
      if (!r.hasMore) break;
    }
    expect(windows).toEqual(['08:50-09:50', '09:40-10:40', '10:30-11:30', '11:20-12:00']);
  });

  it('does nothing for a cursor in the future', async () => {
    const cursor = backfillLeadCursor(new Date('2024-06-02T00:00:00Z'));
    const r = await pollLeadWindow(cursor, now, opts, async () => {
      throw new Error('must not be called');
    });
    expect(r).toEqual({ events: [], next: cursor, hasMore: false });
  });
});
