import { describe, expect, it } from 'vitest';
import { HashRing } from '../../../lambda/tsdb/ring';

describe('consistent hashing over shard VIPs', () => {
  const series = Array.from({ length: 20_000 }, (_, i) => `host-${i % 500}/metric.${i}`);
  const vips = ['192.168.255.10', '192.168.255.11', '192.168.255.12', '192.168.255.13'];

  it('spreads series evenly (every shard within 25% of the mean)', () => {
    const ring = new HashRing(vips);
    const counts = vips.map(() => 0);
    for (const s of series) counts[ring.shardOf(s)]!++;
    for (const c of counts) expect(Math.abs(c - series.length / vips.length)).toBeLessThan(0.25 * series.length / vips.length);
  });

  it('moves only about 1/N of the series when a shard is added, all of them to the new shard', () => {
    const before = new HashRing(vips);
    const after = new HashRing([...vips, '192.168.255.14']);
    const moved = series.filter((s) => before.nodeOf(s) !== after.nodeOf(s));
    expect(moved.length / series.length).toBeGreaterThan(0.12);
    expect(moved.length / series.length).toBeLessThan(0.28);
    for (const s of moved) expect(after.nodeOf(s)).toBe('192.168.255.14');
  });

  it('does not depend on the order VIPs are listed in', () => {
    const a = new HashRing(vips);
    const b = new HashRing([...vips].reverse());
    for (const s of series.slice(0, 1000)) expect(a.nodeOf(s)).toBe(b.nodeOf(s));
  });
});
