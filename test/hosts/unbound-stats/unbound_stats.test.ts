import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATS_SCRIPT_SOURCE } from '../../../lib/host-config/unbound';
import { python3 } from './python';

/** Real `unbound-control stats_noreset` output (unbound 1.17.1), taken before and after a few queries. */
const FIXTURES = path.join(__dirname, 'fixtures');

/** Runs Python against the on-host publisher module; the snippet prints JSON. */
function python(snippet: string): unknown {
  const program = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(path.dirname(STATS_SCRIPT_SOURCE))})`,
    'import unbound_stats as s',
    `read = lambda n: s.parse_stats(open(${JSON.stringify(FIXTURES)} + "/" + n).read())`,
    snippet,
  ].join('\n');
  return JSON.parse(execFileSync(python3(), ['-B', '-c', program], { encoding: 'utf8' }));
}

describe('unbound statistics publisher (hosts/unbound-stats/unbound_stats.py)', () => {
  it('parses every name=value line of real stats_noreset output', () => {
    const stats = python('print(json.dumps(read("stats-noreset-1.txt")))') as Record<string, number>;
    expect(stats['total.num.queries']).toBe(3);
    expect(stats['total.num.cachehits']).toBe(1);
    expect(stats['total.num.cachemiss']).toBe(2);
    expect(stats['num.answer.rcode.NXDOMAIN']).toBe(1);
    expect(stats['total.recursion.time.avg']).toBeCloseTo(0.000759, 9);
    expect(stats['histogram.000000.000512.to.000000.001024']).toBe(2);
    expect(Object.keys(stats).length).toBeGreaterThan(100);
  });

  it('ignores lines that are not name=value', () => {
    expect(python('print(json.dumps(s.parse_stats("error: no socket\\nx=1\\ny=abc\\n")))')).toEqual({ x: 1 });
  });

  it('turns two snapshots into the interval\'s counts and mean recursion time', () => {
    const metrics = python('print(json.dumps(s.interval_metrics(read("stats-noreset-1.txt"), read("stats-noreset-2.txt"))))') as Record<string, number>;
    expect(metrics).toMatchObject({
      Queries: 6, CacheHits: 2, CacheMisses: 4, NxdomainAnswers: 2, ServfailAnswers: 0, RefusedAnswers: 0, RecursiveReplies: 1, Prefetches: 0,
    });
    // (0.000644 s x 3 replies - 0.000759 s x 2 replies) / 1 reply
    expect(metrics.RecursionTimeMs).toBeCloseTo(0.414, 6);
  });

  it('counts from zero on the first run and after unbound restarted', () => {
    const first = python('print(json.dumps(s.interval_metrics(None, read("stats-noreset-1.txt"))))') as Record<string, number>;
    expect(first).toMatchObject({ Queries: 3, CacheHits: 1, CacheMisses: 2, NxdomainAnswers: 1 });
    // The "previous" snapshot is newer (longer uptime, higher counters): unbound restarted in between.
    const restarted = python('print(json.dumps(s.interval_metrics(read("stats-noreset-2.txt"), read("stats-noreset-1.txt"))))') as Record<string, number>;
    expect(restarted).toEqual(first);
  });

  it('leaves recursion time out of an interval without recursions', () => {
    const metrics = python('a = read("stats-noreset-1.txt"); print(json.dumps(s.interval_metrics(a, a)))') as Record<string, number>;
    expect(metrics.Queries).toBe(0);
    expect(metrics).not.toHaveProperty('RecursionTimeMs');
  });

  it('sends every metric per resolver and for the environment', () => {
    const data = python('print(json.dumps(s.metric_data({"Queries": 6, "RecursionTimeMs": 0.4141}, "production", "resolver-2", "2026-01-01T00:00:00Z")))') as Array<Record<string, unknown>>;
    expect(data).toEqual([
      { MetricName: 'Queries', Dimensions: [{ Name: 'Environment', Value: 'production' }, { Name: 'Resolver', Value: 'resolver-2' }], Timestamp: '2026-01-01T00:00:00Z', Value: 6, Unit: 'Count' },
      { MetricName: 'RecursionTimeMs', Dimensions: [{ Name: 'Environment', Value: 'production' }, { Name: 'Resolver', Value: 'resolver-2' }], Timestamp: '2026-01-01T00:00:00Z', Value: 0.414, Unit: 'Milliseconds' },
      { MetricName: 'Queries', Dimensions: [{ Name: 'Environment', Value: 'production' }], Timestamp: '2026-01-01T00:00:00Z', Value: 6, Unit: 'Count' },
      { MetricName: 'RecursionTimeMs', Dimensions: [{ Name: 'Environment', Value: 'production' }], Timestamp: '2026-01-01T00:00:00Z', Value: 0.414, Unit: 'Milliseconds' },
    ]);
  });
});
