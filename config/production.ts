import type { EnvConfigInput } from '../lib/config-schema/schema';

/** Production: three AZs, NAT per AZ, Multi-AZ database, 7-day Kinesis replay window, everything protected. */
export const production: EnvConfigInput = {
  name: 'production',
  tier: 'production',
  account: '222222222222',
  region: 'ap-northeast-1',
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
  retainData: true,
  terminationProtection: true,
  deletionProtection: true,
  logRetentionDays: 90,
  network: {
    vpcCidr: '10.10.0.0/16',
    natGateways: 3,
    interfaceEndpoints: [
      'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'ec2messages',
      'kinesis-streams', 'kms', 'sts', 'lambda', 'monitoring', 'xray', 'ec2',
    ],
    flowLogRetentionDays: 90,
  },
  edge: {
    domainName: 'monsaas.example.com',
    hostedZoneId: 'Z0PRODUCTIONZONE00001',
    certificateArn: 'arn:aws:acm:ap-northeast-1:222222222222:certificate/0b6c9f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f',
    accessLogRetentionDays: 365,
  },
  alarms: {
    emails: ['platform-oncall@monsaas.example.com'],
    httpsEndpoints: ['https://events.pagerduty.example.com/integration/monsaas-production/enqueue'],
    paging: true,
  },
  services: {
    imageTag: 'latest-production',
    cpuArchitecture: 'ARM64',
    keepImages: 100,
    api: { cpu: 1024, memoryMiB: 2048, desiredCount: 3, minCount: 3, maxCount: 12, containerPort: 8080, healthCheckPath: '/healthz', cpuTargetPercent: 60, newConnectionsPerTaskPerMinute: 1200 },
    web: { cpu: 512, memoryMiB: 1024, desiredCount: 3, minCount: 3, maxCount: 6, containerPort: 8080, healthCheckPath: '/healthz', cpuTargetPercent: 60, newConnectionsPerTaskPerMinute: 600 },
  },
  database: {
    instanceType: 'r7g.large',
    postgresMajorVersion: '17',
    multiAz: true,
    allocatedStorageGiB: 200,
    maxAllocatedStorageGiB: 1000,
    backupRetentionDays: 14,
    credentialRotationDays: 30,
  },
  redis: {
    shardCount: 4,
    // The pairs' AZs, fixed apart from the VPC's: adding an AZ to the environment moves no node.
    availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
    instanceType: 'r7g.large',
    // Pinned AL2023 arm64 image (ap-northeast-1). Upgrade: change id + name in a reviewed PR, then roll
    // node by node (docs/deploying-host-changes.md, "A new AMI").
    ami: { id: 'ami-0a3c14e1ddbe7f23c', architecture: 'arm64', name: 'al2023-ami-2023.9.20251110.1-kernel-6.1-arm64' },
    vipCidr: '192.168.254.0/24',
    // 400 ms adverts: the standby declares the master down after 3 x 0.4 s + skew (~1.25 s), so the
    // routes move within 1.5 s of a crash (the failover drill measures it); one packet per 0.4 s per
    // pair is negligible (below ~200 ms, scheduling jitter on a busy node could cause spurious failovers).
    advertIntervalMs: 400,
    reconcileIntervalS: 10,
    maxmemoryPercent: 70,
    maxmemoryPolicy: 'noeviction',
    volumeGiB: 50,
  },
  resolvers: {
    count: 3,
    addresses: ['10.10.16.53', '10.10.32.53', '10.10.48.53'],
    instanceType: 't4g.small',
    internalZones: [{ name: 'corp.monsaas.example.com', servers: ['172.16.0.53', '172.16.1.53'] }],
    cacheMaxNegativeTtlS: 5,
    cacheMaxTtlS: 86400,
  },
  tsdb: {
    stream: { retentionHours: 168, mode: 'PROVISIONED', shardCount: 8 },
    writer: { batchSize: 1000, maxBatchingWindowS: 1, parallelizationFactor: 2, retryAttempts: 10, memoryMiB: 1769, replicaTimeoutMs: 500 },
    stepSeconds: 60,
    flushPoints: 60,
    idleFlushMinutes: 30,
    flushScheduleMinutes: 5,
    tiers: ['1m:1d', '5m:7d', '1h:30d', '1d:1y'],
    table: { billing: 'PAY_PER_REQUEST' },
    archive: { infrequentAccessAfterDays: 30, glacierAfterDays: 180, noncurrentVersionDays: 30 },
  },
  batch: {
    timezone: 'Asia/Tokyo',
    enabled: true,
    // Hourly snapshots; runs take seconds, so 2 min and 512 MiB leave wide margins for a full inventory scan.
    usage: { schedule: '0 * * * ? *', slotMinutes: 60, timeoutSeconds: 120, memoryMiB: 512 },
    // 02:00 local on the 1st: bills the month that just ended.
    billing: { schedule: '0 2 1 * ? *', cpu: 1024, memoryMiB: 2048, maxRuntimeMinutes: 120 },
    // Every minute; a run delivers at most what fits in its timeout and leaves the rest for the next.
    notifications: { schedule: '* * * * ? *', timeoutSeconds: 50, memoryMiB: 256, maxAttempts: 8, webhookTimeoutSeconds: 5 },
    retention: { schedule: '30 3 * * ? *', timeoutSeconds: 600, memoryMiB: 512, retiredHostDays: 90, retiredOrganizationDays: 400 },
    logMetrics: {
      timeoutSeconds: 60,
      memoryMiB: 256,
      // Posted to the staging service's API on purpose: each environment monitors the other.
      apiBaseUrl: 'https://api.staging.monsaas.example.com',
      queries: [
        {
          name: 'usage-runs',
          source: { job: 'usage' },
          query: 'filter message = "usage snapshot done" | stats sum(organizations) as organizations, sum(hosts) as hosts, max(durationMs) as durationMs by job',
          intervalMinutes: 5,
          metricPrefix: 'batch',
          groupField: 'job',
          serviceName: 'monsaas-production',
          apiKeyParameterName: '/monsaas/production/log-metrics/api-key',
        },
        {
          name: 'notification-runs',
          source: { job: 'notifications' },
          query: 'filter message = "notifications done" | stats sum(delivered) as delivered, sum(failed) as failed, sum(deadLettered) as deadLettered by job',
          intervalMinutes: 5,
          metricPrefix: 'batch',
          groupField: 'job',
          serviceName: 'monsaas-production',
          apiKeyParameterName: '/monsaas/production/log-metrics/api-key',
        },
      ],
    },
  },
  ci: {
    githubRepository: 'monsaas/platform-infra',
    githubEnvironment: 'production',
    createOidcProvider: true,
    bootstrapQualifier: 'hnb659fds',
  },
};
