import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LambdaJob } from '../lambda-job';
import type { BatchJobContext } from './job-context';

/** Deletes the inventory of retired hosts and organizations past retention. */
export class RetentionJob extends LambdaJob {
  constructor(scope: Construct, id: string, context: BatchJobContext) {
    const { config, storage } = context;
    const job = config.batch.retention;
    super(scope, id, {
      ...context,
      job: 'retention',
      entry: 'lambda/batch/retention/handler.ts',
      description: 'Deletes the inventory of retired hosts and organizations past retention',
      memoryMiB: job.memoryMiB,
      timeout: Duration.seconds(job.timeoutSeconds),
      environment: {
        INVENTORY_TABLE: storage.inventoryTable.tableName, LEDGER_TABLE: storage.ledgerTable.tableName,
        RETIRED_HOST_DAYS: String(job.retiredHostDays), RETIRED_ORGANIZATION_DAYS: String(job.retiredOrganizationDays),
      },
      reservedConcurrency: 1,
      maxEventAge: Duration.hours(6),
      schedules: [{ id: 'Default', cron: job.schedule, enabled: job.enabled, retryAttempts: job.retryAttempts, flexibleWindow: Duration.minutes(30) }],
    });
    const fn = this.handler.function;
    storage.grantInventory(fn, 'dynamodb:Scan', 'dynamodb:BatchWriteItem');
    storage.grantLedger(fn, 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  }
}
