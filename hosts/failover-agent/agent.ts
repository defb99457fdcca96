import type { Logger } from '@aws-lambda-powertools/logger';
import type { VrrpState } from './notify-fifo';
import { RedisRole, Superseded } from './redis-role';
import type { RouteSteering } from './routes';

export type AgentState = VrrpState | 'GONE' | 'UNKNOWN';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Turns keepalived states into actions: MASTER -> promote Redis, steer the VIP routes here; anything
 * else -> demote Redis (journal merged first). Transitions run one at a time; a newer state supersedes
 * the one in progress. While MASTER a timer repairs routes that point elsewhere (after a split brain
 * only the loser is notified, so the winner must notice by itself).
 */
export class FailoverAgent {
  private state: AgentState = 'UNKNOWN';
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly eni: string,
    private readonly redis: RedisRole,
    private readonly routes: RouteSteering,
    private readonly log: Logger,
    private readonly reconcileIntervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => { void this.reconcile(); }, this.reconcileIntervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.generation += 1;
  }

  /** keepalived reported `state` (or went away: GONE, treated like FAULT). */
  onState(state: AgentState): void {
    const at = Date.now();
    const generation = ++this.generation;
    this.state = state;
    this.log.info('keepalived state', { state, generation });
    this.queue = this.queue.then(() => this.apply(generation, state, at));
  }

  private current(generation: number): boolean {
    return generation === this.generation;
  }

  private async apply(generation: number, state: AgentState, at: number): Promise<void> {
    for (let attempt = 1; this.current(generation); attempt += 1) {
      try {
        if (state === 'MASTER') {
          await this.redis.promote();
          await this.routes.steerTo(this.eni);
          this.log.info('became master: Redis promoted, VIP routes confirmed', { ms: Date.now() - at, attempt });
        } else {
          await this.redis.demote(() => this.current(generation));
          this.log.info('demoted', { state, ms: Date.now() - at, attempt });
        }
        return;
      } catch (error) {
        if (error instanceof Superseded) return;
        this.log.error('transition failed; retrying', { state, attempt, error: error as Error });
        await sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
      }
    }
  }

  /** Periodic check while MASTER: Redis still master, routes still here. Skipped while a transition runs. */
  private async reconcile(): Promise<void> {
    if (this.state !== 'MASTER') return;
    const generation = this.generation;
    await this.queue;
    // A state change may arrive while this check awaits (e.g. a frozen master resumes, its timer fires
    // first, then keepalived reports BACKUP): re-check before every action, never steer as a non-master.
    const stillMaster = () => this.current(generation) && this.state === 'MASTER';
    if (!stillMaster()) return;
    try {
      const role = await this.redis.role();
      if (!stillMaster()) return;
      if (role.role !== 'master') {
        this.log.warn('reconcile: local Redis is not master while keepalived says MASTER; promoting');
        await this.redis.promote();
      }
      await this.routes.repair(this.eni, stillMaster);
    } catch (error) {
      this.log.error('reconcile failed', { error: error as Error });
    }
  }
}
