import { REDIS_ENV, requireEnv } from '../../common/env';
import type { Tier, TsdbSettings } from './tiers';

/** TIERS is JSON [[step, retention], ...] in seconds, finest first; FLUSH_POINTS the steps per window. */
export function settingsFromEnv(): TsdbSettings {
  const tiers = (JSON.parse(requireEnv('TIERS')) as Array<[number, number]>).map(([step, retention]): Tier => ({ step, retention }));
  return { tiers, flushPoints: Number(requireEnv('FLUSH_POINTS')) };
}

export function shardVipsFromEnv(): string[] {
  return requireEnv(REDIS_ENV.shardVips).split(',').filter(Boolean);
}
