import type { UnboundSettings } from './settings';

const quoted = (value: string) => JSON.stringify(value);

/** Renders unbound.conf. Pure: same settings, same text (reviewable with `npm run render-hosts`). */
export function renderUnboundConf(s: UnboundSettings): string {
  const server = [
    `interface: ${s.listenAddress}`,
    `port: ${s.port}`,
    'do-ip4: yes',
    'do-ip6: no',
    'do-udp: yes',
    'do-tcp: yes',
    // Refuse by default; answer only the VPC.
    'access-control: 0.0.0.0/0 refuse',
    // Unbound allows localhost by default; the more specific refusals below override that.
    'access-control: 127.0.0.0/8 refuse',
    'access-control: ::0/0 refuse',
    'access-control: ::1 refuse',
    ...s.allowedCidrs.map((cidr) => `access-control: ${cidr} allow`),
    `username: ${quoted(s.username)}`,
    `directory: ${quoted(s.directory)}`,
    'chroot: ""',
    `pidfile: ${quoted(s.pidFile)}`,
    ...(s.logFile === undefined ? ['use-syslog: yes'] : ['use-syslog: no', `logfile: ${quoted(s.logFile)}`]),
    'verbosity: 1',
    'log-servfail: yes',
    `num-threads: ${s.threads}`,
    'so-reuseport: yes',
    'msg-cache-size: 64m',
    'rrset-cache-size: 128m',
    'hide-identity: yes',
    'hide-version: yes',
    // Recursion and DNSSEC validation happen at the forwarders (Route 53 Resolver validates when enabled);
    // validating here too would turn their stripped signatures into SERVFAIL.
    'module-config: "iterator"',
    `cache-max-ttl: ${s.cacheMaxTtlS}`,
    // A TLD outage once kept the service's own domain NXDOMAIN for the negative TTL: cap it.
    `cache-max-negative-ttl: ${s.cacheMaxNegativeTtlS}`,
    'prefetch: yes',
    // Private reverse zones (the VPC's PTR records) are answered by the forwarders, not blanked locally.
    'unblock-lan-zones: yes',
    'insecure-lan-zones: yes',
    'extended-statistics: yes',
    'statistics-interval: 0',
    'statistics-cumulative: no',
    `do-not-query-localhost: ${s.queryLocalhost ? 'no' : 'yes'}`,
  ];
  const out = [
    '# Rendered from the environment config by lib/host-config/unbound: edit config/<env>.ts, not this file.',
    'server:',
    ...server.map((line) => `    ${line}`),
    '',
    'remote-control:',
    '    control-enable: yes',
    `    control-interface: ${s.controlSocket}`,
  ];
  for (const zone of s.stubZones) {
    out.push('', 'stub-zone:', `    name: ${quoted(zone.name)}`, ...zone.addresses.map((a) => `    stub-addr: ${a}`), '    stub-first: no');
  }
  for (const zone of s.forwardZones) {
    out.push('', 'forward-zone:', `    name: ${quoted(zone.name)}`, ...zone.addresses.map((a) => `    forward-addr: ${a}`), '    forward-first: no');
  }
  return `${out.join('\n')}\n`;
}
