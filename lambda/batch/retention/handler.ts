import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { numberEnv, requireEnv } from '../../../common/env';
import { runExclusive } from '../../../common/batch/lock';
import { applyRetention } from './retention';

const logger = new Logger();
const client = new DynamoDBClient({});

export async function handler(_event: unknown, context: Context): Promise<void> {
  const outcome = await runExclusive(
    { client, tableName: requireEnv('LEDGER_TABLE'), job: 'retention', owner: context.awsRequestId, leaseSeconds: Math.ceil(context.getRemainingTimeInMillis() / 1000) + 60 },
    () => applyRetention({
      client, inventoryTable: requireEnv('INVENTORY_TABLE'),
      retiredHostDays: numberEnv('RETIRED_HOST_DAYS'), retiredOrganizationDays: numberEnv('RETIRED_ORGANIZATION_DAYS'), now: new Date(),
    }),
  );
  if (!outcome.ran) {
    logger.warn('retention skipped: another run holds the lock', { job: 'retention' });
    return;
  }
  logger.info('retention done', { job: 'retention', ...outcome.result });
}
