import { _InstanceType } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { didYouMean } from '../suggest';

/**
 * Every EC2 instance type, from the list the EC2 SDK ships (regenerated from the EC2 API model with
 * each SDK release), so a new type is accepted by upgrading the SDK, never by editing a hand list.
 */
export const EC2_INSTANCE_TYPES: ReadonlySet<string> = new Set(Object.values(_InstanceType));

export type CpuArchitecture = 'arm64' | 'x86_64';

/** Graviton families carry a "g" right after the generation digit (r7g, t4g, m7gd, c8gn, im4gn); a1 is Graviton 1. */
export function instanceArchitecture(type: string): CpuArchitecture {
  return /^([a-z]+\d+g|a1\.)/.test(type) ? 'arm64' : 'x86_64';
}

const familyOf = (type: string) => type.split('.')[0]!;

/** Why `type` is not an EC2 instance type, with the nearest real one; undefined when it is one. */
export function ec2InstanceTypeProblem(type: string, known: ReadonlySet<string> = EC2_INSTANCE_TYPES): string | undefined {
  if (known.has(type)) return undefined;
  const family = familyOf(type);
  const sizes = [...known].filter((t) => familyOf(t) === family).map((t) => t.slice(family.length + 1));
  if (sizes.length > 0) {
    const size = type.slice(family.length + 1);
    return `"${type}" is not an EC2 instance type${didYouMean(size, sizes).replace(/"(.*)"/, `"${family}.$1"`)}; ${family} comes in ${sizes.sort(bySize).join(', ')}`;
  }
  const families = new Set([...known].map(familyOf));
  return `"${type}" is not an EC2 instance type${didYouMean(type, known) || didYouMean(family, families)}; use one such as "r7g.large" or "t4g.small"`;
}

const SIZE_ORDER = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'];
function sizeRank(size: string): number {
  const n = /^(\d+)xlarge$/.exec(size);
  if (n) return 100 + Number(n[1]);
  const i = SIZE_ORDER.indexOf(size);
  return i >= 0 ? i : 10_000 + size.length;
}
export function bySize(a: string, b: string): number {
  return sizeRank(a) - sizeRank(b) || a.localeCompare(b);
}

/** An EC2 instance type, e.g. "r7g.large". */
export const ec2InstanceType = z.string().superRefine((value, ctx) => {
  const problem = ec2InstanceTypeProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
