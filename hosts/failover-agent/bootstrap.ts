import type { EligibilityMarker } from './node-files';
import type { RedisRole } from './redis-role';

/**
 * The explicit, operator-run bootstrap: marks the local Redis process eligible to become MASTER
 * although it never synced from a master. Refuses when the peer is the leased master (this node just
 * syncs from it) and, without `force`, when the local dataset is not empty (choosing which of two
 * non-empty nodes wins is the operator's decision, made with the runbook's comparison).
 */
export async function bootstrap(redis: RedisRole, marker: EligibilityMarker, options: { force: boolean }): Promise<string> {
  const local = await redis.snapshot();
  const peer = await redis.peerSnapshot().catch(() => undefined);
  if (peer?.repl.role === 'master' && peer.leased) {
    throw new Error('the peer is the shard\'s leased master: this node becomes eligible by syncing from it; nothing to bootstrap');
  }
  const keys = await redis.dataKeys();
  if (keys > 0 && !options.force) {
    throw new Error(`the local Redis holds ${keys} keys: compare both nodes (runbook) and re-run with --force on the one to keep`);
  }
  marker.write(local.runId);
  return `bootstrapped: local Redis ${local.runId} (${keys} keys, offset ${local.repl.offset}) is eligible; keepalived's check passes within 2 s and the agent promotes it when keepalived makes it MASTER`;
}
