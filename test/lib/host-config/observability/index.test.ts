import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { cidrsOverlap } from '../../../../lib/config-schema/primitives';
import { privateSubnetCidrs } from '../../../../lib/model/redis-topology';
import { renderCloudConfig } from '../../../../lib/host-config/cloud-init';
import {
  ACCOUNTING_CHAINS, HOST_NAMESPACE, HOST_OBSERVABILITY_PATHS as P, HostDimension, renderHostObservability, subnetsByAz, type HostObservabilityOptions,
} from '../../../../lib/host-config/observability';

const SUBNETS = { 'ap-northeast-1a': ['10.20.16.0/20'], 'ap-northeast-1c': ['10.20.32.0/20'] };

function render(env: 'staging' | 'production', options: Partial<HostObservabilityOptions> = {}) {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  return renderHostObservability(config, {
    role: 'redis', host: 'redis-shard-1-b', az: 'ap-northeast-1a', subnetsByAz: SUBNETS,
    processes: ['keepalived', 'redis-server'], redis: { shard: 1, node: 'b', vip: '192.168.255.11' }, ...options,
  });
}
const file = (r: ReturnType<typeof render>, path: string) => r.files.find((f) => f.path === path)?.content ?? '';

describe('renderHostObservability', () => {
  it.each(['staging', 'production'] as const)('%s Redis node: collector settings name the node, its shard and its VIP', (env) => {
    const r = render(env);
    const vars = Object.fromEntries(file(r, P.collectorEnv).trim().split('\n').map((l) => l.split('=', 2)).map(([k, v]) => [k, JSON.parse(v!)]));
    expect(vars).toEqual({
      ENVIRONMENT: env, ROLE: 'redis', HOST_NAME: 'redis-shard-1-b', NAMESPACE: HOST_NAMESPACE,
      LOG_GROUP: `/monsaas/${env}/host-metrics/redis`, PROCESSES: 'keepalived redis-server',
      ACCOUNTING_CHAINS: `${ACCOUNTING_CHAINS.in} ${ACCOUNTING_CHAINS.out}`,
      REDIS_SHARD: '1', REDIS_NODE: 'b', REDIS_CLI: 'redis-cli -p 6379', VIP: '192.168.255.11',
    });
    expect(r.files.find((f) => f.path === P.collectorEnv)?.permissions).toBe('0640');
  });

  it('installs the agent, starts the accounting chains, the agent and the timer, in that order', () => {
    const r = render('staging');
    expect(r.packages).toContain('amazon-cloudwatch-agent');
    expect(r.packages).toContain('iptables-nft');
    expect(r.runcmd.map((c) => c.join(' '))).toEqual([
      'systemctl daemon-reload',
      'systemctl enable --now monsaas-iptables-accounting.service',
      `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${P.agentConfig}`,
      'systemctl enable --now monsaas-host-metrics.timer',
    ]);
    expect(r.files.find((f) => f.path === P.collector)?.permissions).toBe('0755');
    expect(file(r, P.collector)).toMatch(/^#!\/bin\/bash\n/);
    expect(file(r, P.collectorTimer)).toContain('OnUnitActiveSec=60s');
    expect(file(r, P.collectorService)).toContain(`EnvironmentFile=${P.collectorEnv}\nExecStart=${P.collector}`);
    expect(file(r, P.accountingService)).toContain(`ExecStart=${P.accountingLoader}`);
    expect(file(r, P.accountingLoader)).toContain(`iptables-restore -w --noflush < ${P.accountingRules}`);
  });

  it('configures the agent: procstat per daemon with exact dimensions, no hostname, EMF listener', () => {
    const agent = JSON.parse(file(render('production'), P.agentConfig));
    expect(agent.agent.omit_hostname).toBe(true);
    expect(agent.metrics.namespace).toBe(HOST_NAMESPACE);
    expect(agent.metrics.metrics_collected.procstat.map((p: { exe: string }) => p.exe)).toEqual(['^keepalived$', '^redis-server$']);
    expect(agent.metrics.metrics_collected.procstat[0].measurement).toContain('pid_count');
    expect(agent.metrics.metrics_collected.procstat[1].append_dimensions).toEqual({
      [HostDimension.environment]: 'production', [HostDimension.role]: 'redis', [HostDimension.host]: 'redis-shard-1-b',
    });
    expect(agent.logs.metrics_collected.emf).toEqual({});
  });

  it('counts Redis traffic on the configured port and only the other AZs', () => {
    const rules = file(render('staging', { redis: { shard: 0, node: 'a', port: 6380 } }), P.accountingRules);
    expect(rules).toContain('--dport 6380');
    expect(rules).toContain('-d 10.20.32.0/20 -m comment --comment to-az-ap-northeast-1c');
    expect(rules).not.toContain('10.20.16.0/20');
  });

  it('renders a resolver without Redis settings, and Unbound counters only when asked', () => {
    const r = render('staging', { role: 'resolver', host: 'resolver-1', processes: ['unbound'], redis: undefined });
    const env = file(r, P.collectorEnv);
    expect(env).not.toContain('UNBOUND_CONTROL');
    expect(env).not.toContain('REDIS');
    const withStats = render('staging', { role: 'resolver', host: 'resolver-1', processes: ['unbound'], redis: undefined, unboundControlCommand: 'unbound-control -c /etc/unbound/unbound.conf' });
    expect(file(withStats, P.collectorEnv)).toContain('UNBOUND_CONTROL="unbound-control -c /etc/unbound/unbound.conf"');
    expect(file(r, P.accountingRules)).not.toContain('6379');
  });

  it('passes a Redis password file to the collector without rendering the secret', () => {
    const service = file(render('staging', { redis: { shard: 0, node: 'a', authEnvFile: '/etc/redis/collector-auth.env' } }), P.collectorService);
    expect(service).toContain('EnvironmentFile=/etc/redis/collector-auth.env');
  });

  it.each(['staging', 'production'] as const)('%s: lists every subnet of every AZ, as the VPC lays them out', (env) => {
    const config = validateEnvConfig(`${env}.ts`, environments[env]);
    const byAz = subnetsByAz(config);
    expect(Object.keys(byAz)).toEqual(config.availabilityZones);
    for (const cidrs of Object.values(byAz)) {
      expect(cidrs.map((c) => c.split('/')[1])).toEqual(['24', '20', '24']);
      for (const cidr of cidrs) expect(cidrsOverlap(cidr, config.network.vpcCidr)).toBe(true);
    }
    // The private tier agrees with the Redis topology, which the shard construct checks against the real VPC.
    expect(config.availabilityZones.map((az) => byAz[az]![1])).toEqual(privateSubnetCidrs(config));
    const all = Object.values(byAz).flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.some((a, i) => all.some((b, j) => i !== j && cidrsOverlap(a, b)))).toBe(false);
  });

  it('rejects names that would break the metric documents', () => {
    expect(() => render('staging', { host: 'bad"host' })).toThrow(/host "bad"host" may only hold letters, digits/);
  });

  it('fits a cloud-config document that parses back to the same files', () => {
    const r = render('staging');
    const doc = parse(renderCloudConfig({ packages: r.packages, writeFiles: r.files, runcmd: r.runcmd }));
    expect(doc.packages).toEqual(r.packages);
    expect(doc.write_files.map((f: { path: string }) => f.path)).toEqual(r.files.map((f) => f.path));
    expect(doc.write_files.find((f: { path: string }) => f.path === P.collector).content).toBe(file(r, P.collector));
  });
});
