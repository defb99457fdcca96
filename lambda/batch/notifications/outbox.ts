import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { N, num, S, str, type Item } from '../../../common/batch/items';

/**
 * The notification outbox in the ledger table: the alerting service puts one item per notification
 * to deliver; this job delivers it and deletes it.
 *   pk OUTBOX  sk <createdAt ISO>#<id>  channel ("sns" | "webhook"), target (topic ARN | https URL),
 *   subject, message, attempts, nextAttemptAt (epoch ms), lastError?
 */
export const OUTBOX = 'OUTBOX';

export type Channel = 'sns' | 'webhook';

export interface Notification {
  readonly id: string;
  readonly sk: string;
  readonly channel: Channel;
  readonly target: string;
  readonly subject: string;
  readonly message: string;
  readonly attempts: number;
  readonly nextAttemptAt: number;
}

export function parseNotification(item: Item): Notification {
  const sk = str(item, 'sk') ?? '';
  return {
    id: sk.slice(sk.indexOf('#') + 1),
    sk,
    channel: str(item, 'channel') as Channel,
    target: str(item, 'target') ?? '',
    subject: str(item, 'subject') ?? '',
    message: str(item, 'message') ?? '',
    attempts: num(item, 'attempts') ?? 0,
    nextAttemptAt: num(item, 'nextAttemptAt') ?? 0,
  };
}

/** Enqueues a notification (the alerting service's side of the contract; tests use it too). */
export async function enqueueNotification(
  client: DynamoDBClient,
  tableName: string,
  n: { id: string; createdAt: Date; channel: Channel; target: string; subject: string; message: string },
): Promise<void> {
  await client.send(new PutItemCommand({
    TableName: tableName,
    Item: {
      pk: S(OUTBOX), sk: S(`${n.createdAt.toISOString()}#${n.id}`), channel: S(n.channel), target: S(n.target),
      subject: S(n.subject), message: S(n.message), attempts: N(0), nextAttemptAt: N(n.createdAt.getTime()),
    },
  }));
}

/** Notifications due at `nowMs`, oldest first. */
export async function dueNotifications(client: DynamoDBClient, tableName: string, nowMs: number): Promise<Notification[]> {
  const due: Notification[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'nextAttemptAt <= :now',
      ExpressionAttributeValues: { ':pk': S(OUTBOX), ':now': N(nowMs) },
      ExclusiveStartKey: startKey,
    }));
    due.push(...(page.Items ?? []).map(parseNotification));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return due;
}
