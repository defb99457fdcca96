import { z } from 'zod';

export const databaseSchema = z.object({
  /** RDS instance class without the "db." prefix, e.g. "r7g.large". */
  instanceType: z.string().regex(/^[a-z][a-z0-9]*\.[a-z0-9]+$/, 'must be an RDS instance class without "db.", e.g. "t4g.medium"'),
  postgresMajorVersion: z.enum(['16', '17']),
  multiAz: z.boolean(),
  allocatedStorageGiB: z.number().int().min(20, 'must be at least 20 GiB'),
  maxAllocatedStorageGiB: z.number().int().min(20),
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
