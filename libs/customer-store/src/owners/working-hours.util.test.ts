import { describe, expect, it } from '@jest/globals';
import { addWorkingHours, isTimeZone, isWorkingAt, workingHoursProblems, type WorkingHours } from './working-hours.util.js';

const office: WorkingHours = { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
const night: WorkingHours = { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00' };
const newYork: WorkingHours = { timezone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const at = (iso: string) => new Date(iso);

describe('working hours', () => {
  it('knows who is at work, in their own time zone (2026-03-02 is a Monday)', () => {
    expect(isWorkingAt(office, at('2026-03-02T01:00:00Z'))).toBe(true); // 09:00 in Shanghai
    expect(isWorkingAt(office, at('2026-03-02T00:59:00Z'))).toBe(false);
    expect(isWorkingAt(office, at('2026-03-02T09:59:00Z'))).toBe(true); // 17:59
    expect(isWorkingAt(office, at('2026-03-02T10:00:00Z'))).toBe(false); // 18:00: the end is exclusive
    expect(isWorkingAt(office, at('2026-03-07T03:00:00Z'))).toBe(false); // Saturday
  });

  it('runs a night shift into the next morning, counted on the day it starts', () => {
    expect(isWorkingAt(night, at('2026-03-02T14:30:00Z'))).toBe(true); // Mon 22:30
    expect(isWorkingAt(night, at('2026-03-02T19:00:00Z'))).toBe(true); // Tue 03:00, Monday's shift
    expect(isWorkingAt(night, at('2026-03-06T19:00:00Z'))).toBe(true); // Sat 03:00, Friday's shift
    expect(isWorkingAt(night, at('2026-03-01T19:00:00Z'))).toBe(false); // Mon 03:00, Sunday has no shift
    expect(isWorkingAt(night, at('2026-03-02T04:00:00Z'))).toBe(false); // Mon 12:00
  });

  it('follows daylight saving time', () => {
    // New York moves to EDT (UTC−4) on 2026-03-08.
    expect(isWorkingAt(newYork, at('2026-03-06T14:00:00Z'))).toBe(true); // Fri 09:00 EST
    expect(isWorkingAt(newYork, at('2026-03-09T13:00:00Z'))).toBe(true); // Mon 09:00 EDT
    expect(isWorkingAt(newYork, at('2026-03-09T12:59:00Z'))).toBe(false);
  });

  it('treats equal start and end as the whole day, and 24:00 as midnight', () => {
    expect(isWorkingAt({ ...office, start: '00:00', end: '00:00' }, at('2026-03-02T16:30:00Z'))).toBe(true); // Tue 00:30
    expect(isWorkingAt({ ...office, start: '20:00', end: '24:00' }, at('2026-03-02T15:59:00Z'))).toBe(true); // Mon 23:59
  });

  it('adds business hours: time outside the windows does not count', () => {
    // Friday 17:00 + 3 h = 1 h on Friday, 2 h on Monday → Monday 11:00.
    expect(addWorkingHours(office, at('2026-03-06T09:00:00Z'), 3)!.toISOString()).toBe('2026-03-09T03:00:00.000Z');
    // From Saturday: Monday 09:00 + 2 h.
    expect(addWorkingHours(office, at('2026-03-07T05:00:00Z'), 2)!.toISOString()).toBe('2026-03-09T03:00:00.000Z');
    // Inside a window.
    expect(addWorkingHours(office, at('2026-03-02T02:00:00Z'), 1.5)!.toISOString()).toBe('2026-03-02T03:30:00.000Z');
    // A whole week of office hours is 45 h.
    expect(addWorkingHours(office, at('2026-03-02T01:00:00Z'), 45)!.toISOString()).toBe('2026-03-06T10:00:00.000Z');
    // Across the DST change: Fri 16:00 EST + 2 h → Mon 10:00 EDT.
    expect(addWorkingHours(newYork, at('2026-03-06T21:00:00Z'), 2)!.toISOString()).toBe('2026-03-09T14:00:00.000Z');
    // A night shift: Monday 21:00 + 4 h → Tuesday 02:00.
    expect(addWorkingHours(night, at('2026-03-02T13:00:00Z'), 4)!.toISOString()).toBe('2026-03-02T18:00:00.000Z');
  });

  it('reports what is wrong with a value', () => {
    expect(workingHoursProblems(office)).toEqual([]);
    expect(workingHoursProblems({ timezone: 'Mars/Olympus', days: [1], start: '25:00', end: '9' }).map((p) => p.path)).toEqual(['/timezone', '/start', '/end']);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('')).toBe(false);
  });
});
