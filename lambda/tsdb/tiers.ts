/** A storage tier: points every `step` seconds, kept in DynamoDB for `retention` seconds after the window ends. */
export interface Tier {
  readonly step: number;
  readonly retention: number;
}

export interface TsdbSettings {
  /** Finest first; tiers[0] is the raw tier written by the writer. */
  readonly tiers: readonly Tier[];
  /** Steps per window: a window is one Redis hash and one DynamoDB item; full windows move to DynamoDB. */
  readonly flushPoints: number;
}

export function alignDown(time: number, step: number): number {
  return Math.floor(time / step) * step;
}

export function windowSpan(settings: TsdbSettings, tier: Tier): number {
  return tier.step * settings.flushPoints;
}

export function windowStartOf(settings: TsdbSettings, tier: Tier, time: number): number {
  return alignDown(time, windowSpan(settings, tier));
}

/** The DynamoDB sort key of a window: "<window start epoch>:<step>" (the public prototype's layout). */
export function windowSortKey(windowStart: number, step: number): string {
  return `${windowStart}:${step}`;
}

export function parseWindowSortKey(key: string): { windowStart: number; step: number } {
  const [start, step] = key.split(':');
  return { windowStart: Number(start), step: Number(step) };
}

export function tierByStep(settings: TsdbSettings, step: number): Tier | undefined {
  return settings.tiers.find((t) => t.step === step);
}

/** Starts of every window of `tier` overlapping [from, to). */
export function windowsCovering(settings: TsdbSettings, tier: Tier, from: number, to: number): number[] {
  const span = windowSpan(settings, tier);
  const out: number[] = [];
  for (let start = alignDown(from, span); start < to; start += span) out.push(start);
  return out;
}
