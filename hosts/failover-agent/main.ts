/**
 * Redis shard failover agent: a resident process fed by keepalived's notify FIFO.
 *   node failover-agent.js /etc/monsaas/failover-agent.json
 */
import * as fs from 'node:fs';
import { FailoverAgent } from './agent';
import { loadAgentConfig } from './config';
import { primaryInterfaceId } from './imds';
import { createLogger } from './log';
import { followNotifyFifo } from './notify-fifo';
import { RedisRole } from './redis-role';
import { RouteSteering } from './routes';

async function main(): Promise<void> {
  const config = loadAgentConfig(process.argv[2] ?? '/etc/monsaas/failover-agent.json');
  const log = createLogger(config.nodeName);
  const password = config.redis.passwordFile ? fs.readFileSync(config.redis.passwordFile, 'utf8').trim() : undefined;
  let eni: string | undefined;
  for (let attempt = 1; !eni; attempt += 1) {
    try {
      eni = await primaryInterfaceId(config.imdsEndpoint);
    } catch (error) {
      log.warn('instance metadata not reachable yet', { attempt, error: error as Error });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const redis = new RedisRole(
    { host: config.redis.host, port: config.redis.port, password },
    { host: config.peerIp, port: config.redis.port, password },
    log,
  );
  const routes = new RouteSteering({ region: config.region, endpoint: config.ec2Endpoint, routeTableIds: config.routeTableIds, destination: `${config.vip}/32` }, log);
  const agent = new FailoverAgent(eni, redis, routes, log, config.reconcileIntervalMs);
  agent.start();
  const stopFifo = followNotifyFifo(config.notifyFifo, (state) => agent.onState(state), () => agent.onState('GONE'));
  // Warm the SDK (modules, credentials, signing, connection) now, not on the failover path
  // (not awaited: a state change arriving meanwhile is handled at once).
  void routes.targets().then(
    (targets) => log.info('VIP routes at start', { targets: Object.fromEntries(targets) }),
    (error: unknown) => log.warn('could not describe the VIP routes at start', { error: error as Error }),
  );
  log.info('failover agent started', { eni, shard: config.shard, vip: config.vip, routeTables: config.routeTableIds });
  const shutdown = () => { stopFifo(); agent.stop(); redis.disconnect(); process.exit(0); };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'CRITICAL', message: 'failover agent failed to start', error: String(error) }));
  process.exit(1);
});
