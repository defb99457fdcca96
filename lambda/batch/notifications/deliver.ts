import { DeleteItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { N, S } from '../../../common/batch/items';
import { dueNotifications, OUTBOX, type Notification } from './outbox';

export interface DeliveryOptions {
  readonly dynamo: DynamoDBClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly ledgerTable: string;
  readonly deadLetterQueueUrl: string;
  /** Tries per notification (across runs) before it is dead-lettered. */
  readonly maxAttempts: number;
  readonly webhookTimeoutMs: number;
  /** Webhooks must be https; tests against a local server turn this off. */
  readonly requireHttps: boolean;
  /** Stop picking up new notifications after this instant (the function's timeout minus a margin). */
  readonly deadlineMs: number;
  readonly now?: () => number;
}

export interface DeliverySummary {
  readonly due: number;
  readonly delivered: number;
  readonly failed: number;
  readonly deadLettered: number;
  readonly left: number;
  readonly durationMs: number;
}

/** Retry delay after the n-th failed try: 1, 2, 4, ... minutes, capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

async function send(n: Notification, options: DeliveryOptions): Promise<void> {
  if (n.channel === 'sns') {
    await options.sns.send(new PublishCommand({ TopicArn: n.target, Subject: n.subject.slice(0, 100), Message: n.message }));
    return;
  }
  if (n.channel === 'webhook') {
    if (options.requireHttps && !n.target.startsWith('https://')) throw new Error('webhook target must be an https:// URL');
    const response = await fetch(n.target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: n.id, subject: n.subject, message: n.message }),
      signal: AbortSignal.timeout(options.webhookTimeoutMs),
    });
    if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
    return;
  }
  throw new Error(`unknown channel "${String(n.channel)}"`);
}

/**
 * Delivers every due notification once. Success deletes it; a failure reschedules it with back-off;
 * the maxAttempts-th failure sends it (with the last error) to the dead-letter queue and deletes it,
 * so one broken webhook never blocks the outbox. Delivery is at-least-once (a crash after sending
 * but before deleting re-sends): receivers dedupe by id.
 */
export async function deliverDueNotifications(options: DeliveryOptions): Promise<DeliverySummary> {
  const started = Date.now();
  const now = options.now ?? Date.now;
  const due = await dueNotifications(options.dynamo, options.ledgerTable, now());
  let delivered = 0;
  let failed = 0;
  let deadLettered = 0;
  let handled = 0;
  for (const n of due) {
    if (now() >= options.deadlineMs) break;
    handled += 1;
    const key = { pk: S(OUTBOX), sk: S(n.sk) };
    try {
      await send(n, options);
      await options.dynamo.send(new DeleteItemCommand({ TableName: options.ledgerTable, Key: key }));
      delivered += 1;
      continue;
    } catch (error) {
      const attempts = n.attempts + 1;
      const lastError = (error as Error).message;
      if (attempts >= options.maxAttempts) {
        await options.sqs.send(new SendMessageCommand({
          QueueUrl: options.deadLetterQueueUrl,
          MessageBody: JSON.stringify({ ...n, attempts, lastError }),
        }));
        await options.dynamo.send(new DeleteItemCommand({ TableName: options.ledgerTable, Key: key }));
        deadLettered += 1;
      } else {
        await options.dynamo.send(new UpdateItemCommand({
          TableName: options.ledgerTable,
          Key: key,
          UpdateExpression: 'SET attempts = :a, nextAttemptAt = :next, lastError = :e',
          ExpressionAttributeValues: { ':a': N(attempts), ':next': N(now() + backoffMs(attempts)), ':e': S(lastError.slice(0, 1000)) },
        }));
        failed += 1;
      }
    }
  }
  return { due: due.length, delivered, failed, deadLettered, left: due.length - handled, durationMs: Date.now() - started };
}
