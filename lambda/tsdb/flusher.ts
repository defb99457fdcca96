import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { flushIdleWindows, type FlushOutcome } from './flusher-core';
import { shardsFromEnv } from './redis-shards';
import { requireEnv } from '../../common/env';
import { settingsFromEnv } from './settings';

const logger = new Logger();
const metrics = new Metrics();
const settings = settingsFromEnv();
const store = { dynamodb: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') };
const idleMs = Number(requireEnv('IDLE_FLUSH_MINUTES')) * 60_000;

/** EventBridge schedule -> moves idle Redis windows to DynamoDB and rolls them up. */
export async function handler(_event: unknown, context: Context): Promise<FlushOutcome> {
  logger.addContext(context);
  const { clients } = await shardsFromEnv();
  const outcome = await flushIdleWindows({
    shards: clients, store, settings, idleMs, maxWindowsPerShard: 5000,
    log: (message, detail) => logger.warn(message, detail),
  });
  logger.info('flush done', { ...outcome });
  metrics.addMetric('WindowsFlushed', MetricUnit.Count, outcome.moved);
  metrics.addMetric('PointsFlushed', MetricUnit.Count, outcome.points);
  metrics.addMetric('FlushFailures', MetricUnit.Count, outcome.failed);
  metrics.publishStoredMetrics();
  if (outcome.failed > 0) throw new Error(`${outcome.failed} window(s) could not be moved; they stay in Redis for the next run`);
  return outcome;
}
