import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { EnvConfig } from '../../../config-schema/schema';
import type { BatchStorage } from '../batch-storage';

/** What every batch job is built from: where it runs, where its schedules go, the stores it may use. */
export interface BatchJobContext {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly storage: BatchStorage;
}
