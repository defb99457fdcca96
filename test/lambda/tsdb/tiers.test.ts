import { describe, expect, it } from 'vitest';
import { alignDown, windowsCovering, windowStartOf } from '../../../lambda/tsdb/tiers';

const T = 1_767_225_600;

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
