import { TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { EnvConfig } from '../../config-schema/schema';

/** A config cron body in the batch time zone, as a Scheduler expression. */
export function cronSchedule(config: EnvConfig, cron: string): scheduler.ScheduleExpression {
  return scheduler.ScheduleExpression.expression(`cron(${cron.trim()})`, TimeZone.of(config.batch.timezone));
}

/** "every N minutes" for the log -> metric queries, aligned to the hour so windows tile it. */
export function everyMinutesCron(intervalMinutes: number): string {
  return intervalMinutes === 60 ? '0 * * * ? *' : `0/${intervalMinutes} * * * ? *`;
}
