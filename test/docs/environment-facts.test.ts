import { describe, expect, it } from 'vitest';
import { environments } from '../../config';
import type { EnvConfig } from '../../lib/config-schema/schema';
import { validateEnvConfig } from '../../lib/config-schema/load';
import { REDIS_THRESHOLDS } from '../../lib/constructs/monitoring/redis-shard-alarms';
import { SERVICE_THRESHOLDS } from '../../lib/constructs/monitoring/service-monitoring';
import { resolverName } from '../../lib/host-config/unbound/metrics';
import { shardTopology } from '../../lib/model/redis-topology';

/**
 * docs/runbooks/environments.md, generated here from config: the values the runbooks need that differ per
 * environment, so no runbook repeats (and lets go stale) a number or an address. When config changes this
 * test fails; `npx vitest run test/docs/environment-facts.test.ts -u` rewrites the file.
 */
function facts(config: EnvConfig): string {
  const row = (...cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const stream = config.tsdb.stream;
  const writer = config.tsdb.writer;
  const b = config.batch;
  return [
    `## ${config.name}`,
    '',
    `Account ${config.account}, region ${config.region}, AZs ${config.availabilityZones.join(', ')}.`,
    '',
    '| shard | VIP | node a (preferred) | node b (standby) |',
    '|---|---|---|---|',
    ...shardTopology(config).map((s) => row(s.index, s.vip, `${s.nodes[0].privateIp} (${s.nodes[0].availabilityZone})`, `${s.nodes[1].privateIp} (${s.nodes[1].availabilityZone})`)),
    '',
    `Redis: \`maxmemory\` ${config.redis.maxmemoryPercent} % of RAM, policy \`${config.redis.maxmemoryPolicy}\`, VRRP adverts every ${config.redis.advertIntervalMs} ms;`
      + ` alarms at ${REDIS_THRESHOLDS.memoryUsedPercent} % memory and ${REDIS_THRESHOLDS.connectedClients} clients.`,
    '',
    '| resolver | address | AZ |',
    '|---|---|---|',
    ...config.resolvers.addresses.map((address, i) => row(resolverName(i), address, config.availabilityZones[i % config.availabilityZones.length]!)),
    '',
    `Unbound: negative answers cached at most ${config.resolvers.cacheMaxNegativeTtlS} s; SERVFAIL alarm over ${config.resolvers.servfailAlarmPercent} %`
      + ` (from ${config.resolvers.servfailAlarmMinQueries} queries a minute).`,
    '',
    `Kinesis: ${stream.mode === 'PROVISIONED' ? `${stream.shardCount} shards` : 'on demand'}, records kept ${stream.retentionHours} h (the replay window).`
      + ` Writer mapping: batch ${writer.batchSize}, window ${writer.maxBatchingWindowS} s, parallelization ${writer.parallelizationFactor},`
      + ` ${writer.retryAttempts} retries, partial batch responses. Lag alarms at ${SERVICE_THRESHOLDS.writerLagWarningMs / 1000} s and ${SERVICE_THRESHOLDS.writerLagCriticalMs / 60_000} min.`,
    '',
    `Batch (${b.timezone}${b.enabled ? '' : ', schedules disabled'}): usage \`${b.usage.schedule}\`, notifications \`${b.notifications.schedule}\``
      + ` (${b.notifications.maxAttempts} attempts), retention \`${b.retention.schedule}\`, billing \`${b.billing.schedule}\` (at most ${b.billing.maxRuntimeMinutes} min).`,
    '',
  ].join('\n');
}

describe('docs/runbooks/environments.md', () => {
  it('is generated from config (run this file with -u after a config change)', async () => {
    const body = Object.entries(environments).map(([name, input]) => facts(validateEnvConfig(`${name}.ts`, input))).join('\n');
    await expect([
      '# Values per environment',
      '',
      '<!-- Generated from config/ by test/docs/environment-facts.test.ts: do not edit; run that test with -u. -->',
      'What the runbooks read from `config/<env>.ts`, in one place. The deployed resources are the truth during',
      'an incident (the runbooks query them); this page is for reading ahead.',
      '',
      body,
    ].join('\n')).toMatchFileSnapshot('../../docs/runbooks/environments.md');
  });
});
