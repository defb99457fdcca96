import type { Redis } from 'ioredis';
import { mapLimit } from './concurrency';
import { moveWindow } from './mover';
import { memberOfKey, parseWindowMember, WINDOW_KEY_PATTERN } from './redis-keys';
import { windowSpan, type TsdbSettings } from './tiers';
import type { WindowStore } from './window-store';

export interface FlusherDeps {
  readonly shards: readonly Redis[];
  readonly store: WindowStore;
  readonly settings: TsdbSettings;
  /** A window is moved once it ended this long ago (its series stopped, or it never filled up). */
  readonly idleMs: number;
  /** Upper bound of windows moved per shard per run (the rest wait for the next run). */
  readonly maxWindowsPerShard: number;
  readonly now?: () => number;
  readonly log?: (message: string, detail: Record<string, unknown>) => void;
}

export interface FlushOutcome {
  readonly moved: number;
  readonly points: number;
  readonly failed: number;
}

const MOVES_IN_FLIGHT = 16;

/** Window keys of one shard whose window ended before `cutoffS`, found by SCAN (no index to maintain). */
async function staleWindows(redis: Redis, span: number, cutoffS: number, limit: number): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', WINDOW_KEY_PATTERN, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const member = memberOfKey(key);
      if (parseWindowMember(member).windowStart + span <= cutoffS) found.push(member);
    }
  } while (cursor !== '0' && found.length < limit);
  return found.slice(0, limit);
}

/**
 * Moves every window that ended more than `idleMs` ago from each shard to DynamoDB: series that stopped
 * receiving points, and windows that never filled up. Rollups are written on the way. Each move is
 * idempotent, so an interrupted run is simply repeated.
 */
export async function flushIdleWindows(deps: FlusherDeps): Promise<FlushOutcome> {
  const cutoffS = ((deps.now ?? Date.now)() - deps.idleMs) / 1000;
  const span = windowSpan(deps.settings, deps.settings.tiers[0]!);
  const perShard = await Promise.all(deps.shards.map(async (redis) => {
    const members = await staleWindows(redis, span, cutoffS, deps.maxWindowsPerShard);
    return mapLimit(members, MOVES_IN_FLIGHT, async (member) => {
      const { series, windowStart } = parseWindowMember(member);
      try {
        return (await moveWindow(redis, deps.store, deps.settings, series, windowStart)).points;
      } catch (error) {
        deps.log?.('moving an idle window failed: the next run retries it', { member, error: (error as Error).message });
        return -1;
      }
    });
  }));
  const all = perShard.flat();
  return {
    moved: all.filter((n) => n >= 0).length,
    points: all.reduce((sum, n) => sum + Math.max(n, 0), 0),
    failed: all.filter((n) => n < 0).length,
  };
}
