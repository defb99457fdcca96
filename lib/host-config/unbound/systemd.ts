import type { HostFile } from '../cloud-init';
import { UNBOUND_CONF_PATH } from './settings';

export const STATS_SCRIPT_PATH = '/usr/local/libexec/unbound-stats.py';
export const CONFIG_REFRESH_UNIT = 'resolver-config-refresh.service';

export interface StatsPublisherArgs {
  readonly namespace: string;
  readonly environment: string;
  readonly resolver: string;
  readonly region: string;
}

/** Unbound restarts whenever it stops (the recovery alarms only cover the instance), and starts after the config refresh. */
export function unboundDropIn(): HostFile {
  return {
    path: '/etc/systemd/system/unbound.service.d/10-platform.conf',
    content: [
      '[Unit]',
      `After=${CONFIG_REFRESH_UNIT}`,
      'StartLimitIntervalSec=0',
      '',
      '[Service]',
      'Restart=always',
      'RestartSec=2',
      '',
    ].join('\n'),
  };
}

/**
 * cloud-init writes files on an instance's first boot only. A config change reaches a resolver as new
 * user data plus a stop/start (CloudFormation does that for a UserData change), so every later boot
 * re-runs write_files from the current user data before unbound starts.
 */
export function configRefreshUnit(): HostFile {
  return {
    path: `/etc/systemd/system/${CONFIG_REFRESH_UNIT}`,
    content: [
      '[Unit]',
      'Description=Re-apply the resolver files from the current user data',
      'After=cloud-init.service',
      'Before=unbound.service',
      '',
      '[Service]',
      'Type=oneshot',
      'ExecStart=/usr/bin/cloud-init single --name write_files --frequency always',
      `ExecStartPost=/usr/sbin/unbound-checkconf ${UNBOUND_CONF_PATH}`,
      'ExecStartPost=/usr/bin/systemctl daemon-reload',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
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
