import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { EnvConfig } from '../config-schema/schema';

/** Stateful resources (streams, tables, buckets, databases, keys) are kept in protected environments. */
export function statefulRemovalPolicy(config: EnvConfig): RemovalPolicy {
  return config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** Log groups are data too: kept where data is kept, otherwise removed with the stack. */
export const logRemovalPolicy = statefulRemovalPolicy;

export function logRetention(days: number): RetentionDays {
  return days as RetentionDays;
}
