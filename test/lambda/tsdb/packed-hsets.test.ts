import { describe, expect, it } from 'vitest';
import { PackedHsets, POINTS_PER_CALL } from '../../../lambda/tsdb/packed-hsets';

/** The HSETs a call's arguments stand for, decoded the way the script splits them. */
function decode(args: Array<string | Buffer>): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (let g = 0; g < args.length; g += 2) {
    const field = args[g] as string;
    for (const line of (args[g + 1] as Buffer).toString('latin1').split('\n').slice(0, -1)) {
      const [key, value, ...rest] = line.split('\t');
      expect(rest).toEqual([]);
      out.push([key!, field, value!]);
    }
  }
  return out;
}

describe('PackedHsets', () => {
  it('packs key parts and values per field, in order, one group per run of equal fields', () => {
    const packed = new PackedHsets();
    packed.add('60', 'ts:h/', 'cpu', '@0', '1.5');
    packed.add('60', 'ts:h/', 'mem', '@0', '-2e-7');
    packed.add('120', 'ts:h/', 'cpu', '@0', '3');
    packed.add('60', 'ts:g/', 'cpu', '@0', '4');
    const calls = packed.finish();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.filter((a) => typeof a === 'string')).toEqual(['60', '120', '60']);
    expect(decode(calls[0]!)).toEqual([['ts:h/cpu@0', '60', '1.5'], ['ts:h/mem@0', '60', '-2e-7'], ['ts:h/cpu@0', '120', '3'], ['ts:g/cpu@0', '60', '4']]);
    expect(packed.points).toBe(4);
  });

  it(`splits calls at ${POINTS_PER_CALL} points and keeps every byte across buffer replacements (megabytes of points)`, () => {
    const packed = new PackedHsets();
    const n = 3 * POINTS_PER_CALL + 17;
    const expected: Array<[string, string, string]> = [];
    const longName = 'x'.repeat(190);
    for (let i = 0; i < n; i++) {
      const field = String(1_767_225_600 + 60 * Math.floor(i / 5000));
      packed.add(field, `ts:host-${i % 97}/`, `${longName}.${i}`, '@1767225600', String(i / 7));
      expected.push([`ts:host-${i % 97}/${longName}.${i}@1767225600`, field, String(i / 7)]);
    }
    const calls = packed.finish();
    expect(calls.map((args) => decode(args).length)).toEqual([POINTS_PER_CALL, POINTS_PER_CALL, POINTS_PER_CALL, 17]);
    expect(calls.flatMap(decode)).toEqual(expected);
  });

  it('has nothing to send when nothing was added', () => {
    expect(new PackedHsets().finish()).toEqual([]);
  });
});
