import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { numberEnv, requireEnv } from '../../../common/env';
import { runExclusive } from '../../../common/batch/lock';
import { takeUsageSnapshot } from './snapshot';

const logger = new Logger();
const client = new DynamoDBClient({});

/** Scheduled hourly: one usage snapshot per slot, under the job lock (reserved concurrency 1 guards too). */
export async function handler(_event: unknown, context: Context): Promise<void> {
  const ledgerTable = requireEnv('LEDGER_TABLE');
  const outcome = await runExclusive(
    { client, tableName: ledgerTable, job: 'usage', owner: context.awsRequestId, leaseSeconds: Math.ceil(context.getRemainingTimeInMillis() / 1000) + 60 },
    () => takeUsageSnapshot({
      client, ledgerTable, inventoryTable: requireEnv('INVENTORY_TABLE'),
      timeZone: requireEnv('TIME_ZONE'), slotMinutes: numberEnv('SLOT_MINUTES'), now: new Date(),
    }),
  );
  if (!outcome.ran) {
    logger.warn('usage snapshot skipped: another run holds the lock', { job: 'usage' });
    return;
  }
  logger.info('usage snapshot done', { job: 'usage', ...outcome.result });
}
