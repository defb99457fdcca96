import { describe, expect, it } from 'vitest';
import { decodeGorilla, encodeGorilla, type SeriesPoint } from '../../../lambda/tsdb/gorilla';

function roundTrip(points: SeriesPoint[]): SeriesPoint[] {
  return decodeGorilla(encodeGorilla(points));
}

/** Object.is keeps NaN equal to NaN and -0 apart from 0, which toEqual would blur. */
function expectSame(actual: SeriesPoint[], expected: SeriesPoint[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach(([t, v], i) => {
    expect(t).toBe(expected[i]![0]);
    expect(Object.is(v, expected[i]![1]), `value ${i}: ${v} vs ${expected[i]![1]}`).toBe(true);
  });
}

/** Deterministic generator so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('Gorilla compression', () => {
  it('round-trips a regular 60 s series and compresses it well', () => {
    const rand = lcg(1);
    const points: SeriesPoint[] = Array.from({ length: 60 }, (_, i) => [1_767_225_600 + i * 60, Math.round(rand() * 1000) / 10]);
    const bytes = encodeGorilla(points);
    expectSame(decodeGorilla(bytes), points);
    // 16 bytes per raw point; delta-of-delta makes the timestamps ~1 bit each (random values stay costly).
    expect(bytes.length).toBeLessThan(60 * 16 * 0.6);
  });

  it('stores a constant series in about two bits per point', () => {
    const points: SeriesPoint[] = Array.from({ length: 1000 }, (_, i) => [1_767_225_600 + i * 60, 42]);
    const bytes = encodeGorilla(points);
    expectSame(decodeGorilla(bytes), points);
    // 21 header bytes (version, count, first point), then 2 bits a point.
    expect(bytes.length).toBeLessThan(21 + 1000 * 2 / 8 + 4);
  });

  it.each<[string, SeriesPoint[]]>([
    ['no points', []],
    ['one point', [[1_767_225_600, 1.5]]],
    ['equal timestamps', [[100, 1], [100, 2], [100, 3], [160, 3]]],
    ['NaN, infinities and signed zero', [[0, Number.NaN], [60, Number.POSITIVE_INFINITY], [120, Number.NEGATIVE_INFINITY], [180, -0], [240, 0], [300, Number.NaN]]],
    ['gaps of every size', [[0, 1], [60, 2], [120, 3], [10_000, 4], [10_060, 5], [5_000_000, 6], [5_000_060, 7], [2 ** 40, 8]]],
    ['negative deltas', [[1000, 1], [940, 2], [1000, 3], [0, 4], [-50_000, 5], [1e9, 6]]],
    ['extreme values', [[1, Number.MAX_VALUE], [2, Number.MIN_VALUE], [3, -Number.MAX_VALUE], [4, 5e-324], [5, 1 / 3]]],
  ])('round-trips %s', (_name, points) => {
    expectSame(roundTrip(points), points);
  });

  it('round-trips 200 random series (random steps, jitter, value walks)', () => {
    const rand = lcg(7);
    for (let s = 0; s < 200; s++) {
      let t = Math.floor(rand() * 2e9);
      let v = rand() * 100;
      const points: SeriesPoint[] = [];
      for (let i = 0; i < 1 + Math.floor(rand() * 120); i++) {
        t += Math.floor((rand() - 0.1) * 300);
        v = rand() < 0.2 ? v : v + (rand() - 0.5) * 10;
        points.push([t, rand() < 0.02 ? Number.NaN : v]);
      }
      expectSame(roundTrip(points), points);
    }
  });

  it('rejects non-integer timestamps and unknown versions', () => {
    expect(() => encodeGorilla([[1.5, 1]])).toThrow(/not a safe integer/);
    const bytes = encodeGorilla([[1, 1]]);
    bytes[0] = 9;
    expect(() => decodeGorilla(bytes)).toThrow(/unsupported version 9/);
  });
});
