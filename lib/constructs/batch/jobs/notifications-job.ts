import { Duration } from 'aws-cdk-lib';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SERVICE } from '../../../platform/service';
import { grantPublishToAlertTopics } from '../grants';
import { LambdaJob } from '../lambda-job';
import type { BatchJobContext } from './job-context';

export interface NotificationsJobProps extends BatchJobContext {
  /** Notifications that failed every try (with their last error), for inspection and redrive. */
  readonly undeliverable: sqs.IQueue;
}

/** Delivers the notification outbox (customer SNS topics, HTTPS webhooks) with retries. */
export class NotificationsJob extends LambdaJob {
  constructor(scope: Construct, id: string, props: NotificationsJobProps) {
    const { config, storage, undeliverable } = props;
    const job = config.batch.notifications;
    super(scope, id, {
      ...props,
      job: 'notifications',
      entry: 'lambda/batch/notifications/handler.ts',
      description: 'Delivers pending alert notifications (SNS topics, HTTPS webhooks) with retries',
      memoryMiB: job.memoryMiB,
      timeout: Duration.seconds(job.timeoutSeconds),
      environment: {
        LEDGER_TABLE: storage.ledgerTable.tableName,
        DEAD_LETTER_QUEUE_URL: undeliverable.queueUrl,
        MAX_ATTEMPTS: String(job.maxAttempts),
        WEBHOOK_TIMEOUT_SECONDS: String(job.webhookTimeoutSeconds),
      },
      reservedConcurrency: 1,
      maxEventAge: Duration.minutes(5),
      schedules: [{ id: 'Default', cron: job.schedule, enabled: job.enabled, retryAttempts: job.retryAttempts }],
    });
    const fn = this.handler.function;
    storage.grantLedger(fn, 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem');
    undeliverable.grantSendMessages(fn);
    grantPublishToAlertTopics(fn, `${SERVICE}-${config.name}-alerts-`);
  }
}
