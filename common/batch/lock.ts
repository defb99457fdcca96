import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface JobLockOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Job name: one lock per job. */
  readonly job: string;
  /** Unique per run (e.g. the Lambda request id or the ECS task ARN). */
  readonly owner: string;
  /** The lease outlives the longest possible run, so a crashed run's lock frees itself. */
  readonly leaseSeconds: number;
  readonly now?: () => number;
}

const key = (job: string) => ({ pk: { S: `LOCK#${job}` }, sk: { S: 'LOCK' } });

/**
 * Takes the job's lease in the ledger table: a conditional put that succeeds only when no live lease
 * exists. `expiresAt` doubles as the table's TTL attribute, so stale leases are also swept away.
 * Returns false when another run holds it.
 */
export async function acquireJobLock(options: JobLockOptions): Promise<boolean> {
  const nowS = Math.floor((options.now?.() ?? Date.now()) / 1000);
  try {
    await options.client.send(new PutItemCommand({
      TableName: options.tableName,
      Item: { ...key(options.job), owner: { S: options.owner }, expiresAt: { N: String(nowS + options.leaseSeconds) }, acquiredAt: { N: String(nowS) } },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': { N: String(nowS) } },
    }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Gives the lease back, only if this run still owns it (a run that overstayed must not free a successor's lease). */
export async function releaseJobLock(options: JobLockOptions): Promise<void> {
  try {
    await options.client.send(new DeleteItemCommand({
      TableName: options.tableName,
      Key: key(options.job),
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': { S: options.owner } },
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export type Exclusive<T> = { readonly ran: true; readonly result: T } | { readonly ran: false };

/** Runs `work` under the job lock; `{ ran: false }` when another run holds it. */
export async function runExclusive<T>(options: JobLockOptions, work: () => Promise<T>): Promise<Exclusive<T>> {
  if (!(await acquireJobLock(options))) return { ran: false };
  try {
    return { ran: true, result: await work() };
  } finally {
    await releaseJobLock(options);
  }
}
