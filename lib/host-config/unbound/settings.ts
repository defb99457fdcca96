import type { EnvConfig } from '../../config-schema/schema';
import { parseCidr } from '../../config-schema/primitives';

/** The VPC resolver (Route 53 Resolver), reachable from every subnet at this link-local address. */
export const VPC_RESOLVER = '169.254.169.253';
export const UNBOUND_CONF_PATH = '/etc/unbound/unbound.conf';
/** Unix socket for unbound-control: no certificates, reachable only by root on the host (SSM Run Command). */
export const CONTROL_SOCKET = '/run/unbound/control.sock';

export interface ForwardZone {
  readonly name: string;
  /** Addresses as unbound takes them: "a.b.c.d" or "a.b.c.d@port". */
  readonly addresses: readonly string[];
}

/** Everything unbound.conf is rendered from; derived from config, or overridden by tests (loopback, ports). */
export interface UnboundSettings {
  readonly listenAddress: string;
  readonly port: number;
  /** Client ranges answered; everything else is refused. */
  readonly allowedCidrs: readonly string[];
  /** Internal zones, asked directly of their authoritative servers (stub zones). */
  readonly stubZones: readonly ForwardZone[];
  /** Zones forwarded to a recursive resolver; "." is the default route. */
  readonly forwardZones: readonly ForwardZone[];
  readonly cacheMaxTtlS: number;
  readonly cacheMaxNegativeTtlS: number;
  readonly threads: number;
  readonly controlSocket: string;
  /** Runtime placement: the host's values by default; tests run unbound unprivileged in a temp dir. */
  readonly username: string;
  readonly directory: string;
  readonly pidFile: string;
  /** syslog (journald) on the host; a file in tests. */
  readonly logFile?: string;
  /** Only tests point stub or forward zones at 127.0.0.1. */
  readonly queryLocalhost: boolean;
}

/** "10.20.0.0/16" -> "20.10.in-addr.arpa." (the enclosing whole-octet zone). */
export function reverseZone(cidr: string): string {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`not a CIDR block: ${cidr}`);
  const octets = Math.max(1, Math.floor(range.prefix / 8));
  return `${cidr.split('/')[0]!.split('.').slice(0, octets).reverse().join('.')}.in-addr.arpa.`;
}

/** The VPC resolver's own names: EC2 host names and the VPC's reverse zone. */
export function vpcResolverZones(config: EnvConfig): string[] {
  return [config.region === 'us-east-1' ? 'ec2.internal.' : `${config.region}.compute.internal.`, reverseZone(config.network.vpcCidr)];
}

/** The settings resolver `index` (0-based) runs with. */
export function unboundSettings(config: EnvConfig, index: number): UnboundSettings {
  const { resolvers } = config;
  const address = resolvers.addresses[index];
  if (address === undefined) throw new Error(`resolver ${index} has no address in config.resolvers.addresses`);
  const upstreams = resolvers.upstreams.length > 0 ? resolvers.upstreams : [VPC_RESOLVER];
  // With public upstreams, EC2 names and the VPC's reverse zone still belong to the VPC resolver.
  const vpcZones = resolvers.upstreams.length > 0 ? vpcResolverZones(config).map((name) => ({ name, addresses: [VPC_RESOLVER] })) : [];
  return {
    listenAddress: address,
    port: 53,
    allowedCidrs: [config.network.vpcCidr],
    stubZones: resolvers.internalZones.map((zone) => ({ name: `${zone.name}.`, addresses: zone.servers })),
    forwardZones: [...vpcZones, { name: '.', addresses: upstreams }],
    cacheMaxTtlS: resolvers.cacheMaxTtlS,
    cacheMaxNegativeTtlS: resolvers.cacheMaxNegativeTtlS,
    threads: 2,
    controlSocket: CONTROL_SOCKET,
    username: 'unbound',
    directory: '/etc/unbound',
    pidFile: '/run/unbound.pid',
    queryLocalhost: false,
  };
}
