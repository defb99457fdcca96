import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EnvConfig } from '../../config-schema/schema';
import { renderHostBundle, type BundleAction, type BundleSpec } from '../bundle';
import { renderCloudConfig, type HostFile } from '../cloud-init';
import { renderHostObservability, subnetsByAz } from '../observability';
import type { RenderedHost } from '../rendered-host';
import { HOST_OBSERVABILITY_PATHS } from '../observability';
import { RESOLVER_METRICS_NAMESPACE, resolverName } from './metrics';
import { CONTROL_SOCKET, UNBOUND_CONF_PATH, VPC_RESOLVER, unboundSettings } from './settings';
import { STATS_SCRIPT_PATH, runDirectoryTmpfile, statsPublisherUnits, unboundDropIn } from './systemd';
import { renderUnboundConf } from './unbound-conf';

export { renderUnboundConf } from './unbound-conf';
export { unboundSettings, type UnboundSettings } from './settings';
export { resolverName } from './metrics';

/** The on-host statistics publisher, shipped as written (tested against a real unbound). */
export const STATS_SCRIPT_SOURCE = path.resolve(__dirname, '../../../hosts/unbound-stats/unbound_stats.py');

/** Where cloud-init keeps an instance's user data: the rendered cloud-config is listed there for review. */
export const USER_DATA_PATH = '/var/lib/cloud/instance/user-data.txt';
/** Where render-hosts puts a resolver's bundle document (as uploaded). */
export const RENDERED_BUNDLE_PATH = '/host-bundle/bundle.json';
const HOST_RESOLV_CONF = '/etc/unbound/host-resolv.conf';
/** The bundle's verify step: the rollout moves to the next resolver only once this one answers. */
export const RESOLVER_READY_PATH = '/usr/local/libexec/monsaas/resolver-ready';

/** The resolver host's own lookups go to the VPC resolver, never to the unbound it hosts (or to the DHCP list naming it). */
const hostResolvConf = (): HostFile => ({ path: HOST_RESOLV_CONF, content: `# The resolver host's own lookups bypass its unbound.\nnameserver ${VPC_RESOLVER}\noptions timeout:2 attempts:2\n` });
const useHostResolvConf = ['sh', '-c', `rm -f /etc/resolv.conf && cp ${HOST_RESOLV_CONF} /etc/resolv.conf`];

/**
 * Ready when unbound answers on the resolver's own address: `localhost.` is one of unbound's built-in
 * local zones, so the check needs no upstream (an upstream outage must not block a rollback).
 */
export function renderResolverReadyScript(address: string, port = 53): string {
  return `#!/bin/sh
# Rendered by lib/host-config/unbound/index.ts: the resolver bundle's verify step.
answer="$(dig +time=2 +tries=1 +short -p ${port} @${address} localhost. A)"
[ "$answer" = 127.0.0.1 ] && echo "unbound answers on ${address}" && exit 0
echo "unbound does not answer on ${address} (got: \${answer:-nothing})"
exit 1
`;
}

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

/** Every file resolver `index` gets, delivered by its host bundle (resolverBundle). */
export function resolverFiles(config: EnvConfig, index: number): HostFile[] {
  return [
    { path: UNBOUND_CONF_PATH, content: renderUnboundConf(unboundSettings(config, index)) },
    hostResolvConf(),
    runDirectoryTmpfile(),
    unboundDropIn(),
    ...statsPublisherUnits({
      namespace: RESOLVER_METRICS_NAMESPACE,
      environment: config.name,
      resolver: resolverName(index),
      region: config.region,
    }),
    { path: STATS_SCRIPT_PATH, content: fs.readFileSync(STATS_SCRIPT_SOURCE, 'utf8'), permissions: '0755' },
    { path: RESOLVER_READY_PATH, content: renderResolverReadyScript(config.resolvers.addresses[index]!), permissions: '0755' },
    ...resolverObservability(config, index).files,
  ];
}

/**
 * Resolver `index`'s bundle. A changed unbound.conf is checked before it is written, then loaded with `unbound-control reload`:
 * the process and its sockets stay, so the resolver never stops answering for a configuration change.
 */
export function resolverBundle(config: EnvConfig, index: number): BundleSpec {
  const files = resolverFiles(config, index);
  const paths = files.map((f) => f.path);
  const units = paths.filter((p) => p.startsWith('/etc/systemd/system/'));
  const observabilityFiles = Object.values(HOST_OBSERVABILITY_PATHS).filter((p) => paths.includes(p));
  const actions: BundleAction[] = [
    { name: 'use-vpc-resolver', when: [HOST_RESOLV_CONF], run: useHostResolvConf },
    { name: 'daemon-reload', when: units, run: ['systemctl', 'daemon-reload'] },
    { name: 'control-socket-directory', when: [runDirectoryTmpfile().path], run: ['systemd-tmpfiles', '--create', runDirectoryTmpfile().path] },
    { name: 'start-unbound', when: 'always', run: ['systemctl', 'enable', '--now', 'unbound.service'] },
    { name: 'reload-unbound', when: [UNBOUND_CONF_PATH], run: ['unbound-control', '-c', UNBOUND_CONF_PATH, '-s', CONTROL_SOCKET, 'reload'] },
    { name: 'start-statistics', when: 'always', run: ['systemctl', 'enable', '--now', 'unbound-stats.timer'] },
    ...resolverObservability(config, index).runcmd.map((run, i): BundleAction => ({ name: `observability-${i + 1}`, when: observabilityFiles, run })),
  ];
  // A config unbound refuses is never written: the running one stays, and so does the file it was read from.
  const checks = [{ path: UNBOUND_CONF_PATH, run: ['unbound-checkconf', '{file}'] }];
  return { host: resolverName(index), files, checks, actions, verify: { run: [RESOLVER_READY_PATH], attempts: 60, intervalSeconds: 2 } };
}

/**
 * The #cloud-config user data of resolver `index` (Amazon Linux 2023): packages and the host's own
 * resolv.conf only, identical for every resolver and every setting. Configuration arrives as the
 * resolver's host bundle through SSM, so a resolver setting never changes UserData (which CloudFormation
 * can only apply by stopping the instance).
 */
export function resolverCloudConfig(config: EnvConfig, index: number): string {
  const observability = resolverObservability(config, index);
  return renderCloudConfig({
    packages: ['unbound', 'bind-utils', ...observability.packages],
    writeFiles: [hostResolvConf()],
    runcmd: [useHostResolvConf],
  });
}

/** Every resolver's rendered files (unbound.conf, units, publisher) and its cloud-config. */
export function renderResolverHosts(config: EnvConfig): RenderedHost[] {
  return Array.from({ length: config.resolvers.count }, (_, index) => ({
    name: resolverName(index),
    files: [
      ...resolverFiles(config, index),
      { path: RENDERED_BUNDLE_PATH, content: renderHostBundle(resolverBundle(config, index)).json },
      { path: USER_DATA_PATH, content: resolverCloudConfig(config, index) },
    ],
  }));
}
