export interface KeepalivedConfParams {
  readonly routerId: string;
  readonly instanceName: string;
  readonly interface: string;
  readonly virtualRouterId: number;
  readonly priority: number;
  readonly advertIntervalMs: number;
  readonly srcIp: string;
  readonly peerIp: string;
  readonly vip: string;
  /** Health check: exits 0 while the local Redis answers. */
  readonly checkScript: string;
  /** keepalived writes every state change here; the resident failover agent reads it (no process per event). */
  readonly notifyFifo: string;
  /** Extra global_defs lines (the drill sets pid files per node; a host uses the defaults). */
  readonly extraGlobalDefs?: readonly string[];
}

/** Seconds with up to 3 decimals, as keepalived reads advert_int. */
function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/**
 * keepalived.conf for one node of a shard pair: VRRPv3 (sub-second adverts) over unicast (a VPC has no
 * multicast), both nodes BACKUP + nopreempt so a returning node never takes over a healthy master, a
 * vrrp_script on Redis (a dead Redis makes the node FAULT and gives the VIP away), and notify_fifo to the agent.
 */
export function renderKeepalivedConf(p: KeepalivedConfParams): string {
  return `# Rendered by lib/host-config/redis/keepalived-conf.ts: do not edit on the host.
global_defs {
  router_id ${p.routerId}
  vrrp_version 3
  script_user root
  enable_script_security
  notify_fifo ${p.notifyFifo}
${(p.extraGlobalDefs ?? []).map((l) => `  ${l}\n`).join('')}}

vrrp_script redis_alive {
  script "${p.checkScript}"
  interval 1
  timeout 1
  fall 2
  rise 2
}

vrrp_instance ${p.instanceName} {
  state BACKUP
  nopreempt
  interface ${p.interface}
  virtual_router_id ${p.virtualRouterId}
  priority ${p.priority}
  advert_int ${seconds(p.advertIntervalMs)}
  unicast_src_ip ${p.srcIp}
  unicast_peer {
    ${p.peerIp}
  }
  virtual_ipaddress {
    ${p.vip}/32 dev ${p.interface}
  }
  track_script {
    redis_alive
  }
}
`;
}
