import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_NAMESPACE, HostMetric } from '../../../lib/host-config/observability';
import { startRedis, type RedisServer } from '../../support/redis-server';
import { metricValue, runCollector } from './run-collector';

/** A kernel's /proc/net/{snmp,netstat} layout with every counter at zero (fixtures/proc). */
const PROC_FIXTURE = path.join(__dirname, 'fixtures/proc');

/** A fake /proc tree of our own: the fixture's counters, so no result depends on this machine's history. */
function fakeProc(to: string): void {
  fs.mkdirSync(path.join(to, 'net'), { recursive: true });
  for (const file of ['netstat', 'snmp']) fs.copyFileSync(path.join(PROC_FIXTURE, 'net', file), path.join(to, 'net', file));
}

/** Sets counter NAME of the "Prefix:" table in a /proc/net file (header line, then values line). */
function setCounter(file: string, prefix: string, name: string, value: number): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = lines.findIndex((l) => l.startsWith(`${prefix}:`));
  const names = lines[header]!.split(/\s+/);
  const values = lines[header + 1]!.split(/\s+/);
  const column = names.indexOf(name);
  if (column < 1) throw new Error(`${prefix}:${name} is not in ${file}`);
  values[column] = String(value);
  lines[header + 1] = values.join(' ');
  fs.writeFileSync(file, lines.join('\n'));
}

/** Adds `by` to counter NAME (see setCounter). */
function bump(file: string, prefix: string, name: string, by: number): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = lines.findIndex((l) => l.startsWith(`${prefix}:`));
  const column = lines[header]!.split(/\s+/).indexOf(name);
  setCounter(file, prefix, name, Number(lines[header + 1]!.split(/\s+/)[column]) + by);
}

describe('host metrics collector (the real script)', () => {
  let dir: string;
  let master: RedisServer;
  let replica: RedisServer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-metrics-'));
    master = await startRedis({ extraArgs: ['--maxmemory', '100mb'] });
    replica = await startRedis({ replicaOf: master.port });
    const client = master.client();
    await client.mset('a', '1', 'b', '2', 'c', '3');
    await client.select(1);
    await client.set('d', '4');
    const replicaClient = replica.client();
    for (let i = 0; i < 100; i++) {
      const info = await replicaClient.info('replication');
      if (info.includes('master_link_status:up') && (await replicaClient.dbsize()) === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await replica?.stop();
    await master?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes kernel TCP counters as per-interval differences, parsed from real /proc/net files', async () => {
    const proc = path.join(dir, 'proc');
    fakeProc(proc);
    const state = path.join(dir, 'tcp-state');
    const first = await runCollector(dir, { PROC_ROOT: proc, STATE_DIR: state });
    expect(metricValue(first, HostMetric.tcpRetransmittedSegments)).toBeUndefined(); // no previous reading yet
    bump(path.join(proc, 'net/snmp'), 'Tcp', 'RetransSegs', 7);
    bump(path.join(proc, 'net/snmp'), 'Tcp', 'AttemptFails', 2);
    bump(path.join(proc, 'net/netstat'), 'TcpExt', 'TCPSynRetrans', 5);
    const second = await runCollector(dir, { PROC_ROOT: proc, STATE_DIR: state });
    expect(metricValue(second, HostMetric.tcpRetransmittedSegments)).toBe(7);
    expect(metricValue(second, HostMetric.tcpFailedConnectionAttempts)).toBe(2);
    expect(metricValue(second, HostMetric.tcpSynRetransmits)).toBe(5);
    expect(metricValue(second, HostMetric.tcpTimeouts)).toBe(0);
    expect(metricValue(second, HostMetric.tcpSentSegments)).toBe(0);
    const line = second.find((l) => HostMetric.tcpSynRetransmits in l)!;
    expect(line._aws.CloudWatchMetrics[0]!.Namespace).toBe(HOST_NAMESPACE);
    expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Environment', 'Role', 'Host'], ['Environment', 'Role']]);
    expect(line).toMatchObject({ Environment: 'staging', Role: 'redis', Host: 'test-host' });
  });

  it('reads the live /proc/net counters too (every counter it names exists in this kernel)', async () => {
    const state = path.join(dir, 'live-state');
    await runCollector(dir, { STATE_DIR: state });
    const second = await runCollector(dir, { STATE_DIR: state });
    for (const name of [HostMetric.tcpRetransmittedSegments, HostMetric.tcpSentSegments, HostMetric.tcpSynRetransmits, HostMetric.tcpFailedConnectionAttempts, HostMetric.tcpTimeouts]) {
      expect(metricValue(second, name), name).toBeGreaterThanOrEqual(0);
    }
  });

  // From a fake /proc whose counters start where the case says: no machine's history can move the result.
  it.each([
    ['treats a counter that went down (reboot) as counting from zero', 1000, 3, 3],
    ['counts from near zero on a quiet machine (an increase from 1 to 3 is 2, not a reset)', 1, 3, 2],
  ])('%s', async (_name, before, after, expected) => {
    const proc = fs.mkdtempSync(path.join(dir, 'proc-'));
    fakeProc(proc);
    const snmp = path.join(proc, 'net/snmp');
    const state = path.join(proc, 'state');
    setCounter(snmp, 'Tcp', 'RetransSegs', before);
    await runCollector(dir, { PROC_ROOT: proc, STATE_DIR: state });
    setCounter(snmp, 'Tcp', 'RetransSegs', after);
    const lines = await runCollector(dir, { PROC_ROOT: proc, STATE_DIR: state });
    expect(metricValue(lines, HostMetric.tcpRetransmittedSegments)).toBe(expected);
  });

  it('counts processes by exact name, zero when absent, with the shard node dimensions on Redis nodes', async () => {
    const lines = await runCollector(dir, {
      PROCESSES: 'redis-server no-such-daemon', REDIS_SHARD: '1', REDIS_NODE: '0', STATE_DIR: path.join(dir, 'p'),
    });
    expect(metricValue(lines, HostMetric.processCount, { Process: 'redis-server' })).toBeGreaterThanOrEqual(2);
    expect(metricValue(lines, HostMetric.processCount, { Process: 'no-such-daemon' })).toBe(0);
    const line = lines.find((l) => l.Process === 'no-such-daemon')!;
    expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toContainEqual(['Environment', 'Shard', 'Node', 'Process']);
    expect(line).toMatchObject({ Shard: '1', Node: '0' });
  });

  it('publishes Redis INFO of a master: memory, clients, role and keys over every database', async () => {
    const lines = await runCollector(dir, {
      REDIS_SHARD: '0', REDIS_NODE: '0', REDIS_CLI: `redis-cli -p ${master.port}`, STATE_DIR: path.join(dir, 'm'), LOG_GROUP: '/monsaas/staging/host-metrics/redis',
    });
    expect(metricValue(lines, HostMetric.redisUp)).toBe(1);
    expect(metricValue(lines, HostMetric.redisIsMaster)).toBe(1);
    expect(metricValue(lines, HostMetric.redisKeys)).toBe(4);
    expect(metricValue(lines, HostMetric.redisConnectedClients)).toBeGreaterThanOrEqual(2);
    expect(metricValue(lines, HostMetric.redisUsedMemory)).toBeGreaterThan(100_000);
    const percent = metricValue(lines, HostMetric.redisMemoryUsedPercent)!;
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThan(100);
    expect(metricValue(lines, HostMetric.redisMasterLinkUp)).toBeUndefined(); // a master has no link to report
    const line = lines.find((l) => HostMetric.redisKeys in l)!;
    expect(line._aws.LogGroupName).toBe('/monsaas/staging/host-metrics/redis');
    expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Environment', 'Shard', 'Node'], ['Environment', 'Shard']]);
  });

  it('publishes a replica: not master, replication link up, same key count', async () => {
    const lines = await runCollector(dir, {
      REDIS_SHARD: '0', REDIS_NODE: '1', REDIS_CLI: `redis-cli -p ${replica.port}`, STATE_DIR: path.join(dir, 'r'),
    });
    expect(metricValue(lines, HostMetric.redisIsMaster)).toBe(0);
    expect(metricValue(lines, HostMetric.redisMasterLinkUp)).toBe(1);
    expect(metricValue(lines, HostMetric.redisKeys)).toBe(4);
  });

  it('reports Redis down when it does not answer, and whether this node holds the VIP', async () => {
    const lines = await runCollector(dir, {
      REDIS_SHARD: '0', REDIS_NODE: '1', REDIS_CLI: 'redis-cli -p 1', VIP: '127.0.0.1', STATE_DIR: path.join(dir, 'd'),
    });
    expect(metricValue(lines, HostMetric.redisUp)).toBe(0);
    expect(metricValue(lines, HostMetric.vipHeld)).toBe(1); // loopback's address is held by this host
    const absent = await runCollector(dir, {
      REDIS_SHARD: '0', REDIS_NODE: '1', REDIS_CLI: 'redis-cli -p 1', VIP: '192.0.2.77', STATE_DIR: path.join(dir, 'd2'),
    });
    expect(metricValue(absent, HostMetric.vipHeld)).toBe(0);
  });

  it('reports the VIP held however many addresses the host lists after it (no SIGPIPE under pipefail)', async () => {
    // An `ip` that lists the VIP first and then many more addresses: a reader that stops at the first
    // match kills it with SIGPIPE, and with pipefail the pipeline would say "not held".
    const bin = path.join(dir, 'many-addresses-bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'ip'), '#!/bin/bash\necho "2: eth0    inet 10.9.9.9/32 scope global eth0"\nfor i in $(seq 1 20000); do echo "$i: veth$i    inet 10.1.$((i / 250)).$((i % 250))/24 scope global veth$i"; done\n', { mode: 0o755 });
    const lines = await runCollector(dir, {
      REDIS_SHARD: '0', REDIS_NODE: '1', REDIS_CLI: 'redis-cli -p 1', VIP: '10.9.9.9', STATE_DIR: path.join(dir, 'many'), PATH: `${bin}:${process.env.PATH}`,
    });
    expect(metricValue(lines, HostMetric.vipHeld)).toBe(1);
  });
});
