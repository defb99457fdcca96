/**
 * Redis shard failover agent: a resident process fed by keepalived's notify FIFO.
 *   node failover-agent.js [CONFIG]                       run (systemd: monsaas-failover-agent.service)
 *   node failover-agent.js --bootstrap [--force] CONFIG   make this node's dataset eligible (runbook)
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { FailoverAgent } from './agent';
import { bootstrap } from './bootstrap';
import { loadAgentConfig, type AgentConfig } from './config';
import { primaryInterfaceId } from './imds';
import { createLogger } from './log';
import { AgentMetrics } from './metrics';
import { EligibilityMarker, ReplicationHistory } from './node-files';
import { followNotifyFifo } from './notify-fifo';
import { RedisRole } from './redis-role';
import { RouteSteering } from './routes';
import { learnVrrpState } from './vrrp-state';

const USAGE = `usage: failover-agent [CONFIG]                      run the agent (default /etc/monsaas/failover-agent.json)
       failover-agent --bootstrap [--force] CONFIG  mark this node's Redis eligible to become MASTER
         (a brand-new empty pair, or the node an operator chose after both lost their data; see
          docs/runbooks/redis-failover.md#bootstrap-a-pair-that-has-no-eligible-node)`;

function redisRole(config: AgentConfig, log: ReturnType<typeof createLogger>): RedisRole {
  const password = config.redis.passwordFile ? fs.readFileSync(config.redis.passwordFile, 'utf8').trim() : undefined;
  return new RedisRole(
    { host: config.redis.host, port: config.redis.port, password },
    { host: config.peerIp, port: config.redis.port, password },
    log, new EligibilityMarker(config.eligibilityFile), new ReplicationHistory(config.historyFile),
  );
}

async function run(config: AgentConfig): Promise<void> {
  const log = createLogger(config.nodeName);
  let eni: string | undefined;
  for (let attempt = 1; !eni; attempt += 1) {
    try {
      eni = await primaryInterfaceId(config.imdsEndpoint);
    } catch (error) {
      log.warn('instance metadata not reachable yet', { attempt, error: error as Error });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const redis = redisRole(config, log);
  const routes = new RouteSteering({ region: config.region, endpoint: config.ec2Endpoint, routeTableIds: config.routeTableIds, destination: `${config.vip}/32` }, log);
  const metrics = new AgentMetrics({ namespace: config.metricsNamespace, environment: config.environment, shard: config.shard, node: config.nodeRole, udp: config.emfUdp });
  const agent = new FailoverAgent({ eni, redis, routes, log, metrics, reconcileIntervalMs: config.reconcileIntervalMs, preferred: config.preferred });
  agent.start();
  // The state now, without waiting for keepalived's next transition (the agent may have restarted
  // under a running keepalived); again whenever keepalived (re)opens the FIFO.
  const learn = () => { const state = learnVrrpState(config); if (state) agent.onState(state, 'learned'); };
  const stopFifo = followNotifyFifo(config.notifyFifo, (state) => agent.onState(state), () => agent.onState('GONE'), learn);
  learn();
  // Not learned yet (keepalived was just starting): ask again until it is, or keepalived reports it.
  setInterval(() => { if (agent.state === 'UNKNOWN') learn(); }, 1000).unref();
  // Warm the SDK (modules, signing, connection) now, not on the failover path (not awaited).
  void routes.targets().then(
    (targets) => log.info('VIP routes at start', { targets: Object.fromEntries(targets) }),
    (error: unknown) => log.warn('could not describe the VIP routes at start', { error: error as Error }),
  );
  log.info('failover agent started', { eni, shard: config.shard, vip: config.vip, routeTables: config.routeTableIds, preferred: config.preferred, state: agent.state });
  const shutdown = () => { stopFifo(); agent.stop(); redis.disconnect(); metrics.close(); process.exit(0); };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { bootstrap: { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`failover-agent: ${(error as Error).message} (--help for usage)`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) { console.log(USAGE); return; }
  if (positionals.length > 1) { console.error('failover-agent: one CONFIG at most (--help for usage)'); process.exit(2); }
  const config = loadAgentConfig(positionals[0] ?? '/etc/monsaas/failover-agent.json');
  if (values.bootstrap) {
    const log = createLogger(config.nodeName);
    const redis = redisRole(config, log);
    bootstrap(redis, new EligibilityMarker(config.eligibilityFile), { force: values.force === true }).then(
      (message) => { console.log(message); redis.disconnect(); process.exit(0); },
      (error: unknown) => { console.error(`failover-agent --bootstrap: ${(error as Error).message}`); redis.disconnect(); process.exit(1); },
    );
    return;
  }
  run(config).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'CRITICAL', message: 'failover agent failed to start', error: String(error) }));
    process.exit(1);
  });
}

main();
