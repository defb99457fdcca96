/**
 * The runbook section each alarm sends the on-call engineer to, as a repository path with the heading's
 * anchor (GitHub's slug of the heading). One table, so a renamed heading is fixed in one place, and
 * test/docs/alarm-runbook-links.test.ts checks every alarm of both environments links an anchor that exists.
 */
export const RUNBOOK_SECTIONS = {
  // Redis pairs (docs/runbooks/redis-failover.md belongs to the failover agent; its headings are its own).
  redisMasterCount: 'redis-failover.md#what-the-alarms-mean',
  redisDown: 'redis-failover.md#unplanned-failover-master-died',
  redisKeepalived: 'redis-failover.md#keepalived-not-running-on-a-node',
  redisReplicationLink: 'redis-failover.md#unplanned-failover-master-died',
  redisSplitBrain: 'redis-failover.md#split-brain',
  redisFenced: 'redis-failover.md#a-node-stays-fenced-merge-its-data',
  redisNotEligible: 'redis-failover.md#a-node-that-is-not-eligible',
  redisCapacity: 'redis-add-shard.md#memory-or-clients-over-the-threshold',
  redisBalance: 'redis-add-shard.md#shards-out-of-balance',
  // Ingest and the TSDB functions.
  writerLag: 'tsdb-pipeline.md#writer-lag',
  writerErrors: 'tsdb-pipeline.md#writer-errors-or-throttles',
  streamThroughput: 'tsdb-pipeline.md#stream-throughput-exceeded',
  streamPutFailed: 'tsdb-pipeline.md#records-the-stream-refused',
  tsdbFunctionErrors: 'tsdb-pipeline.md#flusher-exporter-or-reader-errors',
  seriesTable: 'tsdb-pipeline.md#series-table-throttled-or-failing',
  // Services, database, external checks.
  healthyTasks: 'services.md#healthy-tasks-below-the-minimum',
  taskResources: 'services.md#task-cpu-or-memory-high',
  runningTasksMax: 'services.md#running-tasks-at-the-maximum',
  databaseCpu: 'services.md#database-cpu-high',
  databaseStorage: 'services.md#database-storage-low',
  endpointUnreachable: 'services.md#endpoint-unreachable-from-outside',
  // Batch jobs.
  jobFailed: 'batch-jobs.md#job-failed',
  billingFailed: 'batch-jobs.md#billing-task-failed',
  jobDeadLetters: 'batch-jobs.md#messages-in-a-dead-letter-queue',
  undeliverableNotifications: 'batch-jobs.md#undeliverable-notifications',
  // Resolvers.
  resolverServfail: 'unbound-flush-cache.md#servfail-ratio-high',
  resolverStatisticsMissing: 'unbound-flush-cache.md#resolver-statistics-missing',
  resolverInstanceCheck: 'unbound-flush-cache.md#resolver-recovered-or-rebooted-by-ec2',
} as const;

export type RunbookSection = keyof typeof RUNBOOK_SECTIONS;

export const RUNBOOK_DIR = 'docs/runbooks';

/** "docs/runbooks/<file>#<anchor>": what cdk-monitoring-constructs' runbookLink takes. */
export function runbookLink(section: RunbookSection): string {
  return `${RUNBOOK_DIR}/${RUNBOOK_SECTIONS[section]}`;
}

/** An alarm description ending in its runbook section, in the form the library writes too ("Runbook: ..."). */
export function withRunbook(description: string, section: RunbookSection): string {
  return `${description.replace(/\s+$/, '')} Runbook: ${runbookLink(section)}`;
}
