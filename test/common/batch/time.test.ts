import { describe, expect, it } from 'vitest';
import { monthOf, monthRange, previousMonth, slotStart, zonedTimeToUtc } from '../../../common/batch/time';

describe('calendar in a time zone', () => {
  it.each([
    ['2026-03-31T14:59:59Z', 'Asia/Tokyo', '2026-03'],
    ['2026-03-31T15:00:00Z', 'Asia/Tokyo', '2026-04'], // midnight JST on April 1st
    ['2026-03-31T15:00:00Z', 'UTC', '2026-03'],
    ['2026-01-01T04:59:59Z', 'America/New_York', '2025-12'],
    ['2026-01-01T05:00:00Z', 'America/New_York', '2026-01'],
  ])('%s in %s is in month %s', (at, tz, month) => {
    expect(monthOf(new Date(at), tz)).toBe(month);
  });

  it.each([
    ['2026-01', '2025-12'],
    ['2026-03', '2026-02'],
    ['2026-12', '2026-11'],
  ])('the month before %s is %s', (month, before) => {
    expect(previousMonth(month)).toBe(before);
  });

  it('cuts months at local midnight, including February and DST zones', () => {
    expect(monthRange('2026-02', 'Asia/Tokyo')).toEqual({ start: new Date('2026-01-31T15:00:00Z'), end: new Date('2026-02-28T15:00:00Z') });
    expect(monthRange('2028-02', 'UTC').end).toEqual(new Date('2028-03-01T00:00:00Z')); // leap year
    expect(monthRange('2026-12', 'UTC')).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    // New York: EST (-5) in March 1st, EDT (-4) on April 1st.
    expect(monthRange('2026-03', 'America/New_York')).toEqual({ start: new Date('2026-03-01T05:00:00Z'), end: new Date('2026-04-01T04:00:00Z') });
  });

  it('rejects malformed months', () => {
    expect(() => monthRange('2026-13', 'UTC')).toThrow(/must be YYYY-MM/);
    expect(() => previousMonth('26-01')).toThrow(/must be YYYY-MM/);
  });

  it.each([
    ['2026-03-10T05:42:10Z', 60, 'Asia/Tokyo', '2026-03-10T05:00:00.000Z'],
    ['2026-03-10T05:42:10Z', 15, 'Asia/Tokyo', '2026-03-10T05:30:00.000Z'],
    ['2026-03-10T05:42:10Z', 1440, 'Asia/Tokyo', '2026-03-09T15:00:00.000Z'], // local midnight JST
    ['2026-03-10T14:59:59Z', 1440, 'Asia/Tokyo', '2026-03-09T15:00:00.000Z'],
    ['2026-03-10T15:00:00Z', 1440, 'Asia/Tokyo', '2026-03-10T15:00:00.000Z'],
  ])('slot of %s (%i min, %s) starts at %s', (at, minutes, tz, start) => {
    expect(slotStart(new Date(at), minutes, tz).toISOString()).toBe(start);
  });

  it('finds the UTC instant of a local wall-clock time', () => {
    expect(zonedTimeToUtc(2026, 4, 1, 0, 'Asia/Tokyo').toISOString()).toBe('2026-03-31T15:00:00.000Z');
    expect(zonedTimeToUtc(2026, 7, 1, 90, 'Europe/Berlin').toISOString()).toBe('2026-06-30T23:30:00.000Z');
  });
});
