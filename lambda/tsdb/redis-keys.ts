/**
 * Redis layout on each shard (the shard is chosen by the series, so all of a series' keys live together):
 * `ts:<series>@<windowStart>`: hash, field = aligned timestamp (epoch s), value = the number as text.
 * HSET of an aligned timestamp overwrites, so a replayed record changes nothing. There is deliberately
 * no index: one command per point is the writer's whole cost, and the flusher finds windows by SCAN.
 */
export const WINDOW_KEY_PATTERN = 'ts:*@*';

export function windowMember(series: string, windowStart: number): string {
  return `${series}@${windowStart}`;
}

export function windowKey(member: string): string {
  return `ts:${member}`;
}

export function memberOfKey(key: string): string {
  return key.slice(3);
}

export function parseWindowMember(member: string): { series: string; windowStart: number } {
  const at = member.lastIndexOf('@');
  return { series: member.slice(0, at), windowStart: Number(member.slice(at + 1)) };
}
