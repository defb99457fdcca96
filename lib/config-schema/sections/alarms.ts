import { z } from 'zod';

/** Subscriptions of the alarm topics (each one a CloudFormation resource in each alarm stack). */
export const MAX_SUBSCRIPTIONS = 50;

export const alarmsSchema = z
  .strictObject({
    /** E-mail subscriptions of the alarm topic. */
    emails: z.array(z.email('must be an e-mail address')).default([]),
    /** HTTPS endpoints (e.g. an incident tool's webhook) subscribed to the alarm topic: these page a human. */
    httpsEndpoints: z.array(z.url({ protocol: /^https$/, message: 'must be an https:// URL' })).default([]),
    /** Whether this environment's alarms page a human (production) or only notify (staging). */
    paging: z.boolean(),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!cfg.paging && cfg.httpsEndpoints.length > 0) {
      fail('httpsEndpoints', 'pages a human but paging is false; remove the endpoints (a non-paging environment notifies by e-mail) or set paging: true');
    }
    if (cfg.paging && cfg.httpsEndpoints.length === 0) {
      fail('httpsEndpoints', 'is empty but paging is true; add the incident tool\'s https:// webhook so alarms page someone');
    }
    // Each subscription is a CloudFormation resource in the alarm stacks, which hold at most 500 resources.
    if (cfg.emails.length + cfg.httpsEndpoints.length > MAX_SUBSCRIPTIONS) {
      fail('emails', `lists ${cfg.emails.length + cfg.httpsEndpoints.length} subscriptions with httpsEndpoints; at most ${MAX_SUBSCRIPTIONS} fit the alarm stacks (CloudFormation allows 500 resources a stack): subscribe a mailing list instead`);
    }
    if (cfg.emails.length === 0 && cfg.httpsEndpoints.length === 0) {
      fail('emails', 'is empty and so is httpsEndpoints: alarms would reach nobody; add at least one e-mail address');
    }
  });
export type AlarmsConfig = z.infer<typeof alarmsSchema>;
