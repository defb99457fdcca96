import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, deliverDueNotifications, type DeliveryOptions } from '../../../../lambda/batch/notifications/deliver';
import { dueNotifications, enqueueNotification } from '../../../../lambda/batch/notifications/outbox';
import { LOCAL_AWS, startFakeAws, type FakeAws } from '../fake-aws';
import { createTable, startLocalDynamo } from '../tables';

const QUEUE_URL = 'https://sqs.ap-northeast-1.amazonaws.com/111111111111/undeliverable';
const T0 = Date.parse('2026-05-01T00:00:00Z');

describe('notification delivery (dynalite + local SNS/SQS/webhook stand-ins)', () => {
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let fake: FakeAws;
  let options: (table: string, now: number) => DeliveryOptions;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    fake = await startFakeAws();
    const sns = new SNSClient({ ...LOCAL_AWS, endpoint: fake.endpoint });
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: fake.endpoint });
    options = (ledgerTable, now) => ({
      dynamo: dynamo.client, sns, sqs, ledgerTable, deadLetterQueueUrl: QUEUE_URL, maxAttempts: 3,
      webhookTimeoutMs: 500, requireHttps: false, deadlineMs: now + 60_000, now: () => now,
    });
  });
  afterAll(async () => {
    await fake?.close();
    await dynamo?.close();
  });

  const enqueue = (table: string, id: string, channel: 'sns' | 'webhook', target: string) =>
    enqueueNotification(dynamo.client, table, { id, createdAt: new Date(T0), channel, target, subject: `alert ${id}`, message: `host down (${id})` });

  it('delivers to SNS and webhooks, retries failures with back-off, dead-letters after the last try', async () => {
    const table = await createTable(dynamo.client, 'ledger');
    await enqueue(table, 'n-sns', 'sns', 'arn:aws:sns:ap-northeast-1:111111111111:monsaas-staging-alerts-acme');
    await enqueue(table, 'n-hook', 'webhook', `${fake.endpoint}/hook/ok-1`);
    await enqueue(table, 'n-fail', 'webhook', `${fake.endpoint}/hook/fail-1`);
    await enqueue(table, 'n-missing', 'sns', 'arn:aws:sns:ap-northeast-1:111111111111:monsaas-staging-alerts-missing');

    const first = await deliverDueNotifications(options(table, T0));
    expect(first).toMatchObject({ due: 4, delivered: 2, failed: 2, deadLettered: 0, left: 0 });
    expect(fake.published).toContainEqual({ topicArn: 'arn:aws:sns:ap-northeast-1:111111111111:monsaas-staging-alerts-acme', subject: 'alert n-sns', message: 'host down (n-sns)' });
    expect(fake.webhooks).toContainEqual({ path: '/hook/ok-1', body: { id: 'n-hook', subject: 'alert n-hook', message: 'host down (n-hook)' } });

    const pending = await dueNotifications(dynamo.client, table, T0 + 24 * 3600_000);
    expect(pending.map((n) => [n.id, n.attempts, n.nextAttemptAt - T0])).toEqual([
      ['n-fail', 1, backoffMs(1)], ['n-missing', 1, backoffMs(1)],
    ]);
    const failedItem = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'OUTBOX' }, sk: { S: pending[0]!.sk } } }));
    expect(failedItem.Item?.lastError?.S).toBe('webhook answered HTTP 500');

    // Not yet due: nothing happens.
    expect(await deliverDueNotifications(options(table, T0 + backoffMs(1) - 1))).toMatchObject({ due: 0 });
    // Second try fails again; third try is the last (maxAttempts 3) and dead-letters.
    expect(await deliverDueNotifications(options(table, T0 + backoffMs(1)))).toMatchObject({ due: 2, failed: 2, deadLettered: 0 });
    const third = await deliverDueNotifications(options(table, T0 + backoffMs(1) + backoffMs(2)));
    expect(third).toMatchObject({ due: 2, failed: 0, deadLettered: 2 });
    expect(await dueNotifications(dynamo.client, table, Number.MAX_SAFE_INTEGER)).toEqual([]);
    const dead = fake.sqsMessages.filter((m) => m.queueUrl === QUEUE_URL).map((m) => JSON.parse(m.body));
    expect(dead.map((d) => [d.id, d.attempts])).toEqual([['n-fail', 3], ['n-missing', 3]]);
    expect(dead[0].lastError).toBe('webhook answered HTTP 500');
    expect(dead[1].lastError).toMatch(/Topic does not exist/);
  });

  it('times out a hanging webhook and refuses plain http when https is required', async () => {
    const table = await createTable(dynamo.client, 'ledger');
    await enqueue(table, 'n-slow', 'webhook', `${fake.endpoint}/hook/slow-1`);
    await enqueue(table, 'n-http', 'webhook', 'http://example.invalid/hook');
    const summary = await deliverDueNotifications({ ...options(table, T0), requireHttps: true });
    expect(summary).toMatchObject({ delivered: 0, failed: 2 });
    expect(fake.webhooks.some((w) => w.path === '/hook/slow-1')).toBe(false); // https required: never called
    const [, http] = await dueNotifications(dynamo.client, table, Number.MAX_SAFE_INTEGER);
    expect(http).toBeDefined();
    const slow = await deliverDueNotifications({ ...options(table, T0 + backoffMs(1)) });
    expect(slow).toMatchObject({ failed: 2, delivered: 0 });
    const item = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'OUTBOX' }, sk: { S: `${new Date(T0).toISOString()}#n-slow` } } }));
    expect(item.Item?.lastError?.S).toMatch(/abort|timeout/i);
  });

  it('stops picking up work at its deadline and leaves the rest for the next run', async () => {
    const table = await createTable(dynamo.client, 'ledger');
    for (const id of ['a', 'b', 'c']) await enqueue(table, id, 'webhook', `${fake.endpoint}/hook/ok-${id}`);
    let clock = T0;
    const summary = await deliverDueNotifications({ ...options(table, T0), deadlineMs: T0 + 2, now: () => clock++ });
    expect(summary.delivered).toBeLessThan(3);
    expect(summary.left).toBe(3 - summary.delivered);
    expect((await dueNotifications(dynamo.client, table, Number.MAX_SAFE_INTEGER)).length).toBe(summary.left);
  });

  it.each([[1, 1], [2, 2], [3, 4], [7, 60], [20, 60]])('backs off %i failed tries by %i minutes', (attempts, minutes) => {
    expect(backoffMs(attempts)).toBe(minutes * 60_000);
  });
});
