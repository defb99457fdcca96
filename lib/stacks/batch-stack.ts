import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BillingTask } from '../constructs/batch/billing-task';
import { deadLetterAlarm } from '../constructs/batch/job-alarms';
import { JobDeadLetterQueue } from '../constructs/batch/job-dead-letter-queue';
import { LogMetricsJob } from '../constructs/batch/jobs/log-metrics-job';
import { NotificationsJob } from '../constructs/batch/jobs/notifications-job';
import { RetentionJob } from '../constructs/batch/jobs/retention-job';
import { UsageJob } from '../constructs/batch/jobs/usage-job';
import type { LambdaJob } from '../constructs/batch/lambda-job';
import type { BatchContract, DataContract, NetworkContract } from '../platform/contracts';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { SERVICE } from '../platform/service';

export interface BatchStackProps extends PlatformStackProps {
  readonly network: NetworkContract;
  readonly data: DataContract;
}

/**
 * Scheduled batch jobs on EventBridge Scheduler (time zones, per-target retries and dead-letter
 * queues, flexible windows: what plain EventBridge rules lack): usage snapshots, notifications,
 * retention and the log -> metric aggregator on Lambda, monthly billing on ECS Fargate.
 */
export class BatchStack extends PlatformStack implements BatchContract {
  readonly usage: UsageJob;
  readonly notifications: NotificationsJob;
  readonly retention: RetentionJob;
  readonly logMetrics: LogMetricsJob;
  readonly billing: BillingTask;
  /** Notifications that failed every try (with their last error), for inspection and redrive. */
  readonly undeliverableNotifications: sqs.Queue;
  /** Every job's failure alarm (monitoring wires them to the alarm topic). */
  readonly alarms: cloudwatch.Alarm[];
  readonly deadLetterQueues: sqs.Queue[];

  constructor(scope: Construct, props: BatchStackProps) {
    super(scope, 'batch', { description: 'Scheduled batch jobs on EventBridge (Lambda and ECS Fargate)', ...props });
    const { config } = this;
    const context = {
      config,
      vpc: props.network.vpc,
      securityGroup: props.network.securityGroups.batchJobs,
      scheduleGroup: new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${SERVICE}-${config.name}-batch` }),
      storage: props.data.batch,
    };
    this.usage = new UsageJob(this, 'Usage', context);
    this.undeliverableNotifications = new JobDeadLetterQueue(this, 'UndeliverableNotifications').queue;
    this.notifications = new NotificationsJob(this, 'Notifications', { ...context, undeliverable: this.undeliverableNotifications });
    this.retention = new RetentionJob(this, 'Retention', context);
    this.billing = new BillingTask(this, 'Billing', context);
    this.logMetrics = new LogMetricsJob(this, 'LogMetrics', {
      ...context,
      jobLogGroups: {
        usage: this.usage.handler.logGroup,
        notifications: this.notifications.handler.logGroup,
        retention: this.retention.handler.logGroup,
        billing: this.billing.logGroup,
      },
    });

    const lambdaJobs: LambdaJob[] = [this.usage, this.notifications, this.retention, this.logMetrics];
    this.deadLetterQueues = lambdaJobs.map((j) => j.deadLetterQueue).concat(this.billing.deadLetterQueue, this.undeliverableNotifications);
    this.alarms = lambdaJobs.flatMap((j) => [j.errorsAlarm, j.deadLetterAlarm])
      .concat(this.billing.failedTaskAlarm, this.billing.deadLetterAlarm,
        deadLetterAlarm(this, 'UndeliverableNotificationsAlarm', this.undeliverableNotifications, 'notifications (undeliverable)', config.name, 'undeliverableNotifications'));
  }
}
