import type { HostFile } from '../cloud-init';
import { UNBOUND_CONF_PATH } from './settings';

export const STATS_SCRIPT_PATH = '/usr/local/libexec/unbound-stats.py';

export interface StatsPublisherArgs {
  readonly namespace: string;
  readonly environment: string;
  readonly resolver: string;
  readonly region: string;
}

/** Unbound restarts whenever it stops (the recovery alarms only cover the instance). */
export function unboundDropIn(): HostFile {
  return {
    path: '/etc/systemd/system/unbound.service.d/10-platform.conf',
    content: [
      '[Unit]',
      'StartLimitIntervalSec=0',
      '',
      '[Service]',
      'Restart=always',
      'RestartSec=2',
      '',
    ].join('\n'),
  };
}

/** /run/unbound holds the control socket; it must exist before unbound (and unbound-checkconf) run. */
export function runDirectoryTmpfile(): HostFile {
  return { path: '/etc/tmpfiles.d/unbound-control.conf', content: 'd /run/unbound 0755 root root -\n' };
}

/** The statistics publisher: a one-shot service run every minute by its timer. */
export function statsPublisherUnits(args: StatsPublisherArgs): HostFile[] {
  const command = [
    '/usr/bin/python3', STATS_SCRIPT_PATH,
    '--config', UNBOUND_CONF_PATH,
    '--namespace', args.namespace,
    '--environment', args.environment,
    '--resolver', args.resolver,
    '--region', args.region,
    '--state', '/var/lib/unbound-stats/snapshot.json',
  ].join(' ');
  return [
    {
      path: '/etc/systemd/system/unbound-stats.service',
      content: [
        '[Unit]',
        'Description=Publish Unbound statistics to CloudWatch',
        'After=unbound.service network-online.target',
        'Wants=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        `ExecStart=${command}`,
        'StateDirectory=unbound-stats',
        'TimeoutStartSec=55',
        'NoNewPrivileges=yes',
        'ProtectSystem=full',
        'ProtectHome=yes',
        'PrivateTmp=yes',
        '',
      ].join('\n'),
    },
    {
      path: '/etc/systemd/system/unbound-stats.timer',
      content: [
        '[Unit]',
        'Description=Publish Unbound statistics every minute',
        '',
        '[Timer]',
        'OnBootSec=60',
        'OnUnitActiveSec=60',
        'AccuracySec=5s',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    },
  ];
}
