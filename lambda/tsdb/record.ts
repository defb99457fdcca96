/**
 * Kinesis record format, version 1: one record is one host's batch of points (partition key = hostId,
 * so a host's points stay ordered on one Kinesis shard):
 *
 *   {"v":1,"hostId":"h-1a2b","points":[{"name":"cpu.user","time":1767225600,"value":12.5}, ...]}
 *
 * - v: format version; a reader rejects versions it does not know (add v2 beside v1, never change v1).
 * - hostId: [A-Za-z0-9_-]{1,64}. name: [A-Za-z0-9_.-]{1,200} (Graphite-style dotted path).
 * - time: Unix epoch seconds (fractions allowed; aligned down to the step on write).
 * - value: a finite number (DynamoDB numbers cannot hold NaN or Infinity).
 * A series is "<hostId>/<name>".
 */
export const RECORD_VERSION = 1;
export const MAX_POINTS_PER_RECORD = 10_000;

export interface Point {
  readonly series: string;
  readonly time: number;
  readonly value: number;
}

export interface MetricRecordV1 {
  readonly v: 1;
  readonly hostId: string;
  readonly points: ReadonlyArray<{ readonly name: string; readonly time: number; readonly value: number }>;
}

export type ParseResult = { readonly ok: true; readonly points: Point[] } | { readonly ok: false; readonly reason: string };

const HOST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const METRIC_NAME = /^[A-Za-z0-9_.-]{1,200}$/;
/** 2000-01-01 .. 2100-01-01: anything outside is a client bug (ms instead of s, or garbage). */
const MIN_TIME = 946_684_800;
const MAX_TIME = 4_102_444_800;

export function seriesId(hostId: string, name: string): string {
  return `${hostId}/${name}`;
}

/** Encodes a batch as the writer expects it (the api service and tests use this). */
export function encodeRecord(record: MetricRecordV1): Buffer {
  return Buffer.from(JSON.stringify(record));
}

export type RawPoint = MetricRecordV1['points'][number];

/** A valid record as decoded: its host and its points as they came (the writer's fast path). */
export type HostBatchResult = { readonly ok: true; readonly hostId: string; readonly points: readonly RawPoint[] } | { readonly ok: false; readonly reason: string };

/** Decodes and validates one record; never throws (a bad record is rejected with its reason). */
export function parseRecord(data: Uint8Array): ParseResult {
  const parsed = parseHostBatch(data);
  if (!parsed.ok) return parsed;
  return { ok: true, points: parsed.points.map((p) => ({ series: seriesId(parsed.hostId, p.name), time: p.time, value: p.value })) };
}

/**
 * Decodes and validates one record without building a point object per point: the writer derives
 * each point's series key from hostId and name as it packs them. Never throws.
 */
export function parseHostBatch(data: Uint8Array): HostBatchResult {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof body !== 'object' || body === null) return { ok: false, reason: 'not a JSON object' };
  const { v, hostId, points } = body as Record<string, unknown>;
  if (v !== RECORD_VERSION) return { ok: false, reason: `unsupported version ${JSON.stringify(v)}; expected ${RECORD_VERSION}` };
  if (typeof hostId !== 'string' || !HOST_ID.test(hostId)) return { ok: false, reason: 'hostId must match [A-Za-z0-9_-]{1,64}' };
  if (!Array.isArray(points) || points.length === 0) return { ok: false, reason: 'points must be a non-empty array' };
  if (points.length > MAX_POINTS_PER_RECORD) return { ok: false, reason: `more than ${MAX_POINTS_PER_RECORD} points` };
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null) return { ok: false, reason: `points[${i}] is not an object` };
    const { name, time, value } = p;
    if (typeof name !== 'string' || !METRIC_NAME.test(name)) return { ok: false, reason: `points[${i}].name must match [A-Za-z0-9_.-]{1,200}` };
    if (typeof time !== 'number' || !(time >= MIN_TIME && time < MAX_TIME)) return { ok: false, reason: `points[${i}].time must be epoch seconds between 2000 and 2100` };
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: `points[${i}].value must be a finite number` };
  }
  return { ok: true, hostId, points: points as RawPoint[] };
}
