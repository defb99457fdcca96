import { NODE_PATHS as P } from './paths';

/** Our own Redis unit (not the distribution's) so the config path and restart policy are ours. */
export function renderRedisUnit(): string {
  return `[Unit]
Description=Redis shard node (monsaas)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${P.redisServer} ${P.redisConf}
User=redis
Group=redis
Restart=always
RestartSec=2
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

/** The resident failover agent: started before keepalived so no state change is missed. */
export function renderAgentUnit(): string {
  return `[Unit]
Description=Redis shard failover agent (route table + replication roles)
After=network-online.target monsaas-redis.service
Wants=network-online.target
Before=keepalived.service

[Service]
ExecStart=${P.node} --enable-source-maps ${P.agentBundle} ${P.agentConfig}
Restart=always
RestartSec=1
RuntimeDirectory=monsaas
RuntimeDirectoryPreserve=yes
# The replication ids this node served: demotion proof after a Redis restart.
StateDirectory=monsaas-failover-agent

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Drop-in for the distribution's keepalived unit: always restarted, and pulled in at boot (the
 * operators once lost a failover because keepalived was not running after a reboot).
 */
export function renderKeepalivedDropIn(): string {
  return `[Unit]
After=monsaas-redis.service monsaas-failover-agent.service
Wants=monsaas-failover-agent.service

[Service]
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
`;
}
