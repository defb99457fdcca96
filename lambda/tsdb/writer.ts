import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamEvent, KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { publishRejections } from './rejected-records';
import { shardsFromEnv } from './redis-shards';
import { requireEnv } from '../../common/env';
import { settingsFromEnv } from './settings';
import { processRecords } from './writer-core';
import type { WindowStore } from './window-store';

const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.KinesisDataStreams);
const settings = settingsFromEnv();
const tableName = requireEnv('TABLE_NAME');
let store: Promise<WindowStore> | undefined;
/** Only invocations that fill windows (the end of each window span) move them: DynamoDB is loaded then. */
const windowStore = (): Promise<WindowStore> => {
  store ??= import('@aws-sdk/client-dynamodb').then(({ DynamoDBClient }) => ({ dynamodb: new DynamoDBClient({}), tableName }), (error: unknown) => {
    store = undefined; // the next move tries again
    throw error;
  });
  return store;
};
const rejectedTopicArn = requireEnv('REJECTED_TOPIC_ARN');
const replicaTimeoutMs = Number(requireEnv('REPLICA_TIMEOUT_MS'));

/**
 * Kinesis -> Redis shards. The batch is written in durable parts per shard (writer-core.ts), then
 * Powertools turns the records that were not acknowledged into the partial batch response.
 */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  const { ring, clients } = await shardsFromEnv();
  const outcome = await processRecords(
    event.Records.map((r) => ({ id: r.kinesis.sequenceNumber, partitionKey: r.kinesis.partitionKey, data: Buffer.from(r.kinesis.data, 'base64') })),
    {
      ring, shards: clients, store: windowStore, settings, replicaTimeoutMs,
      reject: async (rejections) => {
        await publishRejections(rejectedTopicArn, rejections);
      },
      log: (message, detail) => logger.warn(message, detail),
    },
  );
  for (const r of outcome.rejected) logger.warn('record rejected', { sequenceNumber: r.id, partitionKey: r.partitionKey, reason: r.reason });
  metrics.addMetric('PointsWritten', MetricUnit.Count, outcome.points);
  metrics.addMetric('RecordsRejected', MetricUnit.Count, outcome.rejected.length);
  metrics.addMetric('RecordsFailed', MetricUnit.Count, outcome.failedIds.length);
  metrics.addMetric('WindowsMoved', MetricUnit.Count, outcome.movedWindows);
  metrics.publishStoredMetrics();
  const failed = new Set(outcome.failedIds);
  return processPartialResponse(event, async (record: KinesisStreamRecord) => {
    if (failed.has(record.kinesis.sequenceNumber)) throw new Error('a Redis shard did not confirm this record\'s writes');
  }, processor, { context, throwOnFullBatchFailure: false });
}
