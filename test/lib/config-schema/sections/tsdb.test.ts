import { describe, expect, it } from 'vitest';
import type { EnvConfigInput } from '../../../../lib/config-schema/schema';
import { configRejection } from '../../../support/config-rejection';

describe('tsdb config rules', () => {
  it.each<[string, (c: EnvConfigInput) => void, RegExp]>([
    ['a first tier that is not the raw step', (c) => { c.tsdb.tiers = ['5m:1d', '1h:30d']; }, /^config\/staging\.ts: tsdb\.tiers\[0\]: "5m:1d" must have the raw step stepSeconds \(60s\)/],
    ['tiers out of order', (c) => { c.tsdb.tiers = ['1m:1d', '1h:30d', '5m:7d']; }, /tsdb\.tiers\[2\]: "5m:7d" must have a step that is a larger multiple of the previous tier's step; list tiers finest first/],
    ['a step that is no multiple', (c) => { c.tsdb.tiers = ['1m:1d', '90s:7d']; }, /tsdb\.tiers\[1\]: .*larger multiple/],
    ['a retention shorter than the step', (c) => { c.tsdb.tiers = ['1m:1d', '2d:1d']; }, /tsdb\.tiers\[1\]: "2d:1d" keeps less than one step/],
    ['a malformed tier', (c) => { c.tsdb.tiers = ['1m-1d']; }, /tsdb\.tiers\[0\]: must be "<step>:<retention>"/],
    ['windows too large for a DynamoDB item', (c) => { c.tsdb.flushPoints = 100_000; }, /tsdb\.flushPoints: must be at most 5000 so a window stays far below the 400 KB/],
    ['a replica wait that could stall a shard', (c) => { c.tsdb.writer.replicaTimeoutMs = 60_000; }, /tsdb\.writer\.replicaTimeoutMs: must be at most 5000 ms/],
    ['glacier before infrequent access', (c) => { c.tsdb.archive.glacierAfterDays = 30; }, /tsdb\.archive\.glacierAfterDays: \(30\) must be later than infrequentAccessAfterDays \(30\)/],
    ['a missing flush schedule', (c) => { delete (c.tsdb as Partial<EnvConfigInput['tsdb']>).flushScheduleMinutes; }, /tsdb\.flushScheduleMinutes: /],
  ])('rejects %s with one line naming the field', (_name, mutate, message) => {
    const text = configRejection('staging', mutate);
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });
});
