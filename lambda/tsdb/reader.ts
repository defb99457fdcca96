import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readSeries, type ReadRequest, type SeriesData } from './read-path';
import { shardsFromEnv } from './redis-shards';
import { requireEnv } from '../../common/env';
import { settingsFromEnv } from './settings';

const logger = new Logger();
const settings = settingsFromEnv();
const store = { dynamodb: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') };
/** Created on the first read that reaches the archive (see ReaderDeps.s3). */
let archiveClient: Promise<S3Client> | undefined;
const s3 = (): Promise<S3Client> => (archiveClient ??= import('@aws-sdk/client-s3').then(({ S3Client }) => new S3Client({})));
const bucket = requireEnv('ARCHIVE_BUCKET');

/** The request the api service sends (Lambda Invoke payload). */
export function parseReadRequest(event: unknown): ReadRequest {
  const { series, from, to, step } = (event ?? {}) as Record<string, unknown>;
  if (!Array.isArray(series) || series.length === 0 || !series.every((s) => typeof s === 'string')) throw new Error('series must be a non-empty array of series ids ("<hostId>/<metric>")');
  if (typeof from !== 'number' || typeof to !== 'number') throw new Error('from and to must be epoch seconds');
  if (step !== undefined && typeof step !== 'number') throw new Error('step must be a number of seconds');
  return { series: series as string[], from, to, step };
}

/** {series, from, to, step?} -> {series: [{series, step, points: [[ts, value], ...]}]}. */
export async function handler(event: unknown, context: Context): Promise<{ series: SeriesData[] }> {
  logger.addContext(context);
  const request = parseReadRequest(event);
  const { ring, clients } = await shardsFromEnv();
  const series = await readSeries(request, { ring, shards: clients, store, s3, bucket, settings });
  logger.info('read', { series: request.series.length, points: series.reduce((n, s) => n + s.points.length, 0) });
  return { series };
}
