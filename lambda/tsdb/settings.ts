import type { Tier, TsdbSettings } from './tiers';

/** Reads a required environment variable (set by the CDK construct); fails the init loudly otherwise. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** TIERS is JSON [[step, retention], ...] in seconds, finest first; FLUSH_POINTS the steps per window. */
export function settingsFromEnv(): TsdbSettings {
  const tiers = (JSON.parse(requireEnv('TIERS')) as Array<[number, number]>).map(([step, retention]): Tier => ({ step, retention }));
  return { tiers, flushPoints: Number(requireEnv('FLUSH_POINTS')) };
}

export function shardVipsFromEnv(): string[] {
  return requireEnv('SHARD_VIPS').split(',').filter(Boolean);
}
