import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EnvConfig } from '../../config-schema/schema';
import { renderCloudConfig, type HostFile } from '../cloud-init';
import { renderHostObservability, subnetsByAz } from '../observability';
import type { RenderedHost } from '../rendered-host';
import { RESOLVER_METRICS_NAMESPACE, resolverName } from './metrics';
import { UNBOUND_CONF_PATH, VPC_RESOLVER, unboundSettings } from './settings';
import { CONFIG_REFRESH_UNIT, STATS_SCRIPT_PATH, configRefreshUnit, runDirectoryTmpfile, statsPublisherUnits, unboundDropIn } from './systemd';
import { renderUnboundConf } from './unbound-conf';

export { renderUnboundConf } from './unbound-conf';
export { unboundSettings, type UnboundSettings } from './settings';
export { resolverName } from './metrics';

/** The on-host statistics publisher, shipped as written (tested against a real unbound). */
export const STATS_SCRIPT_SOURCE = path.resolve(__dirname, '../../../hosts/unbound-stats/unbound_stats.py');

/** Where cloud-init keeps an instance's user data: the rendered cloud-config is listed there for review. */
export const USER_DATA_PATH = '/var/lib/cloud/instance/user-data.txt';
const HOST_RESOLV_CONF = '/etc/unbound/host-resolv.conf';

/** Host metrics (CloudWatch agent, process counts, TCP counters, inter-AZ accounting) of resolver `index`. */
function resolverObservability(config: EnvConfig, index: number) {
  return renderHostObservability(config, {
    role: 'resolver',
    host: resolverName(index),
    az: config.availabilityZones[index % config.availabilityZones.length]!,
    subnetsByAz: subnetsByAz(config),
    processes: ['unbound'],
  });
}

/** Every file resolver `index` gets on first boot (and again on every later boot, see configRefreshUnit). */
export function resolverFiles(config: EnvConfig, index: number): HostFile[] {
  return [
    { path: UNBOUND_CONF_PATH, content: renderUnboundConf(unboundSettings(config, index)) },
    // The resolver itself resolves through the VPC resolver: its agents and package manager must not
    // depend on the unbound it hosts (or on the DHCP list that names it).
    { path: HOST_RESOLV_CONF, content: `# The resolver host's own lookups bypass its unbound.\nnameserver ${VPC_RESOLVER}\noptions timeout:2 attempts:2\n` },
    runDirectoryTmpfile(),
    unboundDropIn(),
    configRefreshUnit(),
    ...statsPublisherUnits({
      namespace: RESOLVER_METRICS_NAMESPACE,
      environment: config.name,
      resolver: resolverName(index),
      region: config.region,
    }),
    { path: STATS_SCRIPT_PATH, content: fs.readFileSync(STATS_SCRIPT_SOURCE, 'utf8'), permissions: '0755' },
    ...resolverObservability(config, index).files,
  ];
}

/** The #cloud-config user data of resolver `index` (Amazon Linux 2023: dnf, systemd, AWS CLI, SSM agent). */
export function resolverCloudConfig(config: EnvConfig, index: number): string {
  const observability = resolverObservability(config, index);
  return renderCloudConfig({
    packages: ['unbound', 'bind-utils', ...observability.packages],
    writeFiles: resolverFiles(config, index),
    runcmd: [
      ['sh', '-c', `rm -f /etc/resolv.conf && cp ${HOST_RESOLV_CONF} /etc/resolv.conf`],
      ['systemd-tmpfiles', '--create', '/etc/tmpfiles.d/unbound-control.conf'],
      ['systemctl', 'daemon-reload'],
      ['unbound-checkconf', UNBOUND_CONF_PATH],
      ['systemctl', 'enable', CONFIG_REFRESH_UNIT],
      ['systemctl', 'enable', '--now', 'unbound.service'],
      ['systemctl', 'restart', 'unbound.service'],
      ['systemctl', 'enable', '--now', 'unbound-stats.timer'],
      ...observability.runcmd,
    ],
  });
}

/** Every resolver's rendered files (unbound.conf, units, publisher) and its cloud-config. */
export function renderResolverHosts(config: EnvConfig): RenderedHost[] {
  return Array.from({ length: config.resolvers.count }, (_, index) => ({
    name: resolverName(index),
    files: [...resolverFiles(config, index), { path: USER_DATA_PATH, content: resolverCloudConfig(config, index) }],
  }));
}
