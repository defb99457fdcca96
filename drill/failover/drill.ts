import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environments } from '../../config';
import { bundleHostProgram, FAILOVER_AGENT_ENTRY } from '../../lib/constructs/common/host-program-bundle';
import { PREFERRED_PRIORITY, STANDBY_PRIORITY } from '../../lib/model/redis-topology';
import type { Ec2ApiCall, RouteChange } from './ec2-stand-in';
import { ENI, Harness, ROUTE_TABLES, sleep, VIP } from './harness';
import { LineChild, tsNode } from './line-child';
import { createNetwork, destroyNetwork, type DrillNetwork } from './netns';
import { PairNode } from './pair-node';
import { SCENARIO_NAMES, SCENARIOS, type Scenario, type ScenarioName } from './scenarios';

export { SCENARIO_NAMES, type ScenarioName } from './scenarios';

export interface ScenarioResult {
  scenario: ScenarioName;
  /** Fault -> every VIP route on the standby (-1: the scenario moves no route). */
  routeSwitchS: number;
  /** Fault -> first write acknowledged by the new master; without a failover, from the end of the disturbance (-1: none). */
  firstWriteS: number;
  /** Last disturbance ended (fault repaired, agent back, link back) -> pair healthy. */
  convergedS: number;
  ackedWrites: number;
  journalledWrites: number;
  lostAcked: number;
  masters: number;
  routeOk: boolean;
  /** EC2 API calls (both agents) from the fault until healthy. */
  ec2Calls: number;
  /** Journal entries on the master once healthy (a replica confirmed the rest). */
  journal: number;
  checks: Record<string, boolean>;
  notes: Record<string, unknown>;
}

export const scenarioPassed = (r: ScenarioResult) => r.masters === 1 && r.routeOk && r.lostAcked === 0 && Object.values(r.checks).every(Boolean);

export interface DrillOptions {
  readonly scenarios?: readonly ScenarioName[];
  readonly advertIntervalMs?: number;
  /** The writer's WAIT timeout (config tsdb.writer.replicaTimeoutMs). */
  readonly replicaTimeoutMs?: number;
  readonly onResult?: (result: ScenarioResult) => void;
  readonly log?: (line: string) => void;
}

const ROOT = path.resolve(__dirname, '../..');
const PORT = 6379;
const EC2_PORT = 8787;
const RECONCILE_MS = 1000;
const round = (s: number) => Math.round(s * 100) / 100;

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
  let h: Harness | undefined;
  const nodes: PairNode[] = [];
  let failed = true;
  let failure: Error | undefined;
  let cleaned = false;
  /** Stops everything the drill started and removes its namespaces and files (once). */
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (failed || process.env.DRILL_KEEP_LOGS) {
      const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-drill-logs-'));
      for (const node of nodes) fs.writeFileSync(path.join(keep, `${node.options.name}.log`), node.log.join('\n'));
      fs.writeFileSync(path.join(keep, 'routes.json'), JSON.stringify(h?.changes ?? [], null, 1));
      fs.writeFileSync(path.join(keep, 'error.txt'), failure ? String(failure.stack ?? failure) : 'checks failed (see results)');
      log(`drill logs kept in ${keep}`);
    }
    await client?.stop();
    for (const node of nodes) await node.stopAll();
    await standIn?.stop();
    if (net) destroyNetwork(net);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted (Ctrl-C, a cancelled CI job): clean up before exiting, never leave namespaces behind.
  const onSignal = () => { failure = new Error('interrupted'); void cleanup().finally(() => process.exit(130)); };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const agentBundle = path.join(dir, 'failover-agent.js');
    bundleHostProgram(path.join(ROOT, FAILOVER_AGENT_ENTRY), agentBundle);
    net = createNetwork(prefix);
    const n = net;
    execFileSync('ip', ['-n', n.clientNs, 'route', 'add', `${VIP}/32`, 'via', n.nodeIp.a]);

    const early: Array<{ change?: RouteChange; call?: Ec2ApiCall }> = [];
    standIn = new LineChild(tsNode(n.switchNs, 'drill/failover/stand-in-main.ts', []), (e) => {
      const event = e as { change?: RouteChange; call?: Ec2ApiCall };
      if (!h) { early.push(event); return; }
      if (event.change) h.onChange(event.change);
      if (event.call) h.onCall(event.call);
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
        priority: name === 'a' ? PREFERRED_PRIORITY : STANDBY_PRIORITY, vip: VIP, advertIntervalMs: options.advertIntervalMs ?? environments.production.redis.advertIntervalMs,
        password, port: PORT, agentBundle,
        agentConfig: { shard: 0, vip: VIP, region: 'ap-northeast-1', routeTableIds: ROUTE_TABLES, reconcileIntervalMs: RECONCILE_MS, ec2Endpoint: endpoint, imdsEndpoint: endpoint },
      }));
    }
    const [a, b] = nodes as [PairNode, PairNode];
    const harness = (h = new Harness(a, b, n, standIn, log, RECONCILE_MS));
    for (const event of early) { if (event.change) harness.onChange(event.change); if (event.call) harness.onCall(event.call); }

    // A brand-new pair has no eligible node: the runbook's explicit bootstrap of the preferred node.
    await a.startAll();
    await b.startAll();
    await sleep(500);
    log(`bootstrap a: ${a.bootstrap(false)}`);
    await harness.waitHealthy(60_000);
    log('pair up: a MASTER, b replicating');

    client = new LineChild(tsNode(n.clientNs, 'drill/failover/client.ts', [VIP, String(PORT), password, String(options.replicaTimeoutMs ?? 500)]), (e) => {
      const ack = e as { ack?: number; t: number; node: string; journalled: boolean };
      if (ack.ack !== undefined) harness.acks.push({ seq: ack.ack, t: ack.t, node: ack.node, journalled: ack.journalled });
    });
    await client.next((e) => (e as { ack?: number }).ack !== undefined, 30_000);

    const results: ScenarioResult[] = [];
    for (const name of options.scenarios ?? SCENARIO_NAMES) {
      const scenario: Scenario = SCENARIOS[name];
      // Every fault hits a pair that could fail over: the standby synced and back in the election.
      let { master } = await harness.waitHealthy(30_000, { standbyReady: true });
      if (scenario.needsMaster && master.name !== scenario.needsMaster) {
        log(`${name}: planned switchover first, so that ${scenario.needsMaster} is master`);
        master.switchover();
        master.startKeepalived();
        ({ master } = await harness.waitHealthy(30_000, { standbyReady: true }));
      }
      const standby = harness.other(master);
      await sleep(500);
      const ackFrom = harness.acks.length;
      const t0 = Date.now();
      log(`${name}: fault on ${master.name}`);
      const outcome = await scenario.run(harness, master, standby, t0);
      log(`${name}: repaired; waiting for the pair to converge`);
      const healthy = await harness.waitHealthy(30_000).catch(() => undefined);
      const healthyAt = healthy?.at ?? Date.now();
      await sleep(RECONCILE_MS + 300); // one reconcile: the journal trim has run
      const finalNode = healthy?.master ?? harness.masters()[0] ?? standby;
      // The writer backs off while a shard has no master: give it time to write to the converged pair,
      // so the first write after the repair is measured rather than cut off by the end of the scenario.
      // The first write counts on the final master once the routes moved (a split brain ends on the node
      // that kept them), or once the disturbance ended (scenarios that move no route).
      const resumedAfter = outcome.routeSwitchAt ?? outcome.repairedAt;
      await harness.waitFor('a write acknowledged after the repair', () => harness.acks.slice(ackFrom).some((ack) => ack.t > resumedAfter && ack.node === finalNode.name), 15_000).catch(() => undefined);
      client.send({ cmd: 'verify', host: finalNode.options.ip });
      const verdict = await client.next<{ verify: { missing?: number[]; error?: string } }>((e) => (e as { verify?: unknown }).verify !== undefined);
      if (verdict.verify.error) throw new Error(`${name}: verify failed: ${verdict.verify.error}`);
      const missing = new Set(verdict.verify.missing);
      const windowAcks = harness.acks.slice(ackFrom);
      // Reported after a failover from the fault, otherwise from the end of the disturbance.
      const reference = outcome.routeSwitchAt ? t0 : outcome.repairedAt;
      const first = windowAcks.find((ack) => ack.t > resumedAfter && ack.node === finalNode.name);
      const result: ScenarioResult = {
        scenario: name,
        routeSwitchS: outcome.routeSwitchAt ? round((outcome.routeSwitchAt - t0) / 1000) : -1,
        firstWriteS: first ? round((first.t - reference) / 1000) : -1,
        convergedS: round((healthyAt - outcome.repairedAt) / 1000),
        ackedWrites: windowAcks.length,
        journalledWrites: windowAcks.filter((ack) => ack.journalled).length,
        lostAcked: harness.acks.filter((ack) => missing.has(ack.seq)).length,
        masters: harness.masters().length,
        routeOk: healthy !== undefined && harness.healthy() === healthy.master,
        ec2Calls: harness.callsBetween(t0, healthyAt).length,
        journal: harness.journal(finalNode),
        checks: outcome.checks ?? {},
        notes: { ...outcome.notes, finalMaster: finalNode.name },
      };
      results.push(result);
      options.onResult?.(result);
    }
    failed = !results.every(scenarioPassed);
    return results;
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await cleanup();
  }
}
