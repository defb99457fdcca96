import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { requireEnv } from '../../../common/env';
import { aggregateLogsToMetrics } from './aggregate';
import { parseQueryInput } from './window';

const logger = new Logger();
const logs = new CloudWatchLogsClient({});
const ssm = new SSMClient({});

/**
 * One schedule per query invokes this with the query as input. No lock: windows are disjoint and
 * deterministic, so overlapping runs of different queries (or a late retry) are harmless.
 */
export async function handler(event: unknown, context: Context): Promise<void> {
  const query = parseQueryInput(event);
  const summary = await aggregateLogsToMetrics({
    logs, ssm, apiBaseUrl: requireEnv('API_BASE_URL'), query, nowMs: Date.now(), pollMs: 1000,
    deadlineMs: Date.now() + context.getRemainingTimeInMillis() - 5_000, postTimeoutMs: 5_000,
  });
  logger.info('log metrics done', { job: 'log-metrics', logGroupName: query.logGroupName, metricPrefix: query.metricPrefix, ...summary });
}
