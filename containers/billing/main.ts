/**
 * Entrypoint of the monthly billing task (ECS Fargate, started by EventBridge Scheduler).
 *   node main.js [--month YYYY-MM]     (or BILLING_MONTH=YYYY-MM through a container override)
 * Exit codes: 0 billed, 1 failed, 2 bad arguments, 75 another run holds the lock, 124 overran its runtime.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { parseArgs } from 'node:util';
import { EXIT, runBillingJob } from '../../common/billing/job';
import { numberEnv, requireEnv } from '../../common/env';
import { parseMonth } from '../../common/batch/time';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'batch-billing' });

async function main(): Promise<number> {
  let month: string | undefined;
  try {
    const { values } = parseArgs({ options: { month: { type: 'string' } }, strict: true });
    month = values.month ?? (process.env.BILLING_MONTH || undefined);
    if (month !== undefined) parseMonth(month);
  } catch (error) {
    logger.error('billing: bad arguments', { job: 'billing', error: (error as Error).message });
    return EXIT.usage;
  }
  const maxRuntimeMinutes = numberEnv('MAX_RUNTIME_MINUTES');
  // ECS has no task timeout: the task enforces its own, and the lock lease is sized to match.
  setTimeout(() => {
    logger.error('billing overran its maximum runtime', { job: 'billing', maxRuntimeMinutes });
    process.exit(EXIT.overran);
  }, maxRuntimeMinutes * 60_000).unref();

  const result = await runBillingJob({
    client: new DynamoDBClient({}),
    ledgerTable: requireEnv('LEDGER_TABLE'),
    timeZone: requireEnv('TIME_ZONE'),
    month,
    owner: process.env.ECS_CONTAINER_METADATA_URI_V4 ?? `pid-${process.pid}-${Date.now()}`,
    maxRuntimeMinutes,
    now: new Date(),
  });
  if (result.exitCode === EXIT.locked) {
    logger.error('billing skipped: another run holds the lock; re-run by hand once it ends', { job: 'billing' });
    return EXIT.locked;
  }
  const { bills: _bills, ...summary } = result.summary;
  logger.info('billing done', { job: 'billing', ...summary });
  return EXIT.ok;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    logger.error('billing failed', { job: 'billing', error: error as Error });
    process.exit(EXIT.failed);
  },
);
