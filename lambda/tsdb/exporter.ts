import { S3Client } from '@aws-sdk/client-s3';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { exportExpiredItem } from './exporter-core';
import { requireEnv } from '../../common/env';
import { settingsFromEnv } from './settings';

const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.DynamoDBStreams);
const deps = { s3: new S3Client({}), bucket: requireEnv('ARCHIVE_BUCKET'), kmsKeyId: requireEnv('ARCHIVE_KMS_KEY_ID'), settings: settingsFromEnv() };

/** DynamoDB stream (TTL deletions only) -> Gorilla-compressed objects in the S3 archive. */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  let exported = 0;
  const response = await processPartialResponse(event, async (record: DynamoDBRecord) => {
    const out = await exportExpiredItem(record, deps);
    if (out) {
      exported++;
      logger.debug('archived', { ...out });
    }
  }, processor, { context });
  metrics.addMetric('WindowsArchived', MetricUnit.Count, exported);
  metrics.addMetric('ArchiveFailures', MetricUnit.Count, response.batchItemFailures.length);
  metrics.publishStoredMetrics();
  return response;
}
