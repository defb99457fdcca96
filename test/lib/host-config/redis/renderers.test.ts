import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCheckScript } from '../../../../lib/host-config/redis/check-script';
import { renderSwitchoverScript } from '../../../../lib/host-config/redis/switchover-script';
import { startRedis, type RedisServer } from '../../../support/redis-server';
import { renderKeepalivedConf } from '../../../../lib/host-config/redis/keepalived-conf';
import { renderRedisConf } from '../../../../lib/host-config/redis/redis-conf';
import { renderAgentUnit, renderKeepalivedDropIn, renderRedisUnit } from '../../../../lib/host-config/redis/systemd';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { shardTopology } from '../../../../lib/model/redis-topology';
import { agentConfigFor } from '../../../../lib/host-config/redis/agent-config';
import { PLACEHOLDER_DEPLOY_VALUES } from '../../../../lib/host-config/redis/node-cloud-init';
import { NODE_PATHS } from '../../../../lib/host-config/redis/paths';

const keepalived = renderKeepalivedConf({
  routerId: 'redis-shard-0-a', instanceName: 'shard_0', interface: 'ens5', virtualRouterId: 51, priority: 250,
  advertIntervalMs: 500, srcIp: '10.20.31.246', peerIp: '10.20.47.246', vip: '192.168.255.10', checkScript: '/x/check', notifyFifo: '/run/f',
});

describe('keepalived.conf', () => {
  it('uses VRRPv3 sub-second adverts over unicast between the two nodes', () => {
    expect(keepalived).toMatch(/^\s+vrrp_version 3$/m);
    expect(keepalived).toMatch(/^\s+advert_int 0\.5$/m);
    expect(keepalived).toMatch(/unicast_src_ip 10\.20\.31\.246\n\s+unicast_peer \{\n\s+10\.20\.47\.246\n\s+\}/);
    expect(keepalived).not.toMatch(/vrrp_strict/); // vrrp_strict forbids unicast
  });

  it('never preempts a healthy master and tracks Redis health', () => {
    expect(keepalived).toMatch(/^\s+state BACKUP$/m);
    expect(keepalived).toMatch(/^\s+nopreempt$/m);
    expect(keepalived).toMatch(/vrrp_script redis_alive \{\n\s+script "\/x\/check"/);
    expect(keepalived).toMatch(/track_script \{\n\s+redis_alive\n\s+\}/);
    expect(keepalived).toMatch(/^\s+priority 250$/m);
    expect(keepalived).toMatch(/^\s+virtual_router_id 51$/m);
  });

  it('reports state changes to the resident agent through notify_fifo and holds the VIP while MASTER', () => {
    expect(keepalived).toMatch(/^\s+notify_fifo \/run\/f$/m);
    expect(keepalived).toMatch(/virtual_ipaddress \{\n\s+192\.168\.255\.10\/32 dev ens5\n/);
    expect(keepalived).toMatch(/enable_script_security/);
  });

  it('renders millisecond adverts exactly', () => {
    const conf = renderKeepalivedConf({ ...{ routerId: 'r', instanceName: 'i', interface: 'e', virtualRouterId: 1, priority: 1, srcIp: 's', peerIp: 'p', vip: 'v', checkScript: 'c', notifyFifo: 'f' }, advertIntervalMs: 250 });
    expect(conf).toMatch(/advert_int 0\.25$/m);
  });
});

describe('redis.conf', () => {
  const conf = renderRedisConf({
    bind: ['0.0.0.0'], port: 6379, dataDir: '/data', authInclude: '/etc/auth.conf', maxmemory: { include: '/etc/mem.conf' }, maxmemoryPolicy: 'noeviction',
  });
  it('persists with AOF every second and no RDB snapshots', () => {
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^appendfsync everysec$/m);
    expect(conf).toMatch(/^save ""$/m);
  });
  it('takes maxmemory, its policy and AUTH from includes, never a literal password', () => {
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^include \/etc\/mem\.conf$/m);
    expect(conf).toMatch(/^include \/etc\/auth\.conf$/m);
    expect(conf).not.toMatch(/requirepass/);
    expect(renderRedisConf({ bind: ['127.0.0.1'], port: 7000, dataDir: '/d', authInclude: '/a', maxmemory: { bytes: 1024 }, maxmemoryPolicy: 'allkeys-lru' })).toMatch(/^maxmemory 1024$/m);
  });
  it('never frees the replication backlog (a new backlog starts a new replication id)', () => {
    expect(conf).toMatch(/^repl-backlog-ttl 0$/m);
  });
  it('keeps replicas read-only and starts without a fixed role', () => {
    expect(conf).toMatch(/^replica-read-only yes$/m);
    expect(conf).not.toMatch(/^replicaof /m);
  });
});

describe('check script and systemd units', () => {
  it('asks Redis with the password read at each run, through the host image\'s redis6-cli', () => {
    const script = renderCheckScript({ redisCli: '/usr/bin/redis6-cli', port: 6379, passwordFile: '/etc/pw', eligibilityFile: '/run/e' });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('REDISCLI_AUTH="$(cat /etc/pw)" timeout 1 /usr/bin/redis6-cli -h 127.0.0.1 -p 6379 --no-auth-warning info server');
    expect(renderAgentUnit()).toMatch(/^StateDirectory=monsaas-failover-agent$/m);
  });
  it('enables keepalived at boot and restarts it, after the agent that reads its FIFO', () => {
    const dropIn = renderKeepalivedDropIn();
    expect(dropIn).toMatch(/^Restart=always$/m);
    expect(dropIn).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(dropIn).toMatch(/^Wants=monsaas-failover-agent\.service$/m);
    expect(renderAgentUnit()).toMatch(/^Before=keepalived\.service$/m);
    expect(renderAgentUnit()).toMatch(/^Restart=always$/m);
    expect(renderRedisUnit()).toMatch(/^ExecStart=\/usr\/bin\/redis6-server \/etc\/monsaas\/redis\.conf$/m);
  });
});

// The rendered scripts run for real: sh/bash against a real redis-server with a password.
describe('check script and switchover script against a real Redis', () => {
  let redis: RedisServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-scripts-'));
  const passwordFile = path.join(dir, 'password');
  const marker = path.join(dir, 'eligible');
  const check = path.join(dir, 'check-redis');
  beforeAll(async () => {
    fs.writeFileSync(passwordFile, 's3cret');
    redis = await startRedis({ extraArgs: ['--requirepass', 's3cret'] });
    fs.writeFileSync(check, renderCheckScript({ redisCli: 'redis-cli', port: redis.port, passwordFile, eligibilityFile: marker }), { mode: 0o755 });
  });
  afterAll(async () => { await redis?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });
  const runId = () => /run_id:(\w+)/.exec(execFileSync('redis-cli', ['-p', String(redis.port), '-a', 's3cret', '--no-auth-warning', 'info', 'server']).toString())![1]!;
  const status = (file: string) => spawnSync(file, [], { encoding: 'utf8' }).status;

  it('passes only while the marker names the live Redis process (a restarted or replaced Redis fails it)', () => {
    expect(status(check)).toBe(1); // no marker: never synced
    fs.writeFileSync(marker, `${'f'.repeat(40)}\n`); // an earlier process of this node
    expect(status(check)).toBe(1);
    fs.writeFileSync(marker, `${runId()}\n`);
    expect(status(check)).toBe(0);
  });

  it('the switchover refuses on a node that is not the master with an online standby, saying why', () => {
    const script = path.join(dir, 'switchover');
    fs.writeFileSync(script, renderSwitchoverScript({
      redisCli: 'redis-cli', port: redis.port, passwordFile, vip: '127.0.0.1', stopKeepalived: 'touch stopped', startKeepalived: 'true', timeoutS: 1,
    }), { mode: 0o755 });
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const result = spawnSync(script, [], { encoding: 'utf8', cwd: dir });
    expect(result.status).toBe(3);
    expect(JSON.parse(result.stdout.trim())).toEqual({ switchover: 'refused', reason: 'the standby is not an online replica (none): it could not take over' });
    expect(fs.existsSync(path.join(dir, 'stopped'))).toBe(false); // keepalived untouched
  });
});

describe('the agent configuration and the scripts agree on one node\'s files', () => {
  it.each(['staging', 'production'])('%s: the check script reads the marker the agent writes; a is the split-brain winner', (name) => {
    const config = validateEnvConfig(`${name}.ts`, environments[name]);
    for (const node of shardTopology(config).flatMap((s) => s.nodes)) {
      const agent = agentConfigFor(config, node, PLACEHOLDER_DEPLOY_VALUES(config));
      expect(agent.preferred).toBe(node.role === 'a');
      expect(agent.nodeRole).toBe(node.role);
      expect(agent.eligibilityFile).toBe(NODE_PATHS.eligibilityFile);
      expect(agent.keepalivedPidFile).toBe('/run/keepalived/vrrp.pid');
      expect(agent.emfUdp).toEqual({ host: '127.0.0.1', port: 25888 });
      expect(agent.historyFile.startsWith('/var/lib/monsaas-failover-agent/')).toBe(true); // the unit's StateDirectory
      expect(renderCheckScript({ redisCli: NODE_PATHS.redisCli, port: 6379, passwordFile: NODE_PATHS.redisPasswordFile, eligibilityFile: agent.eligibilityFile }))
        .toContain(`cat ${agent.eligibilityFile}`);
    }
  });
});
