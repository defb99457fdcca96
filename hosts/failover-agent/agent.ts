import type { Logger } from '@aws-lambda-powertools/logger';
import { pause, Superseded } from './deadline';
import type { AgentMetrics } from './metrics';
import type { VrrpState } from './notify-fifo';
import { DemotionUnproven, NotEligible, type RedisRole } from './redis-role';
import type { RouteSteering, RouteTargets } from './routes';

export type AgentState = VrrpState | 'GONE' | 'UNKNOWN';

export interface FailoverAgentOptions {
  /** This node's ENI: the VIP routes' target while it is MASTER. */
  readonly eni: string;
  readonly redis: RedisRole;
  readonly routes: RouteSteering;
  readonly log: Logger;
  readonly metrics?: AgentMetrics;
  readonly reconcileIntervalMs: number;
  /** The split-brain winner: keeps repairing routes that point at another ENI. */
  readonly preferred: boolean;
  /** One attempt of a transition (promote + steer, or demote) gives up after this long and is retried. */
  readonly transitionDeadlineMs?: number;
}

/** A yielding node re-checks the routes after 8, 16, 32 ... reconcile intervals, at most every 30. */
const YIELD_FIRST_INTERVALS = 8;
const YIELD_CAP_INTERVALS = 30;

/**
 * Turns keepalived states into actions: MASTER -> promote Redis (only an eligible dataset), then steer
 * the VIP routes here; anything else -> demote Redis without losing what it acknowledged. One piece of
 * work at a time; a newer state aborts the work in progress (every Redis and EC2 call takes the abort
 * signal and has its own deadline). Between transitions a reconcile runs every interval in every
 * state: roles, lease, eligibility, journal, and (while MASTER) routes; during a split brain only the
 * preferred node steers, the other yields with exponential, capped back-off.
 */
export class FailoverAgent {
  state: AgentState = 'UNKNOWN';
  private generation = 0;
  private controller = new AbortController();
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private timer?: NodeJS.Timeout;
  private yieldStep = 0;
  private yieldUntil = 0;
  private splitBrain = false;
  private unproven = false;
  private eligible = false;
  private journal = 0;

  constructor(private readonly o: FailoverAgentOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.o.reconcileIntervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.generation += 1;
    this.controller.abort();
  }

  /** keepalived reported `state` (or went away: GONE), or the agent learned it at (re)start. */
  onState(state: AgentState, source: 'keepalived' | 'learned' = 'keepalived'): void {
    if (source === 'learned' && state === this.state) return;
    const at = Date.now();
    const generation = ++this.generation;
    this.controller.abort();
    const controller = (this.controller = new AbortController());
    this.state = state;
    this.splitBrain = false;
    this.yieldStep = 0;
    this.yieldUntil = 0;
    this.o.log.info('keepalived state', { state, generation, source });
    this.enqueue(() => this.transition(generation, state, controller.signal, at));
  }

  /** Resolves when the work queued so far is done (tests, shutdown). */
  idle(): Promise<void> { return this.chain; }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      this.busy = true;
      try { await work(); } catch (error) {
        if (!(error instanceof Superseded)) this.o.log.error('agent work failed', { error: error as Error });
      } finally { this.busy = false; }
    });
  }

  private tick(): void {
    if (this.busy) return;
    const generation = this.generation;
    const signal = this.controller.signal;
    this.enqueue(() => this.reconcile(generation, signal));
  }

  private async transition(generation: number, state: AgentState, signal: AbortSignal, at: number): Promise<void> {
    for (let attempt = 1; generation === this.generation && !signal.aborted; attempt += 1) {
      const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(this.o.transitionDeadlineMs ?? 10_000)]);
      try {
        if (state === 'MASTER') {
          // Order matters: Redis takes writes before any client is routed to it.
          await this.o.redis.promote(attemptSignal);
          await this.o.routes.steerTo(this.o.eni, undefined, attemptSignal);
          this.o.log.info('became master: Redis promoted, VIP routes confirmed', { ms: Date.now() - at, attempt });
        } else if (state !== 'UNKNOWN') {
          const result = await this.o.redis.demote(attemptSignal);
          this.unproven = false;
          if (result === 'demoted') this.o.log.info('demoted', { state, ms: Date.now() - at, attempt });
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof DemotionUnproven) { this.fencedUnproven(error); return; }
        if (error instanceof NotEligible) {
          this.o.log.error('keepalived says MASTER but the local dataset is not eligible: not promoting, not steering', { error: error.message });
        } else {
          this.o.log.error('transition failed; retrying', { state, attempt, error: error as Error });
        }
        await pause(Math.min(1000, 100 * 2 ** attempt), signal).catch(() => undefined);
      }
    }
  }

  private fencedUnproven(error: DemotionUnproven): void {
    if (!this.unproven) this.o.log.critical('demotion unproven: staying fenced and keeping the local data (runbook: merge a fenced node)', { error: error.message });
    this.unproven = true;
    this.publish();
  }

  /** The periodic check, in every state. Never acts for a state that changed meanwhile. */
  private async reconcile(generation: number, signal: AbortSignal): Promise<void> {
    const current = () => generation === this.generation && !signal.aborted;
    try {
      if (this.state === 'MASTER') {
        const local = await this.o.redis.snapshot(undefined, signal);
        if (!current()) return;
        if (local.repl.role !== 'master' || !local.leased) {
          this.o.log.warn('reconcile: keepalived says MASTER but the local Redis is not the leased master; promoting', { role: local.repl.role });
          await this.o.redis.promote(signal);
        }
        this.eligible = await this.o.redis.refreshEligibility(signal);
        this.journal = await this.o.redis.trimConfirmedJournal(Math.min(500, this.o.reconcileIntervalMs / 2));
        if (current()) await this.reconcileRoutes(current, signal);
      } else if (this.state !== 'UNKNOWN') {
        const result = await this.o.redis.demote(signal).catch((error: unknown) => {
          if (error instanceof DemotionUnproven) { this.fencedUnproven(error); return 'unproven' as const; }
          throw error;
        });
        if (result !== 'unproven') this.unproven = false;
        if (result === 'demoted') this.o.log.info('reconcile: demoted', { state: this.state });
        this.eligible = await this.o.redis.refreshEligibility(signal);
        this.journal = await this.o.redis.journalLength();
      }
    } catch (error) {
      if (error instanceof NotEligible) this.o.log.error('reconcile: not promoting an ineligible dataset', { error: error.message });
      else if (!(error instanceof Superseded)) this.o.log.error('reconcile failed', { state: this.state, error: error as Error });
    }
    this.publish();
  }

  private async reconcileRoutes(current: () => boolean, signal: AbortSignal): Promise<void> {
    if (Date.now() < this.yieldUntil) return;
    let contested = false;
    let peerAnswered = false;
    const mayRepair = (wrong: RouteTargets): boolean => {
      if (!current() || this.state !== 'MASTER') return false;
      contested = [...wrong.values()].some((target) => target !== undefined);
      return !contested || this.o.preferred;
    };
    const repaired = await this.o.routes.repair(this.o.eni, mayRepair, signal);
    if (contested && !this.o.preferred) {
      // Is the peer the shard's master too (split brain), or did someone else move the route?
      const peer = await this.o.redis.peerSnapshot(signal).catch(() => undefined);
      peerAnswered = peer !== undefined;
      if (peer && !(peer.repl.role === 'master' && peer.leased)) {
        this.o.log.warn('VIP route points elsewhere and the peer is not master: repairing');
        await this.o.routes.steerTo(this.o.eni, undefined, signal);
        contested = false;
      }
    }
    if (contested && !this.o.preferred) {
      const intervals = Math.min(YIELD_CAP_INTERVALS, YIELD_FIRST_INTERVALS * 2 ** this.yieldStep);
      this.yieldStep += 1;
      this.yieldUntil = Date.now() + intervals * this.o.reconcileIntervalMs;
      if (!this.splitBrain) this.o.log.warn('split brain: the peer holds the VIP routes; yielding (the preferred node steers)', { peerAnswered, nextCheckS: intervals * this.o.reconcileIntervalMs / 1000 });
      this.splitBrain = true;
    } else {
      if (this.splitBrain) this.o.log.info('split brain over: the VIP routes point here again');
      this.splitBrain = false;
      this.yieldStep = 0;
    }
    if (repaired.length > 0) this.o.log.warn('reconcile repaired VIP routes', { routeTables: repaired });
  }

  private publish(): void {
    const values = { splitBrain: this.splitBrain ? 1 : 0, demotionUnproven: this.unproven ? 1 : 0, eligible: this.eligible ? 1 : 0, journalEntries: this.journal };
    this.o.metrics?.publish(values);
    this.o.log.debug('metrics', values);
  }
}
