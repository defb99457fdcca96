import type { EnvConfigInput } from '../lib/config-schema/schema';

/** Staging: internal use and API tests. Smaller, cheaper, disposable; monitors production and is monitored by it. */
export const staging: EnvConfigInput = {
  name: 'staging',
  tier: 'staging',
  account: '111111111111',
  region: 'ap-northeast-1',
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
  retainData: false,
  terminationProtection: false,
  deletionProtection: false,
  logRetentionDays: 14,
  network: {
    vpcCidr: '10.20.0.0/16',
    natGateways: 1,
    // What tasks and hosts need to start without the NAT; the rest goes through the single NAT gateway.
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'ec2messages'],
    flowLogRetentionDays: 14,
  },
  edge: {
    domainName: 'staging.monsaas.example.com',
    // TLS ends at the NLB in every environment, so staging tests the same path as production.
    certificateArn: 'arn:aws:acm:ap-northeast-1:111111111111:certificate/5e2d8c1a-7b3f-4a9e-8c6d-1f0e9b8a7c6d',
    accessLogRetentionDays: 30,
  },
  alarms: {
    emails: ['platform-staging@monsaas.example.com'],
    paging: false,
  },
  services: {
    imageTag: 'latest-staging',
    cpuArchitecture: 'ARM64',
    keepImages: 30,
    api: { cpu: 512, memoryMiB: 1024, desiredCount: 2, minCount: 2, maxCount: 4, containerPort: 8080, healthCheckPath: '/healthz', cpuTargetPercent: 60, newConnectionsPerTaskPerMinute: 600 },
    web: { cpu: 256, memoryMiB: 512, desiredCount: 2, minCount: 2, maxCount: 4, containerPort: 8080, healthCheckPath: '/healthz', cpuTargetPercent: 60, newConnectionsPerTaskPerMinute: 300 },
  },
  database: {
    instanceType: 't4g.medium',
    postgresMajorVersion: '17',
    multiAz: false,
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 200,
    backupRetentionDays: 7,
    credentialRotationDays: 30,
  },
  redis: {
    shardCount: 2,
    // The pairs' AZs, fixed apart from the VPC's: adding an AZ to the environment moves no node.
    availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
    instanceType: 'r7g.medium',
    // Pinned AL2023 arm64 image (ap-northeast-1). Upgrade: change id + name in a reviewed PR, then roll
    // node by node (docs/deploying-host-changes.md, "A new AMI").
    ami: { id: 'ami-0a3c14e1ddbe7f23c', architecture: 'arm64', name: 'al2023-ami-2023.9.20251110.1-kernel-6.1-arm64' },
    vipCidr: '192.168.255.0/24',
    // 400 ms adverts: the standby declares the master down after 3 x 0.4 s + skew (~1.25 s), so the
    // routes move within 1.5 s of a crash (the failover drill measures it); one packet per 0.4 s per
    // pair is negligible (below ~200 ms, scheduling jitter on a busy node could cause spurious failovers).
    advertIntervalMs: 400,
    reconcileIntervalS: 10,
    maxmemoryPercent: 70,
    maxmemoryPolicy: 'noeviction',
    volumeGiB: 30,
  },
  resolvers: {
    count: 2,
    addresses: ['10.20.16.53', '10.20.32.53'],
    instanceType: 't4g.small',
    internalZones: [{ name: 'corp.monsaas.example.com', servers: ['172.16.0.53', '172.16.1.53'] }],
    cacheMaxNegativeTtlS: 5,
    cacheMaxTtlS: 86400,
  },
  tsdb: {
    stream: { retentionHours: 24, mode: 'ON_DEMAND' },
    writer: { batchSize: 500, maxBatchingWindowS: 1, parallelizationFactor: 1, retryAttempts: 5, memoryMiB: 1024, replicaTimeoutMs: 500 },
    stepSeconds: 60,
    flushPoints: 60,
    idleFlushMinutes: 30,
    flushScheduleMinutes: 5,
    tiers: ['1m:1d', '5m:7d', '1h:30d', '1d:1y'],
    table: { billing: 'PAY_PER_REQUEST' },
    archive: { infrequentAccessAfterDays: 30, glacierAfterDays: 90, noncurrentVersionDays: 7 },
  },
  batch: {
    timezone: 'Asia/Tokyo',
    enabled: true,
    // Hourly snapshots; runs take seconds, so 2 min and 512 MiB leave wide margins for a full inventory scan.
    usage: { schedule: '0 * * * ? *', slotMinutes: 60, timeoutSeconds: 120, memoryMiB: 512 },
    // 02:00 local on the 1st: bills the month that just ended.
    billing: { schedule: '0 2 1 * ? *', cpu: 512, memoryMiB: 1024, maxRuntimeMinutes: 60 },
    // Every minute; a run delivers at most what fits in its timeout and leaves the rest for the next.
    notifications: { schedule: '* * * * ? *', timeoutSeconds: 50, memoryMiB: 256, maxAttempts: 8, webhookTimeoutSeconds: 5 },
    retention: { schedule: '30 3 * * ? *', timeoutSeconds: 600, memoryMiB: 512, retiredHostDays: 7, retiredOrganizationDays: 30 },
    logMetrics: {
      timeoutSeconds: 60,
      memoryMiB: 256,
      // Posted to the production service's API on purpose: each environment monitors the other.
      apiBaseUrl: 'https://api.monsaas.example.com',
      queries: [
        {
          name: 'usage-runs',
          source: { job: 'usage' },
          query: 'filter message = "usage snapshot done" | stats sum(organizations) as organizations, sum(hosts) as hosts, max(durationMs) as durationMs by job',
          intervalMinutes: 5,
          metricPrefix: 'batch',
          groupField: 'job',
          serviceName: 'monsaas-staging',
          apiKeyParameterName: '/monsaas/staging/log-metrics/api-key',
        },
        {
          name: 'notification-runs',
          source: { job: 'notifications' },
          query: 'filter message = "notifications done" | stats sum(delivered) as delivered, sum(failed) as failed, sum(deadLettered) as deadLettered by job',
          intervalMinutes: 5,
          metricPrefix: 'batch',
          groupField: 'job',
          serviceName: 'monsaas-staging',
          apiKeyParameterName: '/monsaas/staging/log-metrics/api-key',
        },
      ],
    },
  },
  ci: {
    githubRepository: 'monsaas/platform-infra',
    githubEnvironment: 'staging',
    createOidcProvider: true,
    bootstrapQualifier: 'hnb659fds',
  },
};
