import type { ChainableCommander, Redis } from 'ioredis';

/** A shard write that did not become durable: the caller must not acknowledge its records. */
export class DurabilityError extends Error {
  override readonly name = 'DurabilityError';
}

/**
 * Keys of the durability protocol, shared with the failover agent (hosts/failover-agent). The hash tag
 * keeps them in one slot should the shards ever become a cluster.
 */
export const DURABILITY_KEYS = {
  /** Stream of writes acknowledged while no standby confirmed them; merged into the winner on demotion. */
  journal: '{monsaas}:journal',
  /**
   * The run_id of the Redis process the failover agent promoted. A node acknowledges alone only while
   * this names its own process: a restarted Redis (new run_id), a promoted replica that still carries
   * the old master's lease, or a node being demoted (the agent deletes it: the fence) acknowledges
   * nothing alone until the agent decides it is the shard's master.
   */
  lease: '{monsaas}:lease',
} as const;

export interface DurableWriteOptions {
  /** How long to wait for the standby to confirm, ms, before falling back to the journal. */
  readonly replicaTimeoutMs: number;
}

/** One recorded command: name and arguments, replayable with ioredis (`redis.call(name, ...args)`). */
export type RecordedCommand = [string, ...Array<string | number>];

/** Captures what `build` queues, so the same commands can be journalled and replayed elsewhere. */
export function recordCommands(build: (pipeline: ChainableCommander) => void): RecordedCommand[] {
  const commands: RecordedCommand[] = [];
  const recorder: ChainableCommander = new Proxy({} as ChainableCommander, {
    get: (_target, name) => (...args: unknown[]) => {
      commands.push([String(name), ...flattenArgs(args)]);
      return recorder;
    },
  });
  build(recorder);
  return commands;
}

/** ioredis accepts objects/maps for HSET/MSET; the journal stores plain argument lists. */
function flattenArgs(args: unknown[]): Array<string | number> {
  return args.flatMap((arg): Array<string | number> => {
    if (typeof arg === 'string' || typeof arg === 'number') return [arg];
    if (Buffer.isBuffer(arg)) return [arg.toString('latin1')];
    if (arg instanceof Map) return [...arg.entries()].flatMap(([k, v]) => flattenArgs([k, v]));
    if (Array.isArray(arg)) return flattenArgs(arg);
    if (arg && typeof arg === 'object') return Object.entries(arg).flatMap(([k, v]) => flattenArgs([k, v]));
    throw new TypeError(`durableShardWrite: cannot journal argument ${String(arg)}`);
  });
}

/**
 * Journals one batch only under this process's lease. Atomic with respect to the agent's demotion
 * (which deletes the lease, then reads the journal): an entry is either merged into the winner or
 * refused. On a replica the XADD fails with READONLY. Each entry names the Redis process that
 * acknowledged it (`r`): a replica's copy of its master's journal is never merged back into it. Entries leave the journal only when the agent
 * saw a replica confirm them (never by age: an acknowledged write must survive however long the pair
 * stays degraded; maxmemory and its alarm bound it).
 */
const JOURNAL_SCRIPT = `
local lease = redis.call('GET', KEYS[1])
if not lease then return 0 end
local runid = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
if lease ~= runid then return 0 end
redis.call('XADD', KEYS[2], '*', 'c', ARGV[1], 'r', runid)
return 1
`;

/**
 * THE contract between the TSDB writer and the Redis shard pair: runs the shard's pipeline and resolves
 * (with the path that made them durable) only when the writes are durable enough to let Kinesis move
 * past them; throws DurabilityError
 * otherwise (the writer reports those records as batch item failures and Kinesis retries them; writes
 * are idempotent).
 *
 * Durable means one of:
 *  1. the standby confirmed them (WAIT 1): whichever node wins any later failover holds them; or
 *  2. no standby confirmed in time, but this node is the leased master and journalled them
 *     ({monsaas}:journal). Before a node ever becomes a replica (and so discards its data), its failover
 *     agent fences it, proves the new master's history continues this node's, replays its journal into
 *     it, and only then runs REPLICAOF. So writes acknowledged alone (standby dead, frozen, or split
 *     brain) survive whichever node wins.
 * Path 2 keeps the shard writable while its standby is down (fast first writes after a failover), and
 * costs journal memory only while the pair is degraded.
 */
export async function durableShardWrite(
  redis: Redis,
  build: (pipeline: ChainableCommander) => void,
  options: DurableWriteOptions,
): Promise<'replicated' | 'journalled'> {
  if (redis.status !== 'ready') {
    // Connect first, so the socket compared below is the one the writes travel on.
    if (redis.status === 'wait') await redis.connect().catch(() => undefined);
    await redis.ping().catch((error: Error) => { throw new DurabilityError(`not connected: ${error.message}`); });
  }
  // The writes and their confirmation must travel on ONE connection: after a failover ioredis reconnects
  // (and may resend unanswered commands) to whichever node the VIP now reaches, and a WAIT answered by
  // the new master says nothing about writes the old one took. A changed socket means "not durable".
  const connection = redis.stream;
  const pipeline = redis.pipeline();
  build(pipeline);
  pipeline.call('WAIT', '1', String(options.replicaTimeoutMs));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw new DurabilityError(`pipeline failed: ${String(failed[0])}`);
  if (redis.stream !== connection) throw new DurabilityError('the connection changed during the write; not acknowledging');
  const replicas = Number(results[results.length - 1]?.[1] ?? 0);
  if (replicas >= 1) return 'replicated';
  // Only a batch no replica confirmed is journalled, so only then are its commands recorded.
  const commands = recordCommands(build);
  let journalled: unknown;
  try {
    journalled = await redis.eval(JOURNAL_SCRIPT, 2, DURABILITY_KEYS.lease, DURABILITY_KEYS.journal, JSON.stringify(commands));
  } catch (error) {
    throw new DurabilityError(`no replica confirmed and the journal refused the batch: ${(error as Error).message}`);
  }
  if (redis.stream !== connection) throw new DurabilityError('the connection changed during the write; not acknowledging');
  if (journalled !== 1) throw new DurabilityError('no replica confirmed and this node holds no lease (fenced, restarted or not yet promoted)');
  return 'journalled';
}
