import { z } from 'zod';
import { dnsName } from '../primitives';

export const edgeSchema = z.strictObject({
  /** The service's public domain; the NLB answers as api.<domain> and app.<domain>. */
  domainName: dnsName,
  /** Route 53 hosted zone for domainName; when absent no DNS records are created. */
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"').optional(),
  /** ACM certificate for the TLS listeners; required in every environment (checked in schema.ts). */
  certificateArn: z
    .string()
    .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, 'must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/UUID)')
    .optional(),
  /** NLB access logs retention in the log bucket, days. */
  accessLogRetentionDays: z.number().int().min(1),
});
export type EdgeConfig = z.infer<typeof edgeSchema>;
