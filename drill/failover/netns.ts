import { execFileSync } from 'node:child_process';

export const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const quiet = (cmd: string, args: string[]) => { try { sh(cmd, args); } catch { /* already gone */ } };

export interface DrillNetwork {
  readonly prefix: string;
  readonly switchNs: string;
  readonly clientNs: string;
  readonly nodeNs: { readonly a: string; readonly b: string };
  readonly gatewayIp: string;
  readonly clientIp: string;
  readonly nodeIp: { readonly a: string; readonly b: string };
  readonly nodeIf: string;
}

/**
 * The drill's network: a switch namespace with a bridge, two node namespaces and a client namespace,
 * each on a veth into the bridge (10.213.<k>.0/24). Names carry a unique prefix; cleanup removes them.
 */
export function createNetwork(prefix: string, subnet = 213): DrillNetwork {
  const net = {
    prefix,
    switchNs: `${prefix}-sw`,
    clientNs: `${prefix}-c`,
    nodeNs: { a: `${prefix}-a`, b: `${prefix}-b` },
    gatewayIp: `10.${subnet}.0.1`,
    clientIp: `10.${subnet}.0.21`,
    nodeIp: { a: `10.${subnet}.0.11`, b: `10.${subnet}.0.12` },
    nodeIf: 'eth0',
  };
  try {
    for (const ns of [net.switchNs, net.clientNs, net.nodeNs.a, net.nodeNs.b]) {
      sh('ip', ['netns', 'add', ns]);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    sh('ip', ['-n', net.switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
    sh('ip', ['-n', net.switchNs, 'addr', 'add', `${net.gatewayIp}/24`, 'dev', 'br0']);
    sh('ip', ['-n', net.switchNs, 'link', 'set', 'br0', 'up']);
    const attach = (ns: string, ip: string, port: string) => {
      // veth created inside the switch namespace so no name ever appears in the root namespace.
      sh('ip', ['-n', net.switchNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      sh('ip', ['-n', net.switchNs, 'link', 'set', port, 'master', 'br0', 'up']);
      sh('ip', ['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    };
    attach(net.nodeNs.a, net.nodeIp.a, 'pa');
    attach(net.nodeNs.b, net.nodeIp.b, 'pb');
    attach(net.clientNs, net.clientIp, 'pc');
  } catch (error) {
    destroyNetwork(net);
    throw error;
  }
  return net;
}

export function destroyNetwork(net: DrillNetwork): void {
  for (const ns of [net.clientNs, net.nodeNs.a, net.nodeNs.b, net.switchNs]) quiet('ip', ['netns', 'del', ns]);
}

/** Removes namespaces left by a drill that was killed before it could clean up. */
export function removeStaleNetworks(namePrefix: string): void {
  const list = sh('ip', ['netns', 'list']);
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0];
    if (name?.startsWith(namePrefix)) quiet('ip', ['netns', 'del', name]);
  }
}

/** Cuts (or restores) the pair's link with carrier up: every packet between the two nodes is dropped. */
export function setPairLink(net: DrillNetwork, up: boolean): void {
  const op = up ? '-D' : '-A';
  sh('ip', ['netns', 'exec', net.nodeNs.a, 'iptables', op, 'INPUT', '-s', net.nodeIp.b, '-j', 'DROP']);
  sh('ip', ['netns', 'exec', net.nodeNs.a, 'iptables', op, 'OUTPUT', '-d', net.nodeIp.b, '-j', 'DROP']);
}
