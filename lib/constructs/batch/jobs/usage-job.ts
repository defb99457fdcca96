import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LambdaJob } from '../lambda-job';
import type { BatchJobContext } from './job-context';

/** Hourly usage snapshot per organization: reads the inventory, writes the ledger. */
export class UsageJob extends LambdaJob {
  constructor(scope: Construct, id: string, context: BatchJobContext) {
    const { config, storage } = context;
    const job = config.batch.usage;
    super(scope, id, {
      ...context,
      job: 'usage',
      entry: 'lambda/batch/usage/handler.ts',
      description: 'Hourly usage snapshot per organization (hosts, service metrics, URL monitors)',
      memoryMiB: job.memoryMiB,
      timeout: Duration.seconds(job.timeoutSeconds),
      environment: {
        INVENTORY_TABLE: storage.inventoryTable.tableName, LEDGER_TABLE: storage.ledgerTable.tableName,
        TIME_ZONE: config.batch.timezone, SLOT_MINUTES: String(job.slotMinutes),
      },
      reservedConcurrency: 1,
      // A start later than one slot would snapshot the next slot: not worth retrying past it.
      maxEventAge: Duration.minutes(Math.min(job.slotMinutes, 360)),
      schedules: [{ id: 'Default', cron: job.schedule, enabled: job.enabled, retryAttempts: job.retryAttempts }],
    });
    const fn = this.handler.function;
    storage.grantInventory(fn, 'dynamodb:Scan');
    storage.grantLedger(fn, 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  }
}
