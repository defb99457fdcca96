import { sleep, type Harness } from './harness';
import type { PairNode } from './pair-node';

/** What a scenario hands back: when its last disturbance ended, and its own checks. */
export interface ScenarioOutcome {
  /** The routes reached the standby (failover scenarios). */
  readonly routeSwitchAt?: number;
  /** Convergence is measured from here (the fault repaired, the agent restarted, the link back ...). */
  readonly repairedAt: number;
  /** Scenario-specific checks, each must be true. */
  readonly checks?: Record<string, boolean>;
  readonly notes?: Record<string, unknown>;
}

export interface Scenario {
  /** Which node must be master before the fault (a planned switchover arranges it, untimed). */
  readonly needsMaster?: 'a' | 'b';
  run(h: Harness, master: PairNode, standby: PairNode, t0: number): Promise<ScenarioOutcome>;
}

const failover = async (h: Harness, standby: PairNode, t0: number) => h.waitRouteOn(standby, t0);

/** Replication from the standby to the master's Redis is dropped (the sync can never complete). */
const replicationRule = (master: PairNode) => ['OUTPUT', '-d', master.options.ip, '-p', 'tcp', '--dport', String(master.options.port), '-j', 'DROP'];

/**
 * The standby is replaced by an empty node whose sync cannot complete, then the master is killed:
 * the empty node must never be promoted and nothing may become master by itself; the operator then
 * bootstraps the old master (runbook), which comes back with its data (AOF), and the new node syncs.
 */
async function replacedThenMasterKilled(h: Harness, master: PairNode, standby: PairNode, t0: number): Promise<ScenarioOutcome> {
  await standby.stopChild(standby.redis);
  standby.wipeData();
  standby.iptables(['-A', ...replicationRule(master)]);
  standby.startRedis();
  await h.waitFor(`${standby.name} out of the election (FAULT)`, () => standby.keepalivedState.state === 'FAULT', 15_000);
  await sleep(500);
  const killedAt = Date.now();
  await master.stopAll();
  await sleep(3000); // keepalived would have promoted a node in 1.5-2 s
  const emptyNeverPromoted = standby.events('became master: Redis promoted, VIP routes confirmed', t0).length === 0 && !h.leased(standby);
  await master.startAll();
  await sleep(2500); // the returned master's check would pass within 2 s if it were eligible
  const noAutomaticMaster = h.masters().length === 0 && !h.leased(master) && !h.leased(standby);
  const bootstrap = master.bootstrap(true);
  standby.iptables(['-D', ...replicationRule(master)]);
  return { repairedAt: Date.now(), checks: { emptyNeverPromoted, noAutomaticMaster }, notes: { masterKilledAfterS: (killedAt - t0) / 1000, bootstrap } };
}

/** SIGKILL of a node's agent, restarted after systemd's RestartSec (1 s). */
async function restartAgent(node: PairNode, signal: NodeJS.Signals, downMs = 1000): Promise<number> {
  await node.stopChild(node.agent, signal);
  await sleep(downMs);
  node.startAgent();
  await node.agentReady();
  return Date.now();
}

const learnedMaster = (node: PairNode, since: number) =>
  node.events('keepalived state', since).some((e) => e.entry.state === 'MASTER' && e.entry.source === 'learned');

/** Waits (up to 5 s) for an agent log line: the stand-in's route event can be read before the agent's log. */
const eventually = (h: Harness, check: () => boolean) => h.waitFor('an agent log line', check, 5000).then(() => true, () => false);

export const SCENARIOS = {
  'kill-keepalived': {
    async run(h, master, standby, t0) {
      master.signalKeepalived('SIGKILL');
      const routeSwitchAt = await failover(h, standby, t0);
      await sleep(2000);
      master.startKeepalived();
      return { routeSwitchAt, repairedAt: Date.now() };
    },
  },
  'freeze-master': {
    async run(h, master, standby, t0) {
      master.signalAll('SIGSTOP');
      const routeSwitchAt = await failover(h, standby, t0);
      await sleep(2000);
      master.signalAll('SIGCONT');
      return { routeSwitchAt, repairedAt: Date.now() };
    },
  },
  'redis-crash': {
    async run(h, master, standby, t0) {
      await master.stopChild(master.redis);
      const routeSwitchAt = await failover(h, standby, t0);
      await sleep(1000);
      master.startRedis();
      const repairedAt = Date.now();
      // The restarted Redis (new run_id, data from its AOF) proves its history through the agent's history file.
      const demoted = await h.waitFor('the restarted node to demote', () => master.events('local Redis now replicates the peer', repairedAt)[0], 20_000);
      return { routeSwitchAt, repairedAt, checks: { provenByHistory: demoted.entry.sharedHistory !== 'none (no data)' } };
    },
  },
  'master-redis-restarts-empty-at-once': {
    // systemd restarts a crashed Redis within a second, here on an empty volume, before keepalived saw
    // anything: the standby's link reconnects to a process the agent never leased, which serves no
    // sync, so the standby keeps every write it confirmed and takes over; the emptied node syncs back.
    async run(h, master, standby, t0) {
      await master.stopChild(master.redis);
      master.wipeData();
      master.startRedis();
      const routeSwitchAt = await failover(h, standby, t0);
      const repairedAt = Date.now();
      const demoted = await h.waitFor('the emptied node to demote', () => master.events('local Redis now replicates the peer', t0)[0], 20_000);
      return { routeSwitchAt, repairedAt, checks: { emptiedNodeSyncedBack: demoted !== undefined } };
    },
  },
  'split-brain': {
    async run(h, _master, standby, t0) {
      h.cutPairLink();
      const routeSwitchAt = await failover(h, standby, t0);
      await sleep(3000);
      h.restorePairLink();
      return { routeSwitchAt, repairedAt: Date.now() };
    },
  },
  'old-master-returns': {
    async run(h, master, standby, t0) {
      await master.stopAll();
      const routeSwitchAt = await failover(h, standby, t0);
      await sleep(1000);
      await master.startAll();
      return { routeSwitchAt, repairedAt: Date.now() };
    },
  },
  'empty-standby-master-killed-mid-sync': { run: replacedThenMasterKilled },
  'preferred-replaced-master-killed-mid-sync': { needsMaster: 'b', run: replacedThenMasterKilled },
  'standby-cut-off-then-master-killed': {
    // A double fault the first drill did not stage: the replication stream to the standby stops (its
    // keepalived and Redis stay fine), the master acknowledges alone (journal, in its AOF), then dies.
    // The standby, missing those writes, takes over; the old master comes back with a new run_id,
    // proves the shared history from its history file, and merges its journal.
    async run(h, master, standby, t0) {
      const rule = ['INPUT', '-s', master.options.ip, '-p', 'tcp', '--sport', String(master.options.port), '-j', 'DROP'];
      standby.iptables(['-A', ...rule]);
      await h.waitFor('writes acknowledged alone', () => h.acks.filter((a) => a.t > t0 && a.journalled).length >= 5, 20_000);
      await master.stopAll();
      const journalled = h.acks.filter((a) => a.t > t0 && a.journalled).length;
      standby.iptables(['-D', ...rule]);
      const routeSwitchAt = await failover(h, standby, t0);
      await sleep(1000);
      const repairedAt = Date.now(); // before the restart: the merge can be logged before startAll returns
      await master.startAll();
      const merged = await h.waitFor('the old master merged its journal', () => master.events('local Redis now replicates the peer', repairedAt)[0], 20_000);
      return { routeSwitchAt, repairedAt, checks: { mergedAfterRestart: Number(merged.entry.mergedEntries) >= journalled }, notes: { journalledBeforeKill: journalled, merged: merged.entry.mergedEntries } };
    },
  },
  'agent-sigkill-master': {
    async run(h, master, standby) {
      await master.stopChild(master.agent, 'SIGKILL');
      const movedAt = Date.now();
      h.moveRoutes(h.eniOf(standby)); // behind the (dead) agent's back: the restarted one must notice
      await sleep(1000);
      master.startAgent();
      await master.agentReady();
      const repairedAt = Date.now();
      await h.waitRouteOn(master, movedAt); // (the repair can come before the drill reads the agent's start line)
      return { repairedAt, checks: { learnedMasterAfterRestart: await eventually(h, () => learnedMaster(master, repairedAt - 5000)) } };
    },
  },
  'agent-sigterm-standby-then-failover': {
    async run(h, master, standby, t0) {
      await standby.stopChild(standby.agent, 'SIGTERM');
      master.signalKeepalived('SIGKILL');
      // keepalived makes the standby MASTER while nobody reads the FIFO (keepalived keeps it open
      // read-write, so the line waits there; the agent also learns the state from the VIP).
      await h.waitFor(`${standby.name} MASTER without its agent`, () => standby.holdsVip(), 15_000);
      standby.startAgent();
      await standby.agentReady();
      const repairedAt = Date.now();
      const routeSwitchAt = await failover(h, standby, t0);
      master.startKeepalived();
      const promotedAfterRestart = await eventually(h, () => standby.events('became master: Redis promoted, VIP routes confirmed', repairedAt - 3000).length > 0);
      return { routeSwitchAt, repairedAt, checks: { promotedAfterRestart }, notes: { learned: learnedMaster(standby, repairedAt - 5000) } };
    },
  },
  'agent-killed-mid-failover': {
    async run(h, master, standby, t0) {
      master.signalKeepalived('SIGKILL');
      await h.waitFor(`${standby.name} told MASTER`, () => standby.events('keepalived state', t0).some((e) => e.entry.state === 'MASTER'), 15_000, 5);
      const repairedAt = await restartAgent(standby, 'SIGKILL');
      const routeSwitchAt = await failover(h, standby, t0);
      master.startKeepalived();
      return { routeSwitchAt, repairedAt, checks: { learnedMasterAfterRestart: await eventually(h, () => learnedMaster(standby, repairedAt - 5000)) } };
    },
  },
  'agent-restart-then-split': {
    async run(h, master) {
      await restartAgent(master, 'SIGTERM', 200);
      await sleep(500);
      h.cutPairLink();
      await sleep(4000);
      h.restorePairLink();
      return { repairedAt: Date.now(), notes: { masterBefore: master.name } };
    },
  },
  'ec2-hangs-30s-during-failover': {
    async run(h, master, standby, t0) {
      h.hangEc2(true);
      master.signalKeepalived('SIGKILL');
      const promotedAt = await h.waitFor('the standby promoted (Redis leased)', () => h.leased(standby) && Date.now(), 20_000);
      const demotedAt = await h.waitFor('the old master demoted', () => h.replicates(master, standby) && Date.now(), 20_000);
      await sleep(Math.max(0, t0 + 30_000 - Date.now()));
      h.hangEc2(false);
      const answeredAt = Date.now();
      const routeSwitchAt = await failover(h, standby, answeredAt);
      master.startKeepalived();
      return {
        routeSwitchAt, repairedAt: answeredAt,
        checks: { demotedWhileEc2Hung: demotedAt < answeredAt, noRouteChangeWhileHung: h.changes.every((c) => c.at < t0 || c.at >= answeredAt) },
        notes: { promotedS: (promotedAt - t0) / 1000, oldMasterDemotedS: (demotedAt - t0) / 1000, routeAfterEc2AnswersS: (routeSwitchAt - answeredAt) / 1000, hungCalls: h.callsBetween(t0, answeredAt).length },
      };
    },
  },
  'ten-failovers-standby-flapping': {
    async run(h, first) {
      // Redis traffic between the nodes drops for 700 ms of every 1.5 s: WAITs time out, writes go to the journal.
      const rule = ['INPUT', '-s', h.a.options.ip, '-p', 'tcp', '-m', 'multiport', '--ports', String(h.b.options.port), '-j', 'DROP'];
      let blocked = false;
      const flap = setInterval(() => { h.b.iptables([blocked ? '-D' : '-A', ...rule]); blocked = !blocked; }, 750);
      const journals: Array<{ atSwitch: number; afterHeal: number; journalledAcks: number }> = [];
      let master = first;
      try {
        for (let i = 0; i < 10; i += 1) {
          const from = Date.now();
          const standby = h.other(master);
          await master.stopChild(master.keepalived, 'SIGTERM'); // clean stop: priority 0
          await h.waitRouteOn(standby, from);
          const atSwitch = h.journal(standby);
          master.startKeepalived();
          const { master: healed } = await h.waitHealthy(30_000, { standbyReady: true });
          journals.push({ atSwitch, afterHeal: h.journal(healed), journalledAcks: h.acks.filter((a) => a.t >= from && a.journalled).length });
          master = healed;
        }
      } finally {
        clearInterval(flap);
        if (blocked) h.b.iptables(['-D', ...rule]);
      }
      const repairedAt = Date.now();
      await h.waitHealthy(30_000);
      await sleep(h.reconcileIntervalMs * 2);
      const drained = h.journal(h.healthy() ?? master);
      const journalledTotal = journals.reduce((n, j) => n + j.journalledAcks, 0);
      return {
        repairedAt,
        checks: {
          exercisedTheJournal: journalledTotal > 0,
          boundedByJournalledAcks: journals.every((j) => j.atSwitch <= journalledTotal && j.afterHeal <= journalledTotal),
          drainedOnceReplicaConfirms: drained === 0,
        },
        notes: { journals, drained },
      };
    },
  },
  'split-20s-ec2-calls-counted': {
    async run(h, _master, _standby, t0) {
      h.cutPairLink();
      await sleep(20_000);
      const healAt = Date.now();
      h.restorePairLink();
      const windowCalls = h.callsBetween(t0 + 5000, t0 + 20_000);
      const loser = h.b; // the preferred node a keeps the routes
      const loserReplaces = windowCalls.filter((c) => c.from === loser.options.ip && c.action === 'ReplaceRoute').length;
      const intervals = 15_000 / h.reconcileIntervalMs;
      return {
        repairedAt: healAt,
        checks: { atMostOneCallPerInterval: windowCalls.length <= intervals + 2, loserNeverReplacesAfter5s: loserReplaces === 0, loserReportedSplit: loser.events(/^split brain:/, t0).length > 0 },
        notes: { callsAfter5s: windowCalls.length, byA: windowCalls.filter((c) => c.from === h.a.options.ip).length, byB: windowCalls.filter((c) => c.from === h.b.options.ip).length, callsTotal: h.callsBetween(t0, healAt).length },
      };
    },
  },
  'planned-switchover': {
    async run(h, master, standby, t0) {
      const result = master.switchover();
      master.startKeepalived();
      const routeSwitchAt = await failover(h, standby, t0);
      return { routeSwitchAt, repairedAt: Date.now(), checks: { switchoverDone: result.switchover === 'done' && result.newMaster === standby.options.ip }, notes: { switchoverMs: result.ms, reason: result.reason } };
    },
  },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
