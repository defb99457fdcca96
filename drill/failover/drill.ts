import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { bundleHostProgram, FAILOVER_AGENT_ENTRY } from '../../lib/constructs/common/host-program-bundle';
import { PREFERRED_PRIORITY, STANDBY_PRIORITY } from '../../lib/model/redis-topology';
import type { RouteChange } from './ec2-stand-in';
import { createNetwork, destroyNetwork, setPairLink, type DrillNetwork } from './netns';
import { PairNode } from './pair-node';

export const SCENARIOS = ['kill-keepalived', 'freeze-master', 'redis-crash', 'split-brain', 'old-master-returns'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioResult {
  scenario: ScenarioName;
  routeSwitchS: number;
  firstWriteS: number;
  ackedWrites: number;
  lostAcked: number;
  masters: number;
  routeOk: boolean;
}

export interface DrillOptions {
  readonly scenarios?: readonly ScenarioName[];
  readonly advertIntervalMs?: number;
  /** The writer's WAIT timeout (config tsdb.writer.replicaTimeoutMs). */
  readonly replicaTimeoutMs?: number;
  readonly onResult?: (result: ScenarioResult) => void;
  readonly log?: (line: string) => void;
}

const ROOT = path.resolve(__dirname, '../..');
const VIP = '192.168.255.10';
const ENI = { a: 'eni-0drill0000000000a', b: 'eni-0drill0000000000b' } as const;
const ROUTE_TABLES = ['rtb-0drill00000000001', 'rtb-0drill00000000002'];
const PORT = 6379;
const EC2_PORT = 8787;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (s: number) => Math.round(s * 100) / 100;

interface Ack { seq: number; t: number; node: string }

/** A JSON-lines child process (stand-in, client): events by predicate, commands by line. */
class LineChild {
  readonly events: unknown[] = [];
  private readonly waiters: Array<{ match: (e: unknown) => boolean; resolve: (e: unknown) => void }> = [];
  stderr = '';
  constructor(readonly child: ChildProcess, onEvent?: (e: unknown) => void) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: unknown;
      try { event = JSON.parse(line); } catch { return; }
      onEvent?.(event);
      this.events.push(event);
      for (const w of [...this.waiters]) if (w.match(event)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(event); }
    });
    child.stderr?.on('data', (d) => { this.stderr = (this.stderr + String(d)).slice(-4000); });
  }
  send(value: unknown): void { this.child.stdin!.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`); }
  next<T>(match: (e: unknown) => boolean, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for an event; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e as T); } });
    });
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin?.end();
    await Promise.race([exited, sleep(2000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function tsNode(namespace: string, script: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs the failover drill: builds the namespaces, runs every scenario, always cleans up. */
export async function runDrill(options: DrillOptions = {}): Promise<ScenarioResult[]> {
  const log = options.log ?? (() => undefined);
  if (process.getuid?.() !== 0) throw new Error('the failover drill needs root (network namespaces, keepalived)');
  for (const tool of ['keepalived', 'redis-server', 'redis-cli', 'ip', 'iptables']) {
    try { execFileSync('which', [tool], { stdio: 'ignore' }); } catch { throw new Error(`${tool} is missing: run scripts/ensure-host-tools.sh`); }
  }
  const prefix = `msdrill${process.pid}`;
  const dir = fs.mkdtempSync('/run/monsaas-drill-');
  const password = `drill${Math.random().toString(36).slice(2)}`;
  let net: DrillNetwork | undefined;
  let standIn: LineChild | undefined;
  let client: LineChild | undefined;
  const nodes: PairNode[] = [];
  const changes: RouteChange[] = [];
  const acks: Ack[] = [];
  const routeOf = new Map<string, string>(ROUTE_TABLES.map((id) => [id, ENI.a]));
  let failed = true;
  let failure: Error | undefined;
  try {
    const agentBundle = path.join(dir, 'failover-agent.js');
    bundleHostProgram(path.join(ROOT, FAILOVER_AGENT_ENTRY), agentBundle);
    net = createNetwork(prefix);
    const n = net;
    execFileSync('ip', ['-n', n.clientNs, 'route', 'add', `${VIP}/32`, 'via', n.nodeIp.a]);

    standIn = new LineChild(tsNode(n.switchNs, 'drill/failover/stand-in-main.ts', []), (e) => {
      const change = (e as { change?: RouteChange }).change;
      if (change) { changes.push(change); routeOf.set(change.routeTableId, change.networkInterfaceId); }
    });
    standIn.send({
      host: n.gatewayIp, port: EC2_PORT, clientNamespace: n.clientNs,
      routeTables: Object.fromEntries(ROUTE_TABLES.map((id) => [id, { [`${VIP}/32`]: ENI.a }])),
      instances: { [n.nodeIp.a]: { mac: '02:00:00:00:00:0a', eni: ENI.a }, [n.nodeIp.b]: { mac: '02:00:00:00:00:0b', eni: ENI.b } },
      nextHops: { [ENI.a]: n.nodeIp.a, [ENI.b]: n.nodeIp.b },
    });
    await standIn.next((e) => (e as { listening?: number }).listening !== undefined);

    const endpoint = `http://${n.gatewayIp}:${EC2_PORT}`;
    for (const name of ['a', 'b'] as const) {
      nodes.push(new PairNode({
        name, namespace: n.nodeNs[name], dir, ip: n.nodeIp[name], peerIp: n.nodeIp[name === 'a' ? 'b' : 'a'], interface: n.nodeIf,
        priority: name === 'a' ? PREFERRED_PRIORITY : STANDBY_PRIORITY, vip: VIP, advertIntervalMs: options.advertIntervalMs ?? 500,
        password, port: PORT, agentBundle,
        agentConfig: { shard: 0, vip: VIP, region: 'ap-northeast-1', routeTableIds: ROUTE_TABLES, reconcileIntervalMs: 1000, ec2Endpoint: endpoint, imdsEndpoint: endpoint },
      }));
    }
    const [a, b] = nodes as [PairNode, PairNode];
    const eniOf = (node: PairNode) => ENI[node.options.name];
    const redisInfo = (node: PairNode): string => {
      try {
        return execFileSync('ip', ['netns', 'exec', node.options.namespace, 'redis-cli', '-p', String(PORT), '--no-auth-warning', '-a', password, 'info', 'replication'], { timeout: 2000 }).toString();
      } catch { return ''; }
    };
    const masterOf = () => nodes.filter((node) => node.keepalivedState.state === 'MASTER');
    const healthy = (): PairNode | undefined => {
      const masters = masterOf();
      if (masters.length !== 1) return undefined;
      const master = masters[0]!;
      const other = master === a ? b : a;
      if (![...routeOf.values()].every((eni) => eni === eniOf(master))) return undefined;
      if (!/role:master/.test(redisInfo(master))) return undefined;
      const info = redisInfo(other);
      if (!(/role:slave/.test(info) && info.includes(`master_host:${master.options.ip}`) && /master_link_status:up/.test(info))) return undefined;
      return master;
    };
    const waitHealthy = async (timeoutMs: number): Promise<PairNode> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const master = healthy();
        if (master) return master;
        if (Date.now() > deadline) throw new Error(`pair did not converge: states a=${a.keepalivedState.state} b=${b.keepalivedState.state} routes=${JSON.stringify([...routeOf])}`);
        await sleep(200);
      }
    };

    await a.startAll();
    await b.startAll();
    await waitHealthy(60_000);
    log('pair up: a MASTER, b replicating');

    client = new LineChild(tsNode(n.clientNs, 'drill/failover/client.ts', [VIP, String(PORT), password, String(options.replicaTimeoutMs ?? 500)]), (e) => {
      const ack = e as { ack?: number; t: number; node: string };
      if (ack.ack !== undefined) acks.push({ seq: ack.ack, t: ack.t, node: ack.node });
    });
    await client.next((e) => (e as { ack?: number }).ack !== undefined, 30_000);

    const results: ScenarioResult[] = [];
    for (const scenario of options.scenarios ?? SCENARIOS) {
      const master = await waitHealthy(30_000);
      const standby = master === a ? b : a;
      await sleep(1000);
      const ackFrom = acks.length;
      const changeFrom = changes.length;
      const t0 = Date.now();
      log(`${scenario}: fault on ${master.options.name}`);
      switch (scenario) {
        case 'kill-keepalived': master.signalKeepalived('SIGKILL'); break;
        case 'freeze-master': master.signalAll('SIGSTOP'); break;
        case 'redis-crash': master.redis?.kill('SIGKILL'); break;
        case 'split-brain': setPairLink(n, false); break;
        case 'old-master-returns': await master.stopAll(); break;
      }
      const switched = async () => {
        for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(20)) {
          const change = changes.slice(changeFrom).find((c) => c.networkInterfaceId === eniOf(standby));
          if (change && ROUTE_TABLES.every((id) => changes.slice(changeFrom).some((c) => c.routeTableId === id && c.networkInterfaceId === eniOf(standby)))) {
            return Math.max(...ROUTE_TABLES.map((id) => changes.slice(changeFrom).find((c) => c.routeTableId === id && c.networkInterfaceId === eniOf(standby))!.at));
          }
        }
        throw new Error(`${scenario}: the route never moved to ${standby.options.name}`);
      };
      const switchedAt = await switched();
      await sleep(3000);
      log(`${scenario}: repair ${master.options.name}`);
      switch (scenario) {
        case 'kill-keepalived': master.startKeepalived(); break;
        case 'freeze-master': master.signalAll('SIGCONT'); break;
        case 'redis-crash': master.startRedis(); break;
        case 'split-brain': setPairLink(n, true); break;
        case 'old-master-returns': await master.startAll(); break;
      }
      const finalMaster = await waitHealthy(30_000).catch(() => masterOf()[0]);
      await sleep(1500);
      const windowAcks = acks.slice(ackFrom);
      const finalNode = finalMaster ?? standby;
      client.send({ cmd: 'verify', host: finalNode.options.ip });
      const verdict = await client.next<{ verify: { missing?: number[]; error?: string } }>((e) => (e as { verify?: unknown }).verify !== undefined);
      if (verdict.verify.error) throw new Error(`${scenario}: verify failed: ${verdict.verify.error}`);
      const missing = new Set(verdict.verify.missing);
      const first = windowAcks.find((ack) => ack.t > t0 && ack.node === standby.options.name);
      const result: ScenarioResult = {
        scenario,
        routeSwitchS: round((switchedAt - t0) / 1000),
        firstWriteS: first ? round((first.t - t0) / 1000) : -1,
        ackedWrites: windowAcks.length,
        lostAcked: acks.filter((ack) => missing.has(ack.seq)).length,
        masters: masterOf().length,
        routeOk: healthy() === finalMaster && finalMaster !== undefined,
      };
      results.push(result);
      options.onResult?.(result);
    }
    failed = results.some((r) => r.masters !== 1 || !r.routeOk || r.lostAcked !== 0);
    return results;
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    if (failed) {
      const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-drill-logs-'));
      for (const node of nodes) fs.writeFileSync(path.join(keep, `${node.options.name}.log`), node.log.join('\n'));
      fs.writeFileSync(path.join(keep, 'routes.json'), JSON.stringify(changes, null, 1));
      fs.writeFileSync(path.join(keep, 'error.txt'), failure ? String(failure.stack ?? failure) : 'checks failed (see results)');
      log(`drill logs kept in ${keep}`);
    }
    await client?.stop();
    for (const node of nodes) await node.stopAll();
    await standIn?.stop();
    if (net) destroyNetwork(net);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
