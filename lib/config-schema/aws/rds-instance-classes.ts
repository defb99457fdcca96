import { z } from 'zod';
import { didYouMean } from '../suggest';
import { bySize, EC2_INSTANCE_TYPES } from './ec2-instance-types';

/**
 * Instance families RDS for PostgreSQL offers (AWS documentation, "Supported DB engines for DB instance
 * classes"). The RDS API ships no list of classes, so this is the one hand list: the sizes come from
 * the EC2 SDK's list, and preflight asks the account (DescribeOrderableDBInstanceOptions is not
 * needed offline). Extend it when AWS adds a family to RDS.
 */
export const RDS_POSTGRES_FAMILIES = [
  't3', 't4g',
  'm5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7g', 'm7i', 'm8g',
  'r5', 'r5b', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7g', 'r7i', 'r8g',
  'x2g', 'x2idn', 'x2iedn', 'x2iezn',
] as const;

/** RDS offers no nano classes and no bare-metal ones for PostgreSQL. */
const unsupportedSize = (size: string) => size === 'nano' || size.startsWith('metal');

/** Every "family.size" (without "db.") RDS for PostgreSQL accepts. */
export const RDS_INSTANCE_CLASSES: ReadonlySet<string> = new Set(
  [...EC2_INSTANCE_TYPES].filter((type) => {
    const [family, size] = type.split('.') as [string, string];
    return (RDS_POSTGRES_FAMILIES as readonly string[]).includes(family) && !unsupportedSize(size);
  }),
);

export function rdsInstanceClassProblem(value: string): string | undefined {
  if (value.startsWith('db.')) return `"${value}" carries the "db." prefix; write it without, e.g. "${value.slice(3)}"`;
  if (RDS_INSTANCE_CLASSES.has(value)) return undefined;
  const [family] = value.split('.');
  const sizes = [...RDS_INSTANCE_CLASSES].filter((c) => c.startsWith(`${family}.`));
  if (sizes.length > 0) {
    const names = sizes.map((s) => s.slice(family!.length + 1)).sort(bySize);
    return `"db.${value}" is not an RDS for PostgreSQL instance class${didYouMean(value, sizes)}; db.${family} comes in ${names.join(', ')}`;
  }
  return `"db.${value}" is not an RDS for PostgreSQL instance class${didYouMean(value, RDS_INSTANCE_CLASSES)}; use a class of ${RDS_POSTGRES_FAMILIES.join(', ')} such as "r7g.large"`;
}

/** RDS instance class without the "db." prefix, e.g. "r7g.large". */
export const rdsInstanceClass = z.string().superRefine((value, ctx) => {
  const problem = rdsInstanceClassProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
