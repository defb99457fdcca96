import type { Redis } from 'ioredis';
import { windowKey, windowMember } from './redis-keys';
import type { TsdbSettings } from './tiers';
import { mergeRawWindow, writeRollups, type WindowStore } from './window-store';

/**
 * Deletes the fields that were moved, but only where they still hold the moved value (a concurrent
 * writer may have written in between). One script, so no write can slip between check and delete.
 * Returns 1 when the window's hash is gone.
 */
const RELEASE_MOVED = `
local key = KEYS[1]
for i = 1, #ARGV - 1, 2 do
  if redis.call('HGET', key, ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', key, ARGV[i]) end
end
return 1 - redis.call('EXISTS', key)`;

export interface MoveResult {
  readonly points: number;
  /** True when the Redis window is gone (nothing arrived during the move). */
  readonly released: boolean;
}

/**
 * Moves one Redis window to DynamoDB: read, merge into the raw item, roll up, then release. A failure
 * anywhere leaves the Redis window in place, so the next move repeats it harmlessly.
 */
export async function moveWindow(redis: Redis, store: WindowStore, settings: TsdbSettings, series: string, windowStart: number): Promise<MoveResult> {
  const member = windowMember(series, windowStart);
  const key = windowKey(member);
  const fields = await redis.hgetall(key);
  const entries = Object.entries(fields);
  if (entries.length > 0) {
    const points = new Map(entries.map(([ts, v]) => [Number(ts), Number(v)]));
    const merged = await mergeRawWindow(store, settings, series, windowStart, points);
    await writeRollups(store, settings, series, windowStart, merged);
  }
  const released = (await redis.eval(RELEASE_MOVED, 1, key, ...entries.flat())) === 1;
  return { points: entries.length, released };
}
