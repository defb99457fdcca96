import { describe, expect, it } from 'vitest';
import { encodeRecord, parseRecord } from '../../../lambda/tsdb/record';
import { HashRing } from '../../../lambda/tsdb/ring';
import { alignDown, windowsCovering, windowStartOf } from '../../../lambda/tsdb/tiers';

const T = 1_767_225_600;

describe('record format v1', () => {
  it('parses a host batch into series points', () => {
    const parsed = parseRecord(encodeRecord({ v: 1, hostId: 'h-1', points: [{ name: 'cpu.user', time: T + 1.5, value: 2 }] }));
    expect(parsed).toEqual({ ok: true, points: [{ series: 'h-1/cpu.user', time: T + 1.5, value: 2 }] });
  });

  it.each<[string, string, RegExp]>([
    ['garbage', 'not json', /not JSON/],
    ['array', '[]', /unsupported version/],
    ['unknown version', JSON.stringify({ v: 2, hostId: 'h', points: [] }), /unsupported version 2; expected 1/],
    ['bad host id', JSON.stringify({ v: 1, hostId: 'h 1', points: [{ name: 'a', time: T, value: 1 }] }), /hostId must match/],
    ['empty points', JSON.stringify({ v: 1, hostId: 'h', points: [] }), /non-empty array/],
    ['bad name', JSON.stringify({ v: 1, hostId: 'h', points: [{ name: 'a/b', time: T, value: 1 }] }), /points\[0\]\.name/],
    ['time in ms', JSON.stringify({ v: 1, hostId: 'h', points: [{ name: 'a', time: T * 1000, value: 1 }] }), /points\[0\]\.time must be epoch seconds/],
    ['non-finite value', '{"v":1,"hostId":"h","points":[{"name":"a","time":1767225600,"value":null}]}', /points\[0\]\.value must be a finite number/],
  ])('rejects %s with the reason', (_name, body, reason) => {
    const parsed = parseRecord(Buffer.from(body));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('step alignment and windows', () => {
  const settings = { tiers: [{ step: 60, retention: 86_400 }, { step: 300, retention: 604_800 }], flushPoints: 60 };
  it('aligns down to the step, so repeated writes hit the same field', () => {
    expect(alignDown(T + 59.9, 60)).toBe(T);
    expect(alignDown(T + 60, 60)).toBe(T + 60);
  });
  it('windows span flushPoints steps of their tier', () => {
    expect(windowStartOf(settings, settings.tiers[0]!, T + 3599)).toBe(T);
    expect(windowStartOf(settings, settings.tiers[1]!, T + 3600)).toBe(T - (T % 18_000));
    expect(windowsCovering(settings, settings.tiers[0]!, T - 1, T + 3600)).toEqual([T - 3600, T]);
  });
});

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
