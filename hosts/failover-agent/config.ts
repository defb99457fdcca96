import * as fs from 'node:fs';

/** The agent's configuration file (rendered by lib/host-config/redis/agent-config.ts). */
export interface AgentConfig {
  readonly nodeName: string;
  readonly environment: string;
  readonly shard: number;
  /** "a" (preferred) or "b": the Node dimension of the agent's metrics. */
  readonly nodeRole: string;
  /**
   * The preferred node (higher keepalived priority) keeps the routes during a split brain; the other
   * backs off. keepalived resolves a split the same way (the lower priority steps down).
   */
  readonly preferred: boolean;
  /** The shard's VIP; its /32 route is what the agent steers. */
  readonly vip: string;
  readonly peerIp: string;
  readonly region: string;
  /** Every route table holding the VIP route (private subnets of every AZ). */
  readonly routeTableIds: readonly string[];
  readonly redis: { readonly host: string; readonly port: number; readonly passwordFile?: string };
  /** keepalived's notify_fifo. */
  readonly notifyFifo: string;
  /** keepalived's VRRP child pid file and the interface holding the VIP: the state after the agent's own restart. */
  readonly keepalivedPidFile: string;
  readonly interface: string;
  /** Holds the run_id of the local Redis once it may become MASTER (keepalived's check script reads it). */
  readonly eligibilityFile: string;
  /** Replication ids this node's Redis served (survives restarts of Redis and the agent). */
  readonly historyFile: string;
  /** Reconcile (routes, roles, journal, eligibility) this often. */
  readonly reconcileIntervalMs: number;
  /** Where the agent's metrics go (CloudWatch agent's EMF listener); unset: log only. */
  readonly emfUdp?: { readonly host: string; readonly port: number };
  readonly metricsNamespace: string;
  /** Overrides for the drill's stand-ins; unset on hosts. */
  readonly ec2Endpoint?: string;
  readonly imdsEndpoint?: string;
}

export function loadAgentConfig(file: string): AgentConfig {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as AgentConfig;
}
