import { z } from 'zod';

export const alarmsSchema = z.object({
  /** E-mail subscriptions of the alarm topic. */
  emails: z.array(z.email('must be an e-mail address')).default([]),
  /** HTTPS endpoints (e.g. an incident tool's webhook) subscribed to the alarm topic. */
  httpsEndpoints: z.array(z.url({ protocol: /^https$/, message: 'must be an https:// URL' })).default([]),
  /** Whether this environment's alarms page a human (production) or only notify (staging). */
  paging: z.boolean(),
});
export type AlarmsConfig = z.infer<typeof alarmsSchema>;
