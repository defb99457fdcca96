import { PostgresEngineVersion } from 'aws-cdk-lib/aws-rds';
import { z } from 'zod';
import { rdsInstanceClass } from '../aws/rds-instance-classes';

/** Majors before this are past RDS standard support (13 ended February 2026): no new instance or upgrade target. */
const OLDEST_SUPPORTED_MAJOR = 14;
/** PostgreSQL majors RDS offers, from aws-cdk-lib's list (a CDK upgrade brings new ones; no hand list to keep). */
export const POSTGRES_MAJOR_VERSIONS = [...new Set(Object.values(PostgresEngineVersion)
  .filter((v): v is PostgresEngineVersion => v instanceof PostgresEngineVersion)
  .map((v) => v.postgresMajorVersion))]
  .filter((major) => Number(major) >= OLDEST_SUPPORTED_MAJOR)
  .sort((a, b) => Number(a) - Number(b)) as [string, ...string[]];

/** RDS for PostgreSQL stores at most 64 TiB on gp3 (a hard limit). */
const MAX_STORAGE_GIB = 65536;
const MAX_STORAGE_MESSAGE = `must be at most ${MAX_STORAGE_GIB} GiB (64 TiB, the RDS for PostgreSQL limit)`;

export const databaseSchema = z.strictObject({
  /** RDS instance class without the "db." prefix, e.g. "r7g.large". */
  instanceType: rdsInstanceClass,
  /** Raising it upgrades in place (AllowMajorVersionUpgrade, a parameter group of the new family); it cannot go down. */
  postgresMajorVersion: z.enum(POSTGRES_MAJOR_VERSIONS, { message: `must be a PostgreSQL major RDS offers (${POSTGRES_MAJOR_VERSIONS.join(', ')})` }),
  multiAz: z.boolean(),
  allocatedStorageGiB: z.number().int().min(20, 'must be at least 20 GiB').max(MAX_STORAGE_GIB, MAX_STORAGE_MESSAGE),
  maxAllocatedStorageGiB: z.number().int().min(20).max(MAX_STORAGE_GIB, MAX_STORAGE_MESSAGE),
  backupRetentionDays: z.number().int().min(1, 'must be at least 1 day so point-in-time recovery is on').max(35),
  /** Days between automatic rotations of the master credentials. */
  credentialRotationDays: z.number().int().min(1).max(365),
});
export type DatabaseConfig = z.infer<typeof databaseSchema>;

/** Rules that need the environment's tier (called from schema.ts's superRefine). */
export function checkDatabaseAgainstEnvironment(
  cfg: { tier: string; database: DatabaseConfig },
  fail: (path: (string | number)[], message: string) => void,
): void {
  if (cfg.tier === 'production' && !cfg.database.multiAz) {
    fail(['database', 'multiAz'], 'must be true in production so the database survives the loss of an AZ; set multiAz: true');
  }
}
