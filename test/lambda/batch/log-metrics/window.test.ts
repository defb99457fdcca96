import { describe, expect, it } from 'vitest';
import { metricNamePart, parseQueryInput, queryWindow, rowsToMetrics } from '../../../../lambda/batch/log-metrics/window';

const s = (iso: string) => Date.parse(iso) / 1000;

describe('log -> metric window and mapping', () => {
  it.each([
    // now, interval, offset -> [start, end)
    ['2026-05-01T12:17:30Z', 5, 10, '2026-05-01T12:00:00Z', '2026-05-01T12:05:00Z'],
    ['2026-05-01T12:15:00Z', 5, 10, '2026-05-01T12:00:00Z', '2026-05-01T12:05:00Z'],
    ['2026-05-01T12:14:59Z', 5, 10, '2026-05-01T11:55:00Z', '2026-05-01T12:00:00Z'],
    ['2026-05-01T00:03:00Z', 5, 10, '2026-04-30T23:45:00Z', '2026-04-30T23:50:00Z'],
    ['2026-05-01T12:17:30Z', 60, 0, '2026-05-01T11:00:00Z', '2026-05-01T12:00:00Z'],
    ['2026-05-01T12:17:30Z', 1, 0, '2026-05-01T12:16:00Z', '2026-05-01T12:17:00Z'],
  ])('at %s every %i min, offset %i: [%s, %s)', (now, interval, offset, start, end) => {
    expect(queryWindow(Date.parse(now), interval, offset)).toEqual({ start: s(start), end: s(end) });
  });

  it('tiles time: consecutive runs meet without gap or overlap', () => {
    const base = Date.parse('2026-05-01T12:00:00Z');
    for (let run = 0; run < 12; run++) {
      const a = queryWindow(base + run * 300_000 + 7_000, 5, 10);
      const b = queryWindow(base + (run + 1) * 300_000 + 7_000, 5, 10);
      expect(b.start).toBe(a.end);
    }
  });

  it('turns rows into prefix.group.field metrics stamped with the window start', () => {
    const rows = [
      [{ field: 'job', value: 'usage' }, { field: 'hosts', value: '12' }, { field: 'durationMs', value: '350.5' }, { field: '@ptr', value: 'x' }],
      [{ field: 'job', value: 'billing run/2' }, { field: 'hosts', value: '' }, { field: 'note', value: 'n/a' }, { field: 'errors', value: '0' }],
      [{ field: 'errors', value: '3' }],
    ];
    expect(rowsToMetrics(rows, { metricPrefix: 'batch', groupField: 'job' }, 1000)).toEqual([
      { name: 'batch.usage.hosts', time: 1000, value: 12 },
      { name: 'batch.usage.durationMs', time: 1000, value: 350.5 },
      { name: 'batch.billing_run_2.errors', time: 1000, value: 0 },
      { name: 'batch._.errors', time: 1000, value: 3 },
    ]);
    expect(metricNamePart('a.b c')).toBe('a_b_c');
  });

  it('reads schedule input, with the published 10-minute default offset', () => {
    const input = { logGroupName: '/g', query: 'stats count() by job', intervalMinutes: 5, metricPrefix: 'p', groupField: 'job', serviceName: 'svc', apiKeyParameterName: '/k' };
    expect(parseQueryInput(input).offsetMinutes).toBe(10);
    expect(parseQueryInput({ ...input, offsetMinutes: 0 }).offsetMinutes).toBe(0);
    expect(() => parseQueryInput({ ...input, logGroupName: '' })).toThrow(/logGroupName must be a non-empty string/);
    expect(() => parseQueryInput({ ...input, intervalMinutes: 0 })).toThrow(/intervalMinutes must be at least 1/);
    expect(() => parseQueryInput({ ...input, intervalMinutes: 2.5 })).toThrow(/intervalMinutes must be a whole number/);
  });
});
