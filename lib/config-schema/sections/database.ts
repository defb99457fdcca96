import { z } from 'zod';
import { rdsInstanceClass } from '../aws/rds-instance-classes';

/** RDS for PostgreSQL stores at most 64 TiB on gp3 (a hard limit). */
const MAX_STORAGE_GIB = 65536;
const MAX_STORAGE_MESSAGE = `must be at most ${MAX_STORAGE_GIB} GiB (64 TiB, the RDS for PostgreSQL limit)`;

export const databaseSchema = z.strictObject({
  /** RDS instance class without the "db." prefix, e.g. "r7g.large". */
  instanceType: rdsInstanceClass,
  postgresMajorVersion: z.enum(['16', '17']),
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
