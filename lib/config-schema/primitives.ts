import { z } from 'zod';

/** Parses "a.b.c.d" into a 32-bit unsigned integer, or undefined when malformed. */
export function ipv4ToInt(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface CidrRange {
  readonly network: number;
  readonly prefix: number;
  /** First address after the range. */
  readonly end: number;
}

/** Parses "a.b.c.d/n" (network address aligned to the prefix), or undefined when malformed. */
export function parseCidr(cidr: string): CidrRange | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const network = ipv4ToInt(match[1]!);
  const prefix = Number(match[2]);
  if (network === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (network % size !== 0) return undefined;
  return { network, prefix, end: network + size };
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.network < y.end && y.network < x.end;
}

export function cidrContains(cidr: string, address: string): boolean {
  const range = parseCidr(cidr);
  const ip = ipv4ToInt(address);
  return range !== undefined && ip !== undefined && ip >= range.network && ip < range.end;
}

export const cidrBlock = z
  .string()
  .refine((v) => parseCidr(v) !== undefined, {
    message: 'must be an IPv4 CIDR block aligned to its prefix, e.g. "10.20.0.0/16"',
  });

export const ipv4Address = z
  .string()
  .refine((v) => ipv4ToInt(v) !== undefined, { message: 'must be an IPv4 address, e.g. "10.20.0.10"' });

/** Regions the platform may run in (commercial partition; extend when a new one is adopted). */
export const KNOWN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-south-1', 'ap-south-2', 'ap-east-1',
  'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
] as const;

export const region = z.enum(KNOWN_REGIONS, {
  message: `must be a known AWS region (one of ${KNOWN_REGIONS.join(', ')})`,
});

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z
  .number()
  .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
    message: `must be a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`,
  });

export const count = (what: string) =>
  z.number().int(`must be a whole number of ${what}`).min(1, `must be at least 1 ${what}; set it to 1 or more`);

/** EC2 instance type such as "t4g.small" or "r7g.large", checked against the EC2 SDK's list. */
export { ec2InstanceType as instanceType } from './aws/ec2-instance-types';

export const dnsName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case DNS name such as "example.com"');
