import * as dgram from 'node:dgram';

/** The metric names the agent publishes (lib/host-config/observability/metric-contract.ts names them for the alarms). */
export const AGENT_METRICS = {
  /** 1 while this node is MASTER and yields the routes to the peer (both MASTER: split brain). */
  splitBrain: 'RedisSplitBrain',
  /** 1 while this node stays fenced because demotion could not prove the peer holds its data. */
  demotionUnproven: 'RedisDemotionUnproven',
  /** 1 while the local Redis may become MASTER (synced since start, leased master, or bootstrapped). */
  eligible: 'RedisEligible',
  /** Entries in the local journal (acknowledged alone, not yet confirmed by a replica). */
  journalEntries: 'RedisJournalEntries',
} as const;

export interface MetricsTarget {
  readonly namespace: string;
  readonly environment: string;
  readonly shard: number;
  readonly node: string;
  readonly udp?: { readonly host: string; readonly port: number };
}

/**
 * Embedded-metric-format events to the CloudWatch agent's EMF listener (UDP, like the host collector),
 * dimensions [Environment, Shard, Node] and [Environment, Shard]. Fire and forget: a metric must never
 * block or fail a failover.
 */
export class AgentMetrics {
  private readonly socket?: dgram.Socket;
  constructor(private readonly target: MetricsTarget) {
    if (target.udp) {
      this.socket = dgram.createSocket('udp4');
      this.socket.on('error', () => undefined);
      this.socket.unref();
    }
  }

  /** The EMF line for these values (also what the agent logs). */
  line(values: Partial<Record<keyof typeof AGENT_METRICS, number>>, now = Date.now()): string {
    const entries = Object.entries(values).map(([k, v]) => [AGENT_METRICS[k as keyof typeof AGENT_METRICS], v] as const);
    return JSON.stringify({
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [{
          Namespace: this.target.namespace,
          Dimensions: [['Environment', 'Shard', 'Node'], ['Environment', 'Shard']],
          Metrics: entries.map(([name]) => ({ Name: name, Unit: 'Count' })),
        }],
      },
      Environment: this.target.environment, Shard: String(this.target.shard), Node: this.target.node,
      ...Object.fromEntries(entries),
    });
  }

  publish(values: Partial<Record<keyof typeof AGENT_METRICS, number>>): void {
    if (!this.socket || !this.target.udp) return;
    this.socket.send(`${this.line(values)}\n`, this.target.udp.port, this.target.udp.host);
  }

  close(): void { this.socket?.close(); }
}
