import { environments } from '../../config';
import { validateEnvConfig } from '../../lib/config-schema/load';
import { renderRedisNodeCloudConfig } from '../../lib/host-config/redis/node-cloud-init';
import { resolverCloudConfig } from '../../lib/host-config/unbound';
import { shardTopology } from '../../lib/model/redis-topology';
import { parse } from 'yaml';

/**
 * The commands each Amazon Linux 2023 package puts on PATH (from the packages' file lists), for the
 * packages our hosts install. A runbook command on a host must come from one of these or from the base
 * image: `redis-cli` does not exist on a node (the package is redis6: `redis6-cli`).
 */
export const AL2023_PACKAGE_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  redis6: ['redis6-server', 'redis6-cli', 'redis6-benchmark', 'redis6-check-aof', 'redis6-check-rdb', 'redis6-sentinel'],
  keepalived: ['keepalived', 'genhash'],
  nodejs22: ['node-22'],
  'awscli-2': ['aws', 'aws_completer'],
  'amazon-cloudwatch-agent': ['amazon-cloudwatch-agent-ctl'],
  'iptables-nft': ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables'],
  'procps-ng': ['ps', 'pgrep', 'pkill', 'pidof', 'free', 'top', 'uptime', 'vmstat', 'watch', 'sysctl'],
  iproute: ['ip', 'ss', 'tc', 'bridge'],
  unbound: ['unbound', 'unbound-control', 'unbound-checkconf', 'unbound-control-setup'],
  'bind-utils': ['dig', 'host', 'nslookup', 'nsupdate', 'delv'],
};

/** What every AL2023 AMI has before cloud-init installs anything (systemd, coreutils, grep, sed, gawk, util-linux, cloud-init). */
export const AL2023_BASE_COMMANDS: readonly string[] = [
  'bash', 'sh', 'systemctl', 'journalctl', 'systemd-analyze', 'hostname', 'cloud-init',
  'cat', 'grep', 'sed', 'awk', 'cut', 'sort', 'uniq', 'head', 'tail', 'tr', 'wc', 'date', 'sleep', 'ls', 'cp', 'mv',
  'rm', 'mkdir', 'install', 'stat', 'tee', 'base64', 'timeout', 'df', 'du', 'find', 'xargs', 'id', 'chown', 'chmod',
];

/** Shell builtins and keywords-as-commands: available everywhere. */
export const SHELL_BUILTINS: readonly string[] = [
  'echo', 'printf', 'read', 'export', 'local', 'set', 'unset', 'cd', 'test', '[', '[[', 'source', '.', 'exit', 'return',
  'shift', 'true', 'false', 'wait', 'trap', 'eval', 'declare', 'readonly', 'let', ':', 'break', 'continue',
];

/** The operator's machine: what docs/runbooks/README.md tells the on-call engineer to have. */
export const WORKSTATION_COMMANDS: readonly string[] = [
  'aws', 'jq', 'npm', 'npx', 'git', 'base64', 'date', 'sleep', 'grep', 'sed', 'awk', 'sort', 'head', 'tail', 'tr', 'cut',
  'wc', 'cat', 'tee', 'mkdir', 'rm', 'mktemp', 'curl', 'unzip', 'diff', 'seq',
];

export type HostImage = 'REDIS' | 'RESOLVER';

/** The `packages:` of a host's rendered cloud-config, i.e. what the image really gets. */
function packagesOf(cloudConfig: string): string[] {
  const document = parse(cloudConfig.replace(/^#cloud-config\n/, '')) as { packages?: string[] };
  return document.packages ?? [];
}

/** The commands available on each host image, in every environment (the packages come from the renderers). */
export function hostImageCommands(): Record<HostImage, Set<string>> {
  const result: Record<HostImage, Set<string>> = { REDIS: new Set(), RESOLVER: new Set() };
  for (const [name, input] of Object.entries(environments)) {
    const config = validateEnvConfig(`${name}.ts`, input);
    const node = shardTopology(config)[0]!.nodes[0];
    const images: Array<[HostImage, string]> = [
      ['REDIS', renderRedisNodeCloudConfig(config, node)],
      ['RESOLVER', resolverCloudConfig(config, 0)],
    ];
    for (const [image, cloudConfig] of images) {
      for (const pkg of packagesOf(cloudConfig)) {
        const commands = AL2023_PACKAGE_COMMANDS[pkg];
        if (!commands) throw new Error(`${image} host installs ${pkg}: add its commands to AL2023_PACKAGE_COMMANDS`);
        commands.forEach((c) => result[image].add(c));
      }
      AL2023_BASE_COMMANDS.forEach((c) => result[image].add(c));
    }
  }
  return result;
}
