import { z } from 'zod';
import { schedulerCronProblem } from '../aws/cron';
import { FARGATE_CPU, fargateSizeProblem } from '../aws/fargate';
import { timeZone } from '../aws/time-zones';

/**
 * EventBridge Scheduler cron body, six fields: minutes hours day-of-month month day-of-week year,
 * e.g. "0 * * * ? *". One of day-of-month / day-of-week must be "?" (a Scheduler rule).
 */
export const cronExpression = z.string().superRefine((value, ctx) => {
  const problem = schedulerCronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const memoryMiB = z.number().int().min(128, 'must be at least 128 MiB').max(10240, 'must be at most 10240 MiB');
const timeoutSeconds = z.number().int().min(10, 'must be at least 10 s').max(900, 'must be at most 900 s (the Lambda limit); move longer work to an ECS task');

/** What every scheduled job has: when it runs, whether it is on, how hard EventBridge retries it. */
const scheduled = {
  /** Cron body in `batch.timezone`. */
  schedule: cronExpression,
  /** Per-job switch (in addition to `batch.enabled`). */
  enabled: z.boolean().default(true),
  /** Scheduler retries when the target cannot be started (0-185). */
  retryAttempts: z.number().int().min(0).max(185).default(3),
};

const lambdaJob = {
  ...scheduled,
  timeoutSeconds,
  memoryMiB,
};

/** One log -> metric query (reference section 6); each becomes its own schedule of one shared function. */
export const logMetricQuerySchema = z.strictObject({
  /** Schedule name suffix and lock-free identity of the query. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, e.g. "usage-runs"'),
  /** Log group to query: one of the batch jobs' own log groups, or a log group name. */
  source: z.union([z.strictObject({ job: z.enum(['usage', 'billing', 'notifications', 'retention']) }), z.strictObject({ logGroupName: z.string().min(1) })]),
  /** Logs Insights query; its `stats ... by <groupField>` gives one metric per group and field. */
  query: z.string().min(1),
  /** Window length; the schedule runs every `intervalMinutes`. Must divide 60. */
  intervalMinutes: z.number().int().refine((v) => v > 0 && 60 % v === 0, { message: 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)' }),
  /** How far behind now the window ends (log ingestion delay); the published default is 10. */
  offsetMinutes: z.number().int().min(0).default(10),
  metricPrefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, "_", "-" or "." (a metric name prefix)'),
  groupField: z.string().min(1),
  /** Service (in the monitoring service's own API) the metrics are posted to. */
  serviceName: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a service name of letters, digits, "_" or "-"'),
  /** SSM SecureString parameter holding the API key, e.g. "/monsaas/staging/log-metrics/api-key". */
  apiKeyParameterName: z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, 'must be an SSM parameter name starting with "/"'),
});

export const batchSchema = z
  .strictObject({
    /** IANA time zone the schedules are written in and billing months are cut in. */
    timezone: timeZone,
    /** Master switch for every schedule (staging may keep them off while testing). */
    enabled: z.boolean(),
    /** Usage snapshots: what each organization uses right now, one snapshot per slot. */
    usage: z.strictObject({
      ...lambdaJob,
      /** Snapshot slot: snapshots are keyed by slot start, so a re-run in the same slot overwrites. Must divide a day. */
      slotMinutes: z.number().int().refine((v) => v > 0 && 1440 % v === 0, { message: 'must divide 1440 (a day), e.g. 60' }),
    }),
    /** Monthly billing on ECS Fargate: averages the previous month's snapshots. */
    billing: z.strictObject({
      ...scheduled,
      /** Fargate CPU units (256 = 0.25 vCPU). */
      cpu: z.number().refine((v) => FARGATE_CPU.includes(v), { message: `must be a Fargate CPU size (${FARGATE_CPU.join(', ')})` }),
      memoryMiB: z.number().int(),
      /** The task stops itself after this long; the run lock expires then too. */
      maxRuntimeMinutes: z.number().int().min(5).max(720),
      /** Image tag in the batch ECR repository; defaults to `app.imageTag` (CI builds both per commit). */
      imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker image tag').optional(),
    }),
    /** Delivery of pending alert notifications (SNS topics and HTTPS webhooks). */
    notifications: z.strictObject({
      ...lambdaJob,
      /** Delivery tries per notification (across runs) before it goes to the dead-letter queue. */
      maxAttempts: z.number().int().min(1).max(20),
      /** Timeout of one webhook call. */
      webhookTimeoutSeconds: z.number().int().min(1).max(30),
    }),
    /** Deletion of retired hosts' and organizations' data. */
    retention: z.strictObject({
      ...lambdaJob,
      /** A retired host's inventory is deleted this many days after retirement. */
      retiredHostDays: z.number().int().min(1),
      /** A retired organization's data (bills excepted: accounting keeps them) is deleted after this many days. */
      retiredOrganizationDays: z.number().int().min(1),
    }),
    /** The log -> metric aggregator (one function, one schedule per query). */
    logMetrics: z.strictObject({
      timeoutSeconds,
      memoryMiB,
      /** Base URL of the monitoring service API the metrics are posted to (the other environment monitors this one). */
      apiBaseUrl: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }),
      queries: z.array(logMetricQuerySchema).default([]),
    }),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const names = cfg.logMetrics.queries.map((q) => q.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) fail(['logMetrics', 'queries', i, 'name'], `"${name}" is used twice; give each query its own name`);
    });
    cfg.logMetrics.queries.forEach((q, i) => {
      // The query must finish before the next window starts, or windows pile up.
      if (q.intervalMinutes * 60 < cfg.logMetrics.timeoutSeconds) {
        fail(['logMetrics', 'queries', i, 'intervalMinutes'], `(${q.intervalMinutes} min) is shorter than logMetrics.timeoutSeconds (${cfg.logMetrics.timeoutSeconds} s); lengthen the interval or shorten the timeout`);
      }
    });
    const billingSize = fargateSizeProblem(cfg.billing.cpu, cfg.billing.memoryMiB);
    if (billingSize) fail(['billing', 'memoryMiB'], billingSize);
    if (cfg.retention.retiredOrganizationDays < cfg.retention.retiredHostDays) {
      fail(['retention', 'retiredOrganizationDays'], 'must be at least retention.retiredHostDays (an organization outlives its hosts); raise it');
    }
    if (cfg.usage.timeoutSeconds > cfg.usage.slotMinutes * 60) {
      fail(['usage', 'timeoutSeconds'], `(${cfg.usage.timeoutSeconds} s) exceeds the snapshot slot (${cfg.usage.slotMinutes} min); a run must end inside its slot`);
    }
  });
export type BatchConfig = z.infer<typeof batchSchema>;
export type LogMetricQueryConfig = BatchConfig['logMetrics']['queries'][number];
export type BatchJobName = 'usage' | 'billing' | 'notifications' | 'retention';
