import { describe, expect, it } from 'vitest';
import { renderCheckScript } from '../../../../lib/host-config/redis/check-script';
import { renderKeepalivedConf } from '../../../../lib/host-config/redis/keepalived-conf';
import { renderRedisConf } from '../../../../lib/host-config/redis/redis-conf';
import { renderAgentUnit, renderKeepalivedDropIn, renderRedisUnit } from '../../../../lib/host-config/redis/systemd';

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
  it('keeps replicas read-only and starts without a fixed role', () => {
    expect(conf).toMatch(/^replica-read-only yes$/m);
    expect(conf).not.toMatch(/^replicaof /m);
  });
});

describe('check script and systemd units', () => {
  it('checks PING with the password read at each run', () => {
    const script = renderCheckScript({ redisCli: '/usr/bin/redis6-cli', port: 6379, passwordFile: '/etc/pw' });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('REDISCLI_AUTH="$(cat /etc/pw)" timeout 1 /usr/bin/redis6-cli -h 127.0.0.1 -p 6379 --no-auth-warning ping | grep -qx PONG');
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
