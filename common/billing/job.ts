import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runExclusive } from '../batch/lock';
import { monthOf, previousMonth } from '../batch/time';
import { runBilling, type BillingSummary } from './billing';

/** Exit codes of the billing task, watched by the ECS task-state rule (anything but 0 raises the alarm). */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 75, overran: 124 } as const;

export interface BillingJobOptions {
  readonly client: DynamoDBClient;
  readonly ledgerTable: string;
  readonly timeZone: string;
  /** Explicit month (manual re-run), else the local month before `now`. */
  readonly month?: string;
  readonly owner: string;
  readonly maxRuntimeMinutes: number;
  readonly now: Date;
}

export type BillingJobResult = { readonly exitCode: 0; readonly summary: BillingSummary } | { readonly exitCode: typeof EXIT.locked };

/** Which month a run bills: the explicit one, else the month that just ended in the billing time zone. */
export function billingMonth(now: Date, timeZone: string, explicit?: string): string {
  return explicit ?? previousMonth(monthOf(now, timeZone));
}

/**
 * One billing run under the job lock. The lease is the task's whole allowed runtime plus a margin,
 * so a task killed mid-run frees the lock by itself before any later schedule fires.
 */
export async function runBillingJob(options: BillingJobOptions): Promise<BillingJobResult> {
  const month = billingMonth(options.now, options.timeZone, options.month);
  const outcome = await runExclusive(
    { client: options.client, tableName: options.ledgerTable, job: 'billing', owner: options.owner, leaseSeconds: (options.maxRuntimeMinutes + 5) * 60 },
    () => runBilling({ client: options.client, ledgerTable: options.ledgerTable, month, now: options.now }),
  );
  return outcome.ran ? { exitCode: EXIT.ok, summary: outcome.result } : { exitCode: EXIT.locked };
}
