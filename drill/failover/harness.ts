import type { Ec2ApiCall, RouteChange } from './ec2-stand-in';
import type { LineChild } from './line-child';
import { setPairLink, type DrillNetwork } from './netns';
import type { PairNode } from './pair-node';

export const VIP = '192.168.255.10';
export const ENI = { a: 'eni-0drill0000000000a', b: 'eni-0drill0000000000b' } as const;
export const ROUTE_TABLES = ['rtb-0drill00000000001', 'rtb-0drill00000000002'];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Ack { seq: number; t: number; node: string; journalled: boolean }

/**
 * What the scenarios see of the drill: the two nodes, the stand-in's record of route changes and EC2
 * calls, the client's acknowledgements, and the checks every scenario ends with.
 */
export class Harness {
  readonly changes: RouteChange[] = [];
  readonly calls: Ec2ApiCall[] = [];
  readonly acks: Ack[] = [];
  readonly routeOf = new Map<string, string>(ROUTE_TABLES.map((id) => [id, ENI.a]));

  constructor(
    readonly a: PairNode,
    readonly b: PairNode,
    readonly net: DrillNetwork,
    readonly standIn: LineChild,
    readonly log: (line: string) => void,
    readonly reconcileIntervalMs: number,
  ) {}

  get nodes(): [PairNode, PairNode] { return [this.a, this.b]; }
  other(node: PairNode): PairNode { return node === this.a ? this.b : this.a; }
  eniOf(node: PairNode): string { return ENI[node.name]; }
  nodeOfIp(ip: string): PairNode | undefined { return this.nodes.find((n) => n.options.ip === ip); }

  onChange(change: RouteChange): void { this.changes.push(change); this.routeOf.set(change.routeTableId, change.networkInterfaceId); }
  onCall(call: Ec2ApiCall): void { this.calls.push(call); }

  masters(): PairNode[] { return this.nodes.filter((node) => node.keepalivedState.state === 'MASTER'); }

  /**
   * One keepalived MASTER, every route on it, its Redis master, the other a linked replica of it;
   * `standbyReady`: that replica is also back in the election (keepalived BACKUP: eligible).
   */
  healthy(standbyReady = false): PairNode | undefined {
    const masters = this.masters();
    if (masters.length !== 1) return undefined;
    const master = masters[0]!;
    if (![...this.routeOf.values()].every((eni) => eni === this.eniOf(master))) return undefined;
    if (!/role:master/.test(master.cli('info', 'replication'))) return undefined;
    const info = this.other(master).cli('info', 'replication');
    if (!(/role:slave/.test(info) && info.includes(`master_host:${master.options.ip}`) && /master_link_status:up/.test(info))) return undefined;
    if (standbyReady && this.other(master).keepalivedState.state !== 'BACKUP') return undefined;
    return master;
  }

  async waitHealthy(timeoutMs: number, options: { standbyReady?: boolean } = {}): Promise<{ master: PairNode; at: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const master = this.healthy(options.standbyReady);
      if (master) return { master, at: Date.now() };
      if (Date.now() > deadline) {
        throw new Error(`pair did not converge: states a=${this.a.keepalivedState.state} b=${this.b.keepalivedState.state} routes=${JSON.stringify([...this.routeOf])}`);
      }
      await sleep(100);
    }
  }

  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs: number, stepMs = 50): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out (${timeoutMs} ms) waiting for ${what}`);
      await sleep(stepMs);
    }
  }

  /** When every table's route had been replaced to `node` since `since` (the last of those changes). */
  routeOnSince(node: PairNode, since: number): number | undefined {
    const eni = this.eniOf(node);
    const recent = this.changes.filter((c) => c.at >= since && c.networkInterfaceId === eni);
    if (!ROUTE_TABLES.every((id) => recent.some((c) => c.routeTableId === id))) return undefined;
    return Math.max(...ROUTE_TABLES.map((id) => recent.find((c) => c.routeTableId === id)!.at));
  }

  waitRouteOn(node: PairNode, since: number, timeoutMs = 20_000): Promise<number> {
    return this.waitFor(`the VIP routes to move to ${node.name}`, () => this.routeOnSince(node, since), timeoutMs, 20);
  }

  callsBetween(from: number, to: number, node?: PairNode): Ec2ApiCall[] {
    return this.calls.filter((c) => c.at >= from && c.at <= to && (!node || c.from === node.options.ip));
  }

  /** Moves every VIP route to `eni` by hand (behind the agents' backs). */
  moveRoutes(eni: string): void {
    for (const routeTableId of ROUTE_TABLES) this.standIn.send({ cmd: 'route', routeTableId, destination: `${VIP}/32`, eni });
  }

  hangEc2(on: boolean): void { this.standIn.send({ cmd: 'hang', on }); }
  cutPairLink(): void { setPairLink(this.net, false); }
  restorePairLink(): void { setPairLink(this.net, true); }

  /** Entries in a node's journal (acknowledged alone, not yet confirmed by a replica). */
  journal(node: PairNode): number { return Number(node.cli('xlen', '{monsaas}:journal').trim() || 0); }

  /** The node's Redis holds the lease with its own run_id (the agent promoted this process). */
  leased(node: PairNode): boolean {
    const runId = /run_id:([0-9a-f]+)/.exec(node.cli('info', 'server'))?.[1];
    return runId !== undefined && node.cli('get', '{monsaas}:lease').trim() === runId;
  }

  replicates(node: PairNode, master: PairNode): boolean {
    const info = node.cli('info', 'replication');
    return /role:slave/.test(info) && info.includes(`master_host:${master.options.ip}`);
  }
}
