/** What the agent reads from `INFO replication` / `INFO server`. */
export interface ReplicationInfo {
  readonly role: string;
  readonly masterHost?: string;
  /** A replica's link is up only once its initial sync completed (the dataset is the master's). */
  readonly linkUp: boolean;
  readonly syncInProgress: boolean;
  readonly connectedReplicas: number;
  readonly replid: string;
  readonly replid2: string;
  readonly offset: number;
  /** Where this node's history left replid2 (a promoted replica: the offset it was promoted at + 1). */
  readonly secondOffset: number;
}

/** Redis's "no history" id (replid2 of a node that was never promoted). */
const NO_ID = /^0+$/;

export function parseReplicationInfo(info: string): ReplicationInfo {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  return {
    role: field('role') ?? 'unknown',
    masterHost: field('master_host'),
    linkUp: field('master_link_status') === 'up',
    syncInProgress: field('master_sync_in_progress') === '1',
    connectedReplicas: Number(field('connected_slaves') ?? 0),
    replid: field('master_replid') ?? '',
    replid2: field('master_replid2') ?? '',
    offset: Number(field('master_repl_offset') ?? 0),
    secondOffset: Number(field('second_repl_offset') ?? -1),
  };
}

export function parseRunId(info: string): string | undefined {
  return /^run_id:([0-9a-f]+)/m.exec(info)?.[1];
}

/**
 * The replication history this node and the peer share, if any: a replication id that names this
 * node's dataset (its current id, the id it was promoted from, or an id it served before its Redis
 * restarted, from the agent's history file) and that the peer's dataset also descends from.
 *
 * Why that proves the peer holds everything this node acknowledged: a write this node acknowledged
 * was either confirmed by a replica (the peer is the only one; it received it in this shared history
 * and, being the leased master now, still holds it), or acknowledged alone and then journalled, and
 * the journal is replayed into the peer before REPLICAOF. Without a shared history the peer's data
 * did not come from this node's, and nothing tells which of this node's writes it lacks.
 */
export function sharedHistory(local: { replid: string; replid2: string; previous: readonly string[] }, peer: { replid: string; replid2: string }): string | undefined {
  const ours = new Set([local.replid, local.replid2, ...local.previous].filter((id) => id && !NO_ID.test(id)));
  return [peer.replid, peer.replid2].find((id) => ours.has(id));
}
