import type { EnvConfigInput } from '../../lib/config-schema/schema';

export type LeafPath = (string | number)[];
export type Leaf = { readonly path: LeafPath; readonly value: unknown };

/** Every leaf of a config: primitives, and each primitive element of an array. */
export function leavesOf(value: unknown, path: LeafPath = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leavesOf(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...path, k]));
  return [{ path, value }];
}

export function withLeaf(config: EnvConfigInput, path: LeafPath, value: unknown): EnvConfigInput {
  const copy = structuredClone(config) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy as unknown as EnvConfigInput;
}

export const pathText = (path: LeafPath) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);

/**
 * Other values to try for a leaf, most plausible first; the test takes the first the schema accepts.
 * Strings that must keep a shape get shaped alternatives; the rest get a suffix.
 */
export function alternatives(path: LeafPath, value: unknown): unknown[] {
  const key = String(path.at(-1));
  if (typeof value === 'boolean') return [!value];
  if (typeof value === 'number') {
    const candidates = [value + 1, value - 1, value * 2, Math.floor(value / 2), value + 10, value + 60, value * 10];
    // Retention periods come from a fixed list (CloudWatch Logs).
    if (/RetentionDays$|^logRetentionDays$/.test(key)) candidates.unshift(...[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400].filter((d) => d !== value));
    return candidates.filter((n) => n !== value && n >= 0);
  }
  if (typeof value !== 'string') return [];
  const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(value);
  if (ip) return [`${ip[1]}.${ip[2]}.${ip[3]}.${Number(ip[4]) - 1}`, `${ip[1]}.${ip[2]}.${ip[3]}.${Number(ip[4]) + 1}`];
  const cidr = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(value);
  if (cidr) return [`${cidr[1]}.${Number(cidr[2]) + 1}.${cidr[3]}.${cidr[4]}/${cidr[5]}`, `${cidr[1]}.${cidr[2]}.${Number(cidr[3]) + 1}.${cidr[4]}/${cidr[5]}`];
  const instance = /^([a-z0-9]+)\.(\w+)$/.exec(value);
  if (instance && /instanceType$/i.test(key)) return ['large', 'xlarge', 'medium', 'small', '2xlarge'].filter((s) => s !== instance[2]).map((s) => `${instance[1]}.${s}`);
  if (/schedule$/i.test(key)) return ['15 3 * * ? *', '0 4 * * ? *', '*/5 * * * ? *'];
  if (/^ami-[0-9a-f]+$/.test(value)) return [value.replace(/.$/, (c) => (c === '0' ? '1' : '0'))];
  if (value.startsWith('arn:')) return [value.replace(/.$/, (c) => (c === '0' ? '1' : '0'))];
  if (value.includes('@')) return [value.replace('@', '-other@')];
  if (/^https?:\/\//.test(value)) return [`${value.replace(/\/$/, '')}-other`, value.replace('://', '://other.')];
  if (value.startsWith('/')) return [`${value}-other`, `${value}/other`];
  const enumLike = /^[A-Z0-9_]+$/.test(value) ? ['PROVISIONED', 'ON_DEMAND', 'PAY_PER_REQUEST', 'ARM64', 'X86_64', 'allkeys-lru', 'noeviction'] : ['allkeys-lru', 'volatile-lru', 'noeviction'];
  return [...enumLike.filter((v) => v !== value), `${value}x`, `other-${value}`, value.replace(/\d(?!.*\d)/, (d) => String((Number(d) + 1) % 10)), 'Asia/Seoul', 'Europe/London'];
}
