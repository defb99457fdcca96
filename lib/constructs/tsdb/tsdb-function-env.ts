import type { EnvConfig } from '../../config-schema/schema';
import { durationSeconds } from '../../config-schema/sections/tsdb';

/** The settings every TSDB handler reads at init (lambda/tsdb/settings.ts parses them). */
export function tsdbSettingsEnvironment(config: EnvConfig): Record<string, string> {
  const tiers = config.tsdb.tiers.map((tier) => tier.split(':').map(durationSeconds));
  return { TIERS: JSON.stringify(tiers), FLUSH_POINTS: String(config.tsdb.flushPoints) };
}
