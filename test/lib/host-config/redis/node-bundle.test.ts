import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCheckScript } from '../../../../lib/host-config/redis/check-script';
import { renderHandOverScript, renderNodeReadyScript, type NodeScriptTools } from '../../../../lib/host-config/redis/node-bundle';
import type { RedisNode } from '../../../../lib/model/redis-topology';
import { startRedis, type RedisServer } from '../../../support/redis-server';

/**
 * The node bundle's ready check (the deploy's wait) and hand-over run for real against redis-server
 * pairs on loopback with AUTH. `systemctl` and `ip` are the only stand-ins: PATH shims that answer from
 * files in the test's directory (which units are active, whether this node holds the VIP).
 */
const PASSWORD = 'bundle-test-password';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-bundle-'));
const passwordFile = path.join(dir, 'password');
const shims = path.join(dir, 'bin');
const servers: RedisServer[] = [];

const node: RedisNode = {
  shard: 0, role: 'b', name: 'redis-shard-0-b', azIndex: 1, availabilityZone: 'az-b', privateIp: '127.0.0.1', peerIp: '127.0.0.1',
  priority: 240, vip: '192.0.2.10', virtualRouterId: 51,
};

async function redis(options: { replicaOf?: number } = {}): Promise<RedisServer> {
  const server = await startRedis({ ...options, extraArgs: ['--requirepass', PASSWORD, '--masterauth', PASSWORD] });
  servers.push(server);
  return server;
}

/** A command on a server, with AUTH (the support client has none). */
function cmd(server: RedisServer, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-p', String(server.port), '--no-auth-warning', '-a', PASSWORD, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

function run(script: string, state: { holdsVip?: boolean; inactive?: string } = {}) {
  fs.writeFileSync(path.join(dir, 'vip'), state.holdsVip ? `2: ens5    inet ${node.vip}/32 scope global ens5\n` : '');
  fs.writeFileSync(path.join(dir, 'inactive'), state.inactive ?? '');
  const file = path.join(dir, `script-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, script, { mode: 0o755 });
  const result = spawnSync('bash', [file], { encoding: 'utf8', env: { ...process.env, PATH: `${shims}:${process.env.PATH}` } });
  return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
}

const eligibilityFile = path.join(dir, 'eligible');
const tools = (local: RedisServer, peerPort: number): NodeScriptTools => {
  // keepalived's real check script (H1's), pointed at this server and the test's eligibility marker.
  const checkScript = path.join(dir, `check-${local.port}`);
  fs.writeFileSync(checkScript, renderCheckScript({ redisCli: 'redis-cli', port: local.port, passwordFile, eligibilityFile }), { mode: 0o755 });
  return { redisCli: 'redis-cli', port: local.port, peerPort, passwordFile, interface: 'ens5', switchoverScript: path.join(dir, 'switchover'), checkScript };
};
const markEligible = (server: RedisServer) => fs.writeFileSync(eligibilityFile, /run_id:(\w+)/.exec(cmd(server, 'info', 'server'))![1]!);

beforeAll(() => {
  fs.writeFileSync(passwordFile, PASSWORD);
  fs.mkdirSync(shims);
  fs.writeFileSync(path.join(shims, 'systemctl'), `#!/bin/sh\n# is-active --quiet UNIT\ngrep -qx "$3" ${dir}/inactive && exit 3\nexit 0\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(shims, 'ip'), `#!/bin/sh\ncat ${dir}/vip\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'switchover'), '#!/bin/sh\necho "switchover ran"\n', { mode: 0o755 });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('node-ready (the deploy waits for it)', () => {
  it('a replica whose sync completed is ready once eligible; one whose master is gone is not, while the peer holds data', async () => {
    const master = await redis();
    cmd(master, 'set', 'k', 'v');
    const replica = await redis({ replicaOf: master.port });
    const ready = renderNodeReadyScript(node, tools(replica, master.port));
    fs.writeFileSync(eligibilityFile, 'some-earlier-run-id');
    for (let i = 0; i < 100 && !run(ready).out.includes('sync complete'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(run(ready)).toEqual({ status: 1, out: 'replica of 127.0.0.1, sync complete, not yet eligible to take over' });
    markEligible(replica);
    expect(run(ready)).toEqual({ status: 0, out: 'replica of 127.0.0.1, sync complete, eligible' });
    // The replica now follows a port where nothing listens: link down, and its peer (the old master) holds data.
    const gone = await redis();
    const gonePort = gone.port;
    await gone.stop();
    cmd(replica, 'replicaof', '127.0.0.1', String(gonePort));
    expect(run(ready)).toEqual({ status: 1, out: 'not ready: role slave, link down, sync in progress 0' });
  });

  it('the master is ready only while it holds the VIP as a Redis master', async () => {
    const master = await redis();
    const ready = renderNodeReadyScript(node, tools(master, master.port));
    expect(run(ready, { holdsVip: true })).toEqual({ status: 0, out: `master holding ${node.vip}` });
    const other = await redis();
    const replica = await redis({ replicaOf: other.port });
    expect(run(renderNodeReadyScript(node, tools(replica, other.port)), { holdsVip: true })).toEqual({ status: 1, out: `holds ${node.vip} but redis is slave` });
  });

  it('alone (peer unreachable) or one of a new empty pair is ready; a master beside a peer with data is not', async () => {
    const lone = await redis();
    const closed = await redis();
    const closedPort = closed.port;
    await closed.stop();
    expect(run(renderNodeReadyScript(node, tools(lone, closedPort)))).toEqual({ status: 0, out: 'peer 127.0.0.1 unreachable: standing alone' });
    const peer = await redis();
    expect(run(renderNodeReadyScript(node, tools(lone, peer.port)))).toEqual({ status: 0, out: 'new empty pair: nothing to sync' });
    cmd(peer, 'set', 'k', 'v');
    expect(run(renderNodeReadyScript(node, tools(lone, peer.port)))).toEqual({ status: 1, out: 'not ready: role master, link , sync in progress' });
  });

  it('is not ready while one of its services is down', async () => {
    const master = await redis();
    expect(run(renderNodeReadyScript(node, tools(master, master.port)), { holdsVip: true, inactive: 'monsaas-failover-agent.service' }))
      .toEqual({ status: 1, out: 'monsaas-failover-agent.service is not active' });
  });
});

describe('hand-over (the prepare step before a Redis restart)', () => {
  it('does nothing on a node that does not hold the VIP, and runs the planned switchover on the one that does', async () => {
    const master = await redis();
    const script = renderHandOverScript(node, tools(master, master.port));
    expect(run(script)).toEqual({ status: 0, out: `${node.name} does not hold ${node.vip}: nothing to hand over` });
    expect(run(script, { holdsVip: true })).toEqual({ status: 0, out: 'switchover ran' });
  });
});
