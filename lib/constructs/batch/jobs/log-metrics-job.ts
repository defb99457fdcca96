import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { BatchJobName } from '../../../config-schema/sections/batch';
import { grantLogQueries } from '../grants';
import { everyMinutesCron } from '../job-schedule';
import { LambdaJob } from '../lambda-job';
import type { BatchJobContext } from './job-context';

export interface LogMetricsJobProps extends BatchJobContext {
  /** The other jobs' log groups, for queries whose source names a job. */
  readonly jobLogGroups: Readonly<Record<BatchJobName, logs.ILogGroup>>;
}

/** "usage-snapshot-errors" -> "UsageSnapshotErrors": a query's name as a construct id. */
export function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** The log -> metric aggregator: one schedule per configured Logs Insights query. */
export class LogMetricsJob extends LambdaJob {
  constructor(scope: Construct, id: string, props: LogMetricsJobProps) {
    const { config, jobLogGroups } = props;
    const job = config.batch.logMetrics;
    const queries = job.queries.map((q) => ({
      ...q,
      logGroup: 'job' in q.source ? jobLogGroups[q.source.job] : undefined,
      logGroupName: 'job' in q.source ? jobLogGroups[q.source.job].logGroupName : q.source.logGroupName,
    }));
    super(scope, id, {
      ...props,
      job: 'log-metrics',
      entry: 'lambda/batch/log-metrics/handler.ts',
      description: 'Logs Insights query over a fixed window -> service metrics (one schedule per query)',
      memoryMiB: job.memoryMiB,
      timeout: Duration.seconds(job.timeoutSeconds),
      environment: { API_BASE_URL: job.apiBaseUrl },
      // Queries due at the same minute run side by side; windows never overlap, so no lock is needed.
      reservedConcurrency: Math.max(1, queries.length),
      unscopedActions: ['logs:GetQueryResults and logs:StopQuery (they take a query id)'],
      maxEventAge: Duration.minutes(Math.max(1, Math.min(...queries.map((q) => q.intervalMinutes), 60))),
      schedules: queries.map((q) => ({
        id: pascalCase(q.name),
        cron: everyMinutesCron(q.intervalMinutes),
        enabled: true,
        retryAttempts: 2,
        input: {
          logGroupName: q.logGroupName, query: q.query, intervalMinutes: q.intervalMinutes, offsetMinutes: q.offsetMinutes,
          metricPrefix: q.metricPrefix, groupField: q.groupField, serviceName: q.serviceName, apiKeyParameterName: q.apiKeyParameterName,
        },
      })),
    });
    grantLogQueries(this.handler.function, queries);
  }
}
