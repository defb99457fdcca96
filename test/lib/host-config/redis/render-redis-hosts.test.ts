import { HOST_OBSERVABILITY_PACKAGES, HOST_OBSERVABILITY_PATHS } from '../../../../lib/host-config/observability';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { renderRedisHosts } from '../../../../lib/host-config/redis';

describe.each(['staging', 'production'])('%s rendered Redis hosts', (name) => {
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  const hosts = renderRedisHosts(config);
  const file = (host: string, path: string) => hosts.find((h) => h.name === host)!.files.find((f) => f.path === path)!.content;

  it('renders both nodes of every shard', () => {
    const names = Array.from({ length: config.redis.shardCount }, (_, i) => [`redis-shard-${i}-a`, `redis-shard-${i}-b`]).flat();
    expect(hosts.map((h) => h.name)).toEqual(names);
  });

  it('configures each node with its own address, the peer\'s, and the config\'s advert interval', () => {
    const a = file('redis-shard-0-a', '/etc/keepalived/keepalived.conf');
    const b = file('redis-shard-0-b', '/etc/keepalived/keepalived.conf');
    const src = (conf: string) => /unicast_src_ip (\S+)/.exec(conf)![1];
    const peer = (conf: string) => /unicast_peer \{\n\s+(\S+)/.exec(conf)![1];
    expect(peer(a)).toBe(src(b));
    expect(peer(b)).toBe(src(a));
    expect(a).toContain(`advert_int ${config.redis.advertIntervalMs / 1000}`);
    expect(file('redis-shard-0-a', '/etc/monsaas/redis.conf')).toContain(`maxmemory-policy ${config.redis.maxmemoryPolicy}`);
  });

  it('points the agent at the shard VIP, the peer and the reconcile interval', () => {
    const agent = JSON.parse(file('redis-shard-1-b', '/etc/monsaas/failover-agent.json'));
    expect(agent).toMatchObject({ shard: 1, vip: '192.168.' + (name === 'staging' ? '255' : '254') + '.11', reconcileIntervalMs: config.redis.reconcileIntervalS * 1000, notifyFifo: '/run/monsaas/keepalived.fifo' });
    expect(agent.ec2Endpoint).toBeUndefined();
    expect(agent.imdsEndpoint).toBeUndefined();
  });

  it('renders user data that installs from the distribution, writes the files and enables the services', () => {
    const userData = parse(file('redis-shard-0-a', '/cloud-init/user-data.yaml'));
    expect(userData.packages).toEqual(['redis6', 'keepalived', 'nodejs22', 'awscli-2', ...HOST_OBSERVABILITY_PACKAGES]);
    expect(userData.write_files.map((f: { path: string }) => f.path)).toContain('/etc/keepalived/keepalived.conf');
    // The bootstrap first (it writes the password file the host-metrics collector reads).
    expect(userData.runcmd[0]).toEqual(['/usr/local/libexec/monsaas/bootstrap']);
    expect(userData.write_files.map((f: { path: string }) => f.path)).toContain(HOST_OBSERVABILITY_PATHS.collector);
    const bootstrap = file('redis-shard-0-a', '/usr/local/libexec/monsaas/bootstrap');
    expect(bootstrap).toContain('systemctl enable --now monsaas-redis.service monsaas-failover-agent.service keepalived.service');
    expect(bootstrap).toContain(`* ${config.redis.maxmemoryPercent} / 100`);
    expect(bootstrap).toContain('aws secretsmanager get-secret-value');
  });
});
