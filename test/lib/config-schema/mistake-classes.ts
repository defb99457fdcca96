type Env = 'staging' | 'production';
/** Mistakes break the types on purpose (that is what an untyped edit or a JS config would do). */
type AnyConfig = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One way a person gets an environment file wrong, and the exact line synth answers with. */
export interface MistakeClass {
  readonly name: string;
  readonly env: Env;
  readonly mutate: (cfg: AnyConfig) => void;
  readonly message: string;
}

const m = (name: string, env: Env, mutate: MistakeClass['mutate'], message: string): MistakeClass => ({ name, env, mutate, message });

/**
 * Mistakes beyond the per-section rejection tests: typos at every depth, values AWS refuses, values
 * that collide, and values large enough to have crashed synth before. Each message is the whole output.
 */
export const MISTAKE_CLASSES: readonly MistakeClass[] = [
  // Unknown keys at every depth, with a hint when a known key is close.
  m('typo in an optional nested key', 'production', (c) => { c.edge.hostedZoneID = c.edge.hostedZoneId; delete c.edge.hostedZoneId; }, 'config/production.ts: edge.hostedZoneID: is not a field (did you mean "hostedZoneId"?); rename it'),
  m('typo at the root', 'staging', (c) => { c.logRetentionDay = 14; }, 'config/staging.ts: logRetentionDay: is not a field (did you mean "logRetentionDays"?); rename it'),
  m('unknown key without a close match', 'staging', (c) => { c.network.colour = 'blue'; }, 'config/staging.ts: network.colour: is not a field; remove it (known fields here: vpcCidr, natGateways, interfaceEndpoints, flowLogRetentionDays)'),
  m('typo in a service', 'staging', (c) => { c.services.api.desiredcount = 2; }, 'config/staging.ts: services.api.desiredcount: is not a field (did you mean "desiredCount"?); rename it'),
  m('typo in a list element', 'staging', (c) => { c.resolvers.internalZones[0].server = ['172.16.0.53']; }, 'config/staging.ts: resolvers.internalZones[0].server: is not a field (did you mean "servers"?); rename it'),
  m('typo in a batch job', 'staging', (c) => { c.batch.usage.timeoutSecond = 60; }, 'config/staging.ts: batch.usage.timeoutSecond: is not a field (did you mean "timeoutSeconds"?); rename it'),
  m('typo in a log-metrics query', 'staging', (c) => { c.batch.logMetrics.queries[0].metricPrefx = 'batch'; }, 'config/staging.ts: batch.logMetrics.queries[0].metricPrefx: is not a field (did you mean "metricPrefix"?); rename it'),
  m('typo in the AMI', 'staging', (c) => { c.redis.ami.arch = 'arm64'; }, 'config/staging.ts: redis.ami.arch: is not a field (did you mean "architecture"?); rename it'),
  m('typo in the Kinesis stream', 'staging', (c) => { c.tsdb.stream.shards = 2; }, 'config/staging.ts: tsdb.stream.shards: is not a field; remove it (known fields here: retentionHours, mode, shardCount)'),
  m('typo in the writer', 'staging', (c) => { c.tsdb.writer.batchsize = 10; }, 'config/staging.ts: tsdb.writer.batchsize: is not a field (did you mean "batchSize"?); rename it'),
  m('typo in the archive', 'staging', (c) => { c.tsdb.archive.glacierAfterDay = 10; }, 'config/staging.ts: tsdb.archive.glacierAfterDay: is not a field (did you mean "glacierAfterDays"?); rename it'),
  m('typo in ci', 'staging', (c) => { c.ci.githubRepo = 'a/b'; }, 'config/staging.ts: ci.githubRepo: is not a field (did you mean "githubRepository"?); rename it'),
  m('typo in alarms', 'staging', (c) => { c.alarms.email = ['a@example.com']; }, 'config/staging.ts: alarms.email: is not a field (did you mean "emails"?); rename it'),
  m('typo in database', 'staging', (c) => { c.database.multiAZ = true; }, 'config/staging.ts: database.multiAZ: is not a field (did you mean "multiAz"?); rename it'),
  m('extra key in a log source', 'staging', (c) => { c.batch.logMetrics.queries[0].source = { job: 'usage', logGroupName: 'x' }; }, 'config/staging.ts: batch.logMetrics.queries[0].source: is an object; write exactly one of { job } or { logGroupName }'),
  // EC2 instance types from the SDK's list.
  m('instance size that does not exist', 'staging', (c) => { c.redis.instanceType = 'r7g.mega'; }, 'config/staging.ts: redis.instanceType: "r7g.mega" is not an EC2 instance type; r7g comes in medium, large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, metal'),
  m('instance family that does not exist', 'staging', (c) => { c.redis.instanceType = 'r9z.large'; }, 'config/staging.ts: redis.instanceType: "r9z.large" is not an EC2 instance type (did you mean "r9g.large"?); use one such as "r7g.large" or "t4g.small"'),
  m('instance type in upper case', 'staging', (c) => { c.resolvers.instanceType = 'T4G.SMALL'; }, 'config/staging.ts: resolvers.instanceType: "T4G.SMALL" is not an EC2 instance type (did you mean "t4g.small"?); use one such as "r7g.large" or "t4g.small"'),
  m('instance type with a typo in the family', 'staging', (c) => { c.resolvers.instanceType = 't4h.small'; }, 'config/staging.ts: resolvers.instanceType: "t4h.small" is not an EC2 instance type (did you mean "t4g.small"?); use one such as "r7g.large" or "t4g.small"'),
  // RDS instance classes.
  m('RDS class with the db. prefix', 'staging', (c) => { c.database.instanceType = 'db.t4g.medium'; }, 'config/staging.ts: database.instanceType: "db.t4g.medium" carries the "db." prefix; write it without, e.g. "t4g.medium"'),
  m('RDS class of a family RDS does not offer', 'staging', (c) => { c.database.instanceType = 'c7g.large'; }, 'config/staging.ts: database.instanceType: "db.c7g.large" is not an RDS for PostgreSQL instance class (did you mean "m7g.large"?); use a class of t3, t4g, m5, m5d, m6g, m6gd, m6i, m6id, m6idn, m6in, m7g, m7i, m8g, r5, r5b, r5d, r6g, r6gd, r6i, r6id, r6idn, r6in, r7g, r7i, r8g, x2g, x2idn, x2iedn, x2iezn such as "r7g.large"'),
  m('RDS nano class', 'staging', (c) => { c.database.instanceType = 't4g.nano'; }, 'config/staging.ts: database.instanceType: "db.t4g.nano" is not an RDS for PostgreSQL instance class; db.t4g comes in micro, small, medium, large, xlarge, 2xlarge'),
  m('RDS size that does not exist', 'staging', (c) => { c.database.instanceType = 'r7g.medium2'; }, 'config/staging.ts: database.instanceType: "db.r7g.medium2" is not an RDS for PostgreSQL instance class (did you mean "r7g.medium"?); db.r7g comes in medium, large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge'),
  // Fargate cpu/memory pairs.
  m('Fargate memory too large for the cpu', 'staging', (c) => { c.services.web.memoryMiB = 4096; }, 'config/staging.ts: services.web.memoryMiB: 4096 MiB is not a Fargate size for cpu 256; with cpu 256 use 512, 1024, 2048 MiB'),
  m('Fargate memory off the step', 'production', (c) => { c.services.api.memoryMiB = 2500; }, 'config/production.ts: services.api.memoryMiB: 2500 MiB is not a Fargate size for cpu 1024; with cpu 1024 use 2048-8192 in steps of 1024 MiB'),
  m('Fargate memory too small for the cpu', 'production', (c) => { c.services.api.cpu = 4096; c.services.api.memoryMiB = 4096; }, 'config/production.ts: services.api.memoryMiB: 4096 MiB is not a Fargate size for cpu 4096; with cpu 4096 use 8192-30720 in steps of 1024 MiB'),
  m('billing task memory not a Fargate size', 'staging', (c) => { c.batch.billing.memoryMiB = 8192; }, 'config/staging.ts: batch.billing.memoryMiB: 8192 MiB is not a Fargate size for cpu 512; with cpu 512 use 1024-4096 in steps of 1024 MiB'),
  m('billing task cpu not a Fargate size', 'staging', (c) => { c.batch.billing.cpu = 768; }, 'config/staging.ts: batch.billing.cpu: must be a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)'),
  // Time zones.
  m('misspelt time zone', 'staging', (c) => { c.batch.timezone = 'Asia/Tokio'; }, 'config/staging.ts: batch.timezone: "Asia/Tokio" is not an IANA time zone (did you mean "Asia/Tokyo"?); use a name such as "Asia/Tokyo" or "UTC"'),
  m('time zone abbreviation', 'staging', (c) => { c.batch.timezone = 'JST'; }, 'config/staging.ts: batch.timezone: "JST" is not an IANA time zone; use a name such as "Asia/Tokyo" or "UTC"'),
  m('time zone in lower case', 'staging', (c) => { c.batch.timezone = 'asia/tokyo'; }, 'config/staging.ts: batch.timezone: "asia/tokyo" is not an IANA time zone (did you mean "Asia/Tokyo"?); use a name such as "Asia/Tokyo" or "UTC"'),
  // Scheduler cron, field by field.
  m('cron minute 61', 'staging', (c) => { c.batch.usage.schedule = '61 * * * ? *'; }, 'config/staging.ts: batch.usage.schedule: "61 * * * ? *": minute field value 61 is out of range 0-59; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron hour 24', 'staging', (c) => { c.batch.retention.schedule = '30 24 * * ? *'; }, 'config/staging.ts: batch.retention.schedule: "30 24 * * ? *": hour field value 24 is out of range 0-23; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron day-of-month 32', 'staging', (c) => { c.batch.billing.schedule = '0 2 32 * ? *'; }, 'config/staging.ts: batch.billing.schedule: "0 2 32 * ? *": day-of-month field value 32 is out of range 1-31; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron month 13', 'staging', (c) => { c.batch.billing.schedule = '0 2 1 13 ? *'; }, 'config/staging.ts: batch.billing.schedule: "0 2 1 13 ? *": month field value 13 is out of range 1-12 or JAN-DEC; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron day-of-week 8', 'staging', (c) => { c.batch.retention.schedule = '0 3 ? * 8 *'; }, 'config/staging.ts: batch.retention.schedule: "0 3 ? * 8 *": day-of-week field value 8 is out of range 1-7 or SUN-SAT; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron year before 1970', 'staging', (c) => { c.batch.retention.schedule = '0 3 * * ? 1969'; }, 'config/staging.ts: batch.retention.schedule: "0 3 * * ? 1969": year field value 1969 is out of range 1970-2199; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron February 30', 'staging', (c) => { c.batch.billing.schedule = '0 2 30 2 ? *'; }, 'config/staging.ts: batch.billing.schedule: "0 2 30 2 ? *" never fires: no month of FEB has day 30; pick a day that exists or use "L" for the month\'s last day'),
  m('cron with both day fields "?"', 'staging', (c) => { c.batch.retention.schedule = '0 3 ? * ? *'; }, 'config/staging.ts: batch.retention.schedule: "0 3 ? * ? *" must have "?" in exactly one of day-of-month and day-of-week (Scheduler cannot combine them), e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron with the cron( ) wrapper', 'staging', (c) => { c.batch.usage.schedule = 'cron(0 * * * ? *)'; }, 'config/staging.ts: batch.usage.schedule: "cron(0 * * * ? *)" includes the cron( ) wrapper; write only the six fields, e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron increment of 0', 'staging', (c) => { c.batch.notifications.schedule = '0/0 * * * ? *'; }, 'config/staging.ts: batch.notifications.schedule: "0/0 * * * ? *": minute field increment "/0" must be a number from 1 to 59; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron range backwards', 'staging', (c) => { c.batch.notifications.schedule = '* 18-9 * * ? *'; }, 'config/staging.ts: batch.notifications.schedule: "* 18-9 * * ? *": hour field range "18-9" runs backwards; write the smaller value first; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  m('cron unknown month name', 'staging', (c) => { c.batch.billing.schedule = '0 2 1 JANUARY ? *'; }, 'config/staging.ts: batch.billing.schedule: "0 2 1 JANUARY ? *": month field "JANUARY" is not a value of 1-12 or JAN-DEC; e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)'),
  // AZs of the region.
  m('AZ letter the region does not have', 'staging', (c) => { c.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1e']; }, 'config/staging.ts: availabilityZones[1]: "ap-northeast-1e" is not an AZ of ap-northeast-1; use ap-northeast-1a, ap-northeast-1c, ap-northeast-1d'),
  m('closed AZ', 'staging', (c) => { c.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1b']; }, 'config/staging.ts: availabilityZones[1]: "ap-northeast-1b" is not an AZ of ap-northeast-1; use ap-northeast-1a, ap-northeast-1c, ap-northeast-1d'),
  // Certificates of this region and account.
  m('certificate in us-east-1', 'production', (c) => { c.edge.certificateArn = c.edge.certificateArn.replace('ap-northeast-1', 'us-east-1'); }, 'config/production.ts: edge.certificateArn: is in us-east-1 but the NLB is in ap-northeast-1; ACM certificates are regional: request or import the certificate in ap-northeast-1'),
  m('certificate of another account', 'production', (c) => { c.edge.certificateArn = c.edge.certificateArn.replace('222222222222', '333333333333'); }, 'config/production.ts: edge.certificateArn: belongs to account 333333333333, not this environment\'s 222222222222; a listener uses certificates of its own account: request it in 222222222222'),
  // Image architecture against instance type.
  m('x86 resolver with the arm64 image', 'staging', (c) => { c.resolvers.instanceType = 't3.small'; }, 'config/staging.ts: resolvers.instanceType: t3.small is x86_64 but the resolvers boot the arm64 Amazon Linux image; pick a Graviton type such as "t4g.small"'),
  m('Redis zone outside the environment', 'staging', (c) => { c.redis.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1d']; }, 'config/staging.ts: redis.availabilityZones[1]: "ap-northeast-1d" is not one of the environment\'s availabilityZones (ap-northeast-1a, ap-northeast-1c); list only those'),
  m('Redis zone listed twice', 'production', (c) => { c.redis.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1a']; }, 'config/production.ts: redis.availabilityZones[2]: lists "ap-northeast-1a" twice; list each AZ once'),
  m('Redis pairs in one zone', 'staging', (c) => { c.redis.availabilityZones = ['ap-northeast-1a']; }, 'config/staging.ts: redis.availabilityZones: must list at least 2 AZs: the two nodes of a pair live in different AZs'),
  m('x86 Redis with the arm64 AMI', 'production', (c) => { c.redis.instanceType = 'r7i.large'; }, 'config/production.ts: redis.ami.architecture: is arm64 but r7i.large is x86_64; pick an x86_64 AMI or a matching instance type'),
  m('arm64 Redis with an x86 AMI', 'staging', (c) => { c.redis.ami.architecture = 'x86_64'; }, 'config/staging.ts: redis.ami.architecture: is x86_64 but r7g.medium is arm64; pick an arm64 AMI or a matching instance type'),
  // Fixed addresses.
  m('resolver on a Redis node address', 'staging', (c) => { c.resolvers.addresses[0] = '10.20.31.246'; }, 'config/staging.ts: resolvers.addresses[0]: 10.20.31.246 is the fixed address of Redis node redis-shard-0-a; pick another address (Redis nodes take the top of each private subnet, from 10.20.31.246 down)'),
  m('resolver on the subnet network address', 'staging', (c) => { c.resolvers.addresses[1] = '10.20.32.0'; }, 'config/staging.ts: resolvers.addresses[1]: 10.20.32.0 is reserved by AWS in the private subnet 10.20.32.0/20 of ap-northeast-1c; pick one between 10.20.32.4 and 10.20.47.254'),
  m('resolver on an AWS-reserved address', 'staging', (c) => { c.resolvers.addresses[0] = '10.20.16.2'; }, 'config/staging.ts: resolvers.addresses[0]: 10.20.16.2 is reserved by AWS in the private subnet 10.20.16.0/20 of ap-northeast-1a; pick one between 10.20.16.4 and 10.20.31.254'),
  m('resolver on the subnet broadcast address', 'staging', (c) => { c.resolvers.addresses[0] = '10.20.31.255'; }, 'config/staging.ts: resolvers.addresses[0]: 10.20.31.255 is reserved by AWS in the private subnet 10.20.16.0/20 of ap-northeast-1a; pick one between 10.20.16.4 and 10.20.31.254'),
  m('resolver in the wrong AZ subnet', 'staging', (c) => { c.resolvers.addresses[0] = '10.20.40.53'; }, 'config/staging.ts: resolvers.addresses[0]: 10.20.40.53 is outside the private subnet 10.20.16.0/20 of ap-northeast-1a; pick one between 10.20.16.4 and 10.20.31.254'),
  m('resolver in a public subnet', 'staging', (c) => { c.resolvers.addresses[0] = '10.20.0.53'; }, 'config/staging.ts: resolvers.addresses[0]: 10.20.0.53 is outside the private subnet 10.20.16.0/20 of ap-northeast-1a; pick one between 10.20.16.4 and 10.20.31.254'),
  m('upstream that is a resolver', 'staging', (c) => { c.resolvers.upstreams = ['10.20.16.53']; }, 'config/staging.ts: resolvers.upstreams[0]: 10.20.16.53 is one of the resolvers themselves: queries would loop; name the upstream resolvers (or leave upstreams empty for the VPC resolver)'),
  m('internal zone server that is a resolver', 'staging', (c) => { c.resolvers.internalZones[0].servers = ['10.20.32.53']; }, 'config/staging.ts: resolvers.internalZones[0].servers[0]: 10.20.32.53 is one of the resolvers themselves: queries for corp.monsaas.example.com would loop; name the zone\'s authoritative servers'),
  // CIDR blocks and the subnet plan.
  m('VPC /24', 'staging', (c) => { c.network.vpcCidr = '10.20.0.0/24'; }, 'config/staging.ts: network.vpcCidr: 10.20.0.0/24 is too small for the subnet plan (public /24, private /20 and data /24 in each of 2 AZs); use a /17 or larger, e.g. a /16'),
  m('VPC /18 with three AZs', 'production', (c) => { c.network.vpcCidr = '10.10.0.0/18'; }, 'config/production.ts: network.vpcCidr: 10.10.0.0/18 is too small for the subnet plan (public /24, private /20 and data /24 in each of 3 AZs); use a /17 or larger, e.g. a /16'),
  m('VPC /8', 'staging', (c) => { c.network.vpcCidr = '10.0.0.0/8'; }, 'config/staging.ts: network.vpcCidr: 10.0.0.0/8 is a /8; AWS accepts VPC blocks from /16 to /28: use a /16 such as "10.20.0.0/16"'),
  m('VPC /29', 'staging', (c) => { c.network.vpcCidr = '10.20.0.0/29'; }, 'config/staging.ts: network.vpcCidr: 10.20.0.0/29 is a /29; AWS accepts VPC blocks from /16 to /28: use a /16 such as "10.20.0.0/16"'),
  // Counts beyond AWS hard limits, and huge values that once crashed synth.
  m('11 Redis shards', 'staging', (c) => { c.redis.shardCount = 11; }, 'config/staging.ts: redis.shardCount: must be at most 10: the shard-balance alarm compares all shards in one CloudWatch metric-math expression, which takes at most 10 metrics; use larger instance types instead'),
  m('a million Redis shards', 'staging', (c) => { c.redis.shardCount = 1_000_000; }, 'config/staging.ts: redis.shardCount: must be at most 10: the shard-balance alarm compares all shards in one CloudWatch metric-math expression, which takes at most 10 metrics; use larger instance types instead'),
  m('fractional shard count', 'staging', (c) => { c.redis.shardCount = 2.5; }, 'config/staging.ts: redis.shardCount: is 2.5; must be a whole number'),
  m('ECS tasks beyond the service limit', 'production', (c) => { c.services.api.maxCount = 10_000; }, 'config/production.ts: services.api.maxCount: must be at most 5000 (ECS runs at most 5000 tasks per service)'),
  m('database storage beyond 64 TiB', 'production', (c) => { c.database.maxAllocatedStorageGiB = 100_000; }, 'config/production.ts: database.maxAllocatedStorageGiB: must be at most 65536 GiB (64 TiB, the RDS for PostgreSQL limit)'),
  m('Redis volume beyond 16 TiB', 'staging', (c) => { c.redis.volumeGiB = 20_000; }, 'config/staging.ts: redis.volumeGiB: must be at most 16384 GiB (16 TiB, the gp3 volume limit)'),
  m('Scheduler retries beyond 185', 'staging', (c) => { c.batch.usage.retryAttempts = 500; }, 'config/staging.ts: batch.usage.retryAttempts: is 500; must be at most 185'),
  m('Lambda memory beyond 10240 MiB', 'staging', (c) => { c.batch.notifications.memoryMiB = 20_000; }, 'config/staging.ts: batch.notifications.memoryMiB: must be at most 10240 MiB'),
  m('Kinesis shards beyond CloudFormation\'s limit', 'production', (c) => { c.tsdb.stream.shardCount = 1_000_000; },
    'config/production.ts: tsdb.stream.shardCount: must be at most 100000 (CloudFormation\'s limit per stream; the account\'s shard quota, checked by preflight, is usually far lower)'),
  m('alarm subscriptions beyond what a stack holds', 'staging', (c) => { c.alarms.emails = Array.from({ length: 600 }, (_, i) => `oncall${i}@monsaas.example.com`); },
    'config/staging.ts: alarms.emails: lists 600 subscriptions with httpsEndpoints; at most 50 fit the alarm stacks (CloudFormation allows 500 resources a stack): subscribe a mailing list instead'),
  // Wrong types.
  m('number written as a string', 'staging', (c) => { c.redis.shardCount = '2'; }, 'config/staging.ts: redis.shardCount: must be a number, not string "2"'),
  m('list written as one string', 'staging', (c) => { c.alarms.emails = 'platform-staging@monsaas.example.com'; }, 'config/staging.ts: alarms.emails: must be a list, not string "platform-staging@monsaas.example.com"'),
  m('section written as a list', 'staging', (c) => { c.database = []; }, 'config/staging.ts: database: must be an object, not a list'),
  m('boolean written as a string', 'staging', (c) => { c.retainData = 'false'; }, 'config/staging.ts: retainData: must be a boolean, not string "false"'),
  m('enum value with a typo', 'staging', (c) => { c.redis.maxmemoryPolicy = 'noevict'; }, 'config/staging.ts: redis.maxmemoryPolicy: is "noevict" (did you mean "noeviction"?); must be one of "noeviction", "volatile-lru", "allkeys-lru", "volatile-ttl"'),
  m('region with a typo', 'staging', (c) => { c.region = 'ap-northeast1'; }, 'config/staging.ts: region: must be a known AWS region (one of us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, sa-east-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-south-1, ap-south-2, ap-east-1, me-south-1, me-central-1, af-south-1, il-central-1) (did you mean "ap-northeast-1"?)'),
  m('tier with a typo', 'staging', (c) => { c.tier = 'prod'; }, 'config/staging.ts: tier: is "prod" (did you mean "production"?); must be one of "staging", "production"'),
  m('empty list where one is required', 'staging', (c) => { c.tsdb.tiers = []; }, 'config/staging.ts: tsdb.tiers: lists nothing; must list at least 1'),
];
