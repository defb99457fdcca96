import { HOST_OBSERVABILITY_PACKAGES, HOST_OBSERVABILITY_PATHS } from '../../../../lib/host-config/observability';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { RENDERED_BUNDLE_PATH, renderRedisHosts } from '../../../../lib/host-config/redis';
import { NODE_BUNDLE_PATHS, redisNodeBundle } from '../../../../lib/host-config/redis/node-bundle';
import { shardTopology } from '../../../../lib/model/redis-topology';

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

  it('renders packages-only user data; the bundle carries every file, the agent and the service actions', () => {
    const userData = parse(file('redis-shard-0-a', '/cloud-init/user-data.yaml'));
    expect(userData).toEqual({ package_update: true, packages: ['redis6', 'keepalived', 'nodejs22', 'awscli-2', ...HOST_OBSERVABILITY_PACKAGES] });
    const bundle = JSON.parse(file('redis-shard-0-a', RENDERED_BUNDLE_PATH));
    const paths = bundle.files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['/etc/keepalived/keepalived.conf', '/etc/monsaas/redis.conf', HOST_OBSERVABILITY_PATHS.collector, '/usr/local/libexec/monsaas/failover-agent.js']));
    expect(bundle.files.find((f: { path: string }) => f.path === '/usr/local/libexec/monsaas/failover-agent.js').source).toEqual({ url: '{{deploy:agentBundleUrl}}' });
    expect(bundle.actions[0]).toEqual({ name: 'prepare-node', when: 'always', run: ['/usr/local/libexec/monsaas/bootstrap'] });
    const prepare = file('redis-shard-0-a', '/usr/local/libexec/monsaas/bootstrap');
    expect(prepare).toContain(`* ${config.redis.maxmemoryPercent} / 100`);
    expect(prepare).toContain('aws secretsmanager get-secret-value');
    // The deploy-time values stay markers in the bundle; the association passes them.
    const agent = JSON.parse(bundle.files.find((f: { path: string }) => f.path === '/etc/monsaas/failover-agent.json').content);
    expect(agent.routeTableIds).toEqual(config.availabilityZones.map((_, i) => `{{deploy:routeTableId${i}}}`));
  });

  it('renders the bundle\'s shell scripts clean under shellcheck', () => {
    const node = shardTopology(config)[0]!.nodes[1];
    const scripts = redisNodeBundle(config, node).files.filter((f) => [NODE_BUNDLE_PATHS.handOver, NODE_BUNDLE_PATHS.ready, '/usr/local/libexec/monsaas/bootstrap'].includes(f.path));
    expect(scripts).toHaveLength(3);
    for (const script of scripts) {
      const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: script.content, encoding: 'utf8' });
      expect(`${script.path}\n${result.stdout}`).toBe(`${script.path}\n`);
      expect(result.status).toBe(0);
    }
  });

  it('restarts Redis only for a Redis change (disruptive: the master hands over first); agent and keepalived change in place', () => {
    const node = shardTopology(config)[0]!.nodes[0];
    const bundle = redisNodeBundle(config, node);
    const byName = Object.fromEntries(bundle.actions.map((a) => [a.name, a]));
    expect(bundle.actions.filter((a) => a.disruptive).map((a) => a.name)).toEqual(['restart-redis']);
    expect(byName['restart-redis']!.when).toEqual(['/etc/monsaas/redis.conf', '/etc/systemd/system/monsaas-redis.service']);
    expect(byName['restart-agent']!.when).toEqual(expect.arrayContaining(['/usr/local/libexec/monsaas/failover-agent.js', '/etc/monsaas/failover-agent.json']));
    expect(byName['reload-keepalived']!.run).toEqual(['systemctl', 'reload-or-restart', 'keepalived.service']);
    expect(bundle.prepare).toEqual([NODE_BUNDLE_PATHS.handOver]);
    expect(bundle.files.find((f) => f.path === NODE_BUNDLE_PATHS.handOver)!.content).toContain(`grep -w '${node.vip}/32'`);
    expect(bundle.verify).toMatchObject({ run: [NODE_BUNDLE_PATHS.ready], attempts: 450, intervalSeconds: 2 });
  });
});
