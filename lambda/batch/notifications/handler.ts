import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { numberEnv, requireEnv } from '../../../common/env';
import { runExclusive } from '../../../common/batch/lock';
import { deliverDueNotifications } from './deliver';

const logger = new Logger();
const dynamo = new DynamoDBClient({});
const sns = new SNSClient({});
const sqs = new SQSClient({});

/** Leaves time to finish the notification in flight (one webhook timeout) and to release the lock. */
const SAFETY_MARGIN_MS = 2_000;

export async function handler(_event: unknown, context: Context): Promise<void> {
  const ledgerTable = requireEnv('LEDGER_TABLE');
  const webhookTimeoutMs = numberEnv('WEBHOOK_TIMEOUT_SECONDS') * 1000;
  const deadlineMs = Date.now() + context.getRemainingTimeInMillis() - webhookTimeoutMs - SAFETY_MARGIN_MS;
  const outcome = await runExclusive(
    { client: dynamo, tableName: ledgerTable, job: 'notifications', owner: context.awsRequestId, leaseSeconds: Math.ceil(context.getRemainingTimeInMillis() / 1000) + 30 },
    () => deliverDueNotifications({
      dynamo, sns, sqs, ledgerTable, deadLetterQueueUrl: requireEnv('DEAD_LETTER_QUEUE_URL'),
      maxAttempts: numberEnv('MAX_ATTEMPTS'), webhookTimeoutMs, requireHttps: true, deadlineMs,
    }),
  );
  if (!outcome.ran) {
    logger.warn('notifications skipped: another run holds the lock', { job: 'notifications' });
    return;
  }
  logger.info('notifications done', { job: 'notifications', ...outcome.result });
}
