import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailoverAgent } from '../../../hosts/failover-agent/agent';
import type { NodeSnapshot, RedisRole } from '../../../hosts/failover-agent/redis-role';
import { RouteSteering } from '../../../hosts/failover-agent/routes';
import type { Ec2StandIn } from '../../../drill/failover/ec2-stand-in';
import { startEc2StandIn } from '../../support/ec2-stand-in';

const VIP = '192.168.255.10/32';
const TABLES = ['rtb-1', 'rtb-2'];
const ME = 'eni-me';
const PEER = 'eni-peer';
const INTERVAL = 100;
const log = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const snapshot = (role: string, leased: boolean): NodeSnapshot => ({
  runId: 'r', leased,
  repl: { role, linkUp: role === 'slave', syncInProgress: false, connectedReplicas: 0, replid: 'x', replid2: '0', offset: 0, secondOffset: -1 },
});

/** The agent's view of Redis, recorded: what it did, in order, in one list with the route changes. */
class RecordedRedis {
  role = 'slave';
  peerState?: NodeSnapshot;
  constructor(private readonly events: string[]) {}
  async promote(): Promise<void> { this.events.push('promote'); this.role = 'master'; }
  async demote(): Promise<'demoted'> { this.events.push('demote'); this.role = 'slave'; return 'demoted'; }
  async snapshot(): Promise<NodeSnapshot> { return snapshot(this.role, this.role === 'master'); }
  async peerSnapshot(): Promise<NodeSnapshot> { if (!this.peerState) throw new Error('peer unreachable'); return this.peerState; }
  async refreshEligibility(): Promise<boolean> { return true; }
  async trimConfirmedJournal(): Promise<number> { return 0; }
  async journalLength(): Promise<number> { return 0; }
}

describe('FailoverAgent against the EC2 stand-in (real SDK, real HTTP)', () => {
  let standIn: Ec2StandIn;
  let endpoint: string;
  let events: string[];
  let redis: RecordedRedis;
  let agent: FailoverAgent | undefined;
  beforeAll(async () => {
    ({ standIn, endpoint } = await startEc2StandIn({
      routeTables: Object.fromEntries(TABLES.map((t) => [t, { [VIP]: PEER }])),
      instances: {},
      onReplace: (change) => events.push(`replace ${change.routeTableId} -> ${change.networkInterfaceId}`),
    }));
  });
  afterAll(async () => { await standIn.close(); });
  beforeEach(() => {
    events = [];
    redis = new RecordedRedis(events);
    standIn.hang = false;
    standIn.calls.length = 0;
    for (const t of TABLES) standIn.tables.get(t)!.set(VIP, PEER);
  });
  afterEach(() => { agent?.stop(); agent = undefined; });

  const start = (preferred: boolean, requestTimeoutMs = 2000) => {
    const routes = new RouteSteering({ region: 'ap-northeast-1', endpoint, routeTableIds: TABLES, destination: VIP, requestTimeoutMs }, log);
    agent = new FailoverAgent({ eni: ME, redis: redis as unknown as RedisRole, routes, log, reconcileIntervalMs: INTERVAL, preferred });
    agent.start();
    return agent;
  };
  const routesOn = (eni: string) => TABLES.every((t) => standIn.tables.get(t)!.get(VIP) === eni);
  const until = async (check: () => boolean, ms = 3000) => { for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (check()) return true; return check(); };

  it('promotes Redis before it steers the routes (no client reaches a replica through the VIP)', async () => {
    start(true).onState('MASTER');
    expect(await until(() => routesOn(ME))).toBe(true);
    const firstReplace = events.findIndex((e) => e.startsWith('replace'));
    expect(events.indexOf('promote')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('promote')).toBeLessThan(firstReplace);
  });

  it('while MASTER, its reconcile repairs a route moved away behind its back', async () => {
    const a = start(true);
    a.onState('MASTER');
    expect(await until(() => routesOn(ME))).toBe(true);
    await a.idle();
    standIn.setRoute('rtb-2', VIP, 'eni-somebody-else');
    expect(await until(() => routesOn(ME), 20 * INTERVAL)).toBe(true);
    expect(events.at(-1)).toBe('replace rtb-2 -> eni-me');
  });

  it('while BACKUP it demotes Redis again when it finds it master (reconcile in every state)', async () => {
    const a = start(true);
    a.onState('BACKUP');
    await until(() => events.includes('demote'));
    redis.role = 'master'; // someone ran REPLICAOF NO ONE by hand
    const before = events.filter((e) => e === 'demote').length;
    expect(await until(() => events.filter((e) => e === 'demote').length > before, 20 * INTERVAL)).toBe(true);
    expect(events.some((e) => e.startsWith('replace'))).toBe(false);
  });

  it('during a split brain the non-preferred node yields to a peer that is the leased master, backing off', async () => {
    redis.peerState = snapshot('master', true);
    const b = start(false);
    b.onState('MASTER');
    expect(await until(() => routesOn(ME))).toBe(true); // its own failover steers once
    await b.idle(); // the transition confirmed (a later move is the peer's, not a race with the confirm)
    const movedAt = Date.now();
    for (const t of TABLES) standIn.setRoute(t, VIP, PEER); // the peer (MASTER too) took them back
    await sleep(30 * INTERVAL);
    expect(routesOn(PEER)).toBe(true);
    const later = standIn.calls.filter((c) => c.at > movedAt);
    expect(later.filter((c) => c.action === 'ReplaceRoute')).toHaveLength(0);
    // Back-off: one describe finds the contest, the next comes 8 intervals later, then 16 (not one per interval).
    expect(later.length).toBeLessThanOrEqual(3);
  });

  it('the non-preferred node repairs when the peer answers and is not master (no split: a stray change)', async () => {
    redis.peerState = snapshot('slave', false);
    const b = start(false);
    b.onState('MASTER');
    expect(await until(() => routesOn(ME))).toBe(true);
    await b.idle();
    standIn.setRoute('rtb-1', VIP, PEER);
    expect(await until(() => routesOn(ME), 20 * INTERVAL)).toBe(true);
  });

  it('the preferred node keeps the routes during a split brain', async () => {
    redis.peerState = snapshot('master', true);
    const a = start(true);
    a.onState('MASTER');
    expect(await until(() => routesOn(ME))).toBe(true);
    await a.idle();
    standIn.setRoute('rtb-1', VIP, PEER);
    expect(await until(() => routesOn(ME), 20 * INTERVAL)).toBe(true);
  });

  it('a newer state supersedes a transition stuck on a hung EC2 endpoint at once', async () => {
    standIn.hang = true;
    const a = start(true, 5000);
    a.onState('MASTER');
    await until(() => standIn.calls.length > 0);
    const newer = Date.now();
    a.onState('BACKUP');
    expect(await until(() => events.includes('demote'), 1000)).toBe(true);
    expect(Date.now() - newer).toBeLessThan(1000); // not after the 5 s request timeout
  });
});

describe('RouteSteering deadlines', () => {
  it('a request to an endpoint that accepts and never answers fails after its timeout (throwOnRequestTimeout)', async () => {
    const { standIn, endpoint } = await startEc2StandIn({ routeTables: { 'rtb-1': { [VIP]: PEER } }, instances: {} });
    standIn.hang = true;
    try {
      const routes = new RouteSteering({ region: 'ap-northeast-1', endpoint, routeTableIds: ['rtb-1'], destination: VIP, requestTimeoutMs: 200 }, log);
      const outcome = await Promise.race([routes.targets().then(() => 'answered', (e: Error) => e.name), sleep(5000).then(() => 'still hanging')]);
      expect(outcome).not.toBe('still hanging');
      expect(outcome).not.toBe('answered');
    } finally {
      await standIn.close();
    }
  }, 10_000);
});
