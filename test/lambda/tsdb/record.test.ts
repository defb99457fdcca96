import { describe, expect, it } from 'vitest';
import { encodeRecord, parseRecord } from '../../../lambda/tsdb/record';

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
