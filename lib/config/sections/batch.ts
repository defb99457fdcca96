import { z } from 'zod';

export const batchSchema = z.object({
  /** IANA time zone the schedules are written in. */
  timezone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, 'must be an IANA time zone such as "Asia/Tokyo" or "UTC"'),
  /** Whether schedules are enabled (staging may keep them off while testing). */
  enabled: z.boolean(),
});
export type BatchConfig = z.infer<typeof batchSchema>;
