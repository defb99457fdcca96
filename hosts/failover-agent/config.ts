import * as fs from 'node:fs';

/** The agent's configuration file (rendered by lib/host-config/redis/agent-config.ts). */
export interface AgentConfig {
  readonly nodeName: string;
  readonly shard: number;
  /** The shard's VIP; its /32 route is what the agent steers. */
  readonly vip: string;
  readonly peerIp: string;
  readonly region: string;
  /** Every route table holding the VIP route (private subnets of every AZ). */
  readonly routeTableIds: readonly string[];
  readonly redis: { readonly host: string; readonly port: number; readonly passwordFile?: string };
  /** keepalived's notify_fifo. */
  readonly notifyFifo: string;
  /** While MASTER, re-check (and repair) the routes this often. */
  readonly reconcileIntervalMs: number;
  /** Overrides for the drill's stand-ins; unset on hosts. */
  readonly ec2Endpoint?: string;
  readonly imdsEndpoint?: string;
}

export function loadAgentConfig(file: string): AgentConfig {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as AgentConfig;
}
