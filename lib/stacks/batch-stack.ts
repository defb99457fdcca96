import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { BatchJobName } from '../config-schema/sections/batch';
import { BillingTask } from '../constructs/batch/billing-task';
import { deadLetterAlarm } from '../constructs/batch/job-alarms';
import { JobDeadLetterQueue } from '../constructs/batch/job-dead-letter-queue';
import { grantLogQueries, grantPublishToAlertTopics, grantTable } from '../constructs/batch/grants';
import { everyMinutesCron } from '../constructs/batch/job-schedule';
import { LambdaJob } from '../constructs/batch/lambda-job';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { SERVICE } from '../platform/service';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';

export interface BatchStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly data: DataStack;
}

/**
 * Scheduled batch jobs on EventBridge Scheduler (time zones, per-target retries and dead-letter
 * queues, flexible windows: what plain EventBridge rules lack): usage snapshots, notifications,
 * retention and the log -> metric aggregator on Lambda, monthly billing on ECS Fargate.
 */
export class BatchStack extends PlatformStack {
  readonly usage: LambdaJob;
  readonly notifications: LambdaJob;
  readonly retention: LambdaJob;
  readonly logMetrics: LambdaJob;
  readonly billing: BillingTask;
  /** Notifications that failed every try (with their last error), for inspection and redrive. */
  readonly undeliverableNotifications: sqs.Queue;
  /** Every job's failure alarm (monitoring wires them to the alarm topic). */
  readonly alarms: cloudwatch.Alarm[];
  readonly deadLetterQueues: sqs.Queue[];

  constructor(scope: Construct, props: BatchStackProps) {
    super(scope, 'batch', { description: 'Scheduled batch jobs on EventBridge (Lambda and ECS Fargate)', ...props });
    const config = this.config;
    const jobs = config.batch;
    const { inventoryTable, ledgerTable, imageRepository } = props.data.batch;
    const vpc = props.network.vpc;
    const securityGroup = props.network.securityGroups.batchJobs;
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${SERVICE}-${config.name}-batch` });
    const common = { config, vpc, securityGroup, scheduleGroup };
    const seconds = (s: number) => Duration.seconds(s);

    this.usage = new LambdaJob(this, 'Usage', {
      ...common,
      job: 'usage',
      entry: 'lambda/batch/usage/handler.ts',
      description: 'Hourly usage snapshot per organization (hosts, service metrics, URL monitors)',
      memoryMiB: jobs.usage.memoryMiB,
      timeout: seconds(jobs.usage.timeoutSeconds),
      environment: {
        INVENTORY_TABLE: inventoryTable.tableName, LEDGER_TABLE: ledgerTable.tableName,
        TIME_ZONE: jobs.timezone, SLOT_MINUTES: String(jobs.usage.slotMinutes),
      },
      reservedConcurrency: 1,
      // A start later than one slot would snapshot the next slot: not worth retrying past it.
      maxEventAge: Duration.minutes(Math.min(jobs.usage.slotMinutes, 360)),
      schedules: [{ id: 'Default', cron: jobs.usage.schedule, enabled: jobs.usage.enabled, retryAttempts: jobs.usage.retryAttempts }],
    });
    grantTable(inventoryTable, this.usage.handler.function, ['dynamodb:Scan']);
    grantTable(ledgerTable, this.usage.handler.function, ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']);

    this.undeliverableNotifications = new JobDeadLetterQueue(this, 'UndeliverableNotifications').queue;
    this.notifications = new LambdaJob(this, 'Notifications', {
      ...common,
      job: 'notifications',
      entry: 'lambda/batch/notifications/handler.ts',
      description: 'Delivers pending alert notifications (SNS topics, HTTPS webhooks) with retries',
      memoryMiB: jobs.notifications.memoryMiB,
      timeout: seconds(jobs.notifications.timeoutSeconds),
      environment: {
        LEDGER_TABLE: ledgerTable.tableName,
        DEAD_LETTER_QUEUE_URL: this.undeliverableNotifications.queueUrl,
        MAX_ATTEMPTS: String(jobs.notifications.maxAttempts),
        WEBHOOK_TIMEOUT_SECONDS: String(jobs.notifications.webhookTimeoutSeconds),
      },
      reservedConcurrency: 1,
      maxEventAge: Duration.minutes(5),
      schedules: [{ id: 'Default', cron: jobs.notifications.schedule, enabled: jobs.notifications.enabled, retryAttempts: jobs.notifications.retryAttempts }],
    });
    const notifier = this.notifications.handler.function;
    grantTable(ledgerTable, notifier, ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem']);
    this.undeliverableNotifications.grantSendMessages(notifier);
    grantPublishToAlertTopics(notifier, `${SERVICE}-${config.name}-alerts-`);

    this.retention = new LambdaJob(this, 'Retention', {
      ...common,
      job: 'retention',
      entry: 'lambda/batch/retention/handler.ts',
      description: 'Deletes the inventory of retired hosts and organizations past retention',
      memoryMiB: jobs.retention.memoryMiB,
      timeout: seconds(jobs.retention.timeoutSeconds),
      environment: {
        INVENTORY_TABLE: inventoryTable.tableName, LEDGER_TABLE: ledgerTable.tableName,
        RETIRED_HOST_DAYS: String(jobs.retention.retiredHostDays), RETIRED_ORGANIZATION_DAYS: String(jobs.retention.retiredOrganizationDays),
      },
      reservedConcurrency: 1,
      maxEventAge: Duration.hours(6),
      schedules: [{ id: 'Default', cron: jobs.retention.schedule, enabled: jobs.retention.enabled, retryAttempts: jobs.retention.retryAttempts, flexibleWindow: Duration.minutes(30) }],
    });
    grantTable(inventoryTable, this.retention.handler.function, ['dynamodb:Scan', 'dynamodb:BatchWriteItem']);
    grantTable(ledgerTable, this.retention.handler.function, ['dynamodb:PutItem', 'dynamodb:DeleteItem']);

    this.billing = new BillingTask(this, 'Billing', { config, vpc, securityGroup, ledgerTable, imageRepository, scheduleGroup });

    const jobLogGroups: Record<BatchJobName, logs.LogGroup> = {
      usage: this.usage.handler.logGroup,
      notifications: this.notifications.handler.logGroup,
      retention: this.retention.handler.logGroup,
      billing: this.billing.logGroup,
    };
    const queries = jobs.logMetrics.queries.map((q) => ({
      ...q,
      logGroup: 'job' in q.source ? jobLogGroups[q.source.job] : undefined,
      logGroupName: 'job' in q.source ? jobLogGroups[q.source.job].logGroupName : q.source.logGroupName,
    }));
    this.logMetrics = new LambdaJob(this, 'LogMetrics', {
      ...common,
      job: 'log-metrics',
      entry: 'lambda/batch/log-metrics/handler.ts',
      description: 'Logs Insights query over a fixed window -> service metrics (one schedule per query)',
      memoryMiB: jobs.logMetrics.memoryMiB,
      timeout: seconds(jobs.logMetrics.timeoutSeconds),
      environment: { API_BASE_URL: jobs.logMetrics.apiBaseUrl },
      // Queries due at the same minute run side by side; windows never overlap, so no lock is needed.
      reservedConcurrency: Math.max(1, queries.length),
      unscopedActions: ['logs:GetQueryResults and logs:StopQuery (they take a query id)'],
      maxEventAge: Duration.minutes(Math.max(1, Math.min(...queries.map((q) => q.intervalMinutes), 60))),
      schedules: queries.map((q) => ({
        id: q.name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
        cron: everyMinutesCron(q.intervalMinutes),
        enabled: true,
        retryAttempts: 2,
        input: {
          logGroupName: q.logGroupName, query: q.query, intervalMinutes: q.intervalMinutes, offsetMinutes: q.offsetMinutes,
          metricPrefix: q.metricPrefix, groupField: q.groupField, serviceName: q.serviceName, apiKeyParameterName: q.apiKeyParameterName,
        },
      })),
    });
    grantLogQueries(this.logMetrics.handler.function, queries);

    this.deadLetterQueues = [this.usage, this.notifications, this.retention, this.logMetrics].map((j) => j.deadLetterQueue)
      .concat(this.billing.deadLetterQueue, this.undeliverableNotifications);
    this.alarms = [this.usage, this.notifications, this.retention, this.logMetrics].flatMap((j) => [j.errorsAlarm, j.deadLetterAlarm])
      .concat(this.billing.failedTaskAlarm, this.billing.deadLetterAlarm,
        deadLetterAlarm(this, 'UndeliverableNotificationsAlarm', this.undeliverableNotifications, 'notifications (undeliverable)', config.name, 'undeliverableNotifications'));
  }
}
