import { HOST_OBSERVABILITY_PACKAGES, HOST_OBSERVABILITY_PATHS } from '../../../../lib/host-config/observability';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { renderHostBundle } from '../../../../lib/host-config/bundle';
import { RENDERED_BUNDLE_PATH, STATS_SCRIPT_SOURCE, USER_DATA_PATH, renderResolverHosts, renderUnboundConf, resolverBundle, resolverCloudConfig, unboundSettings } from '../../../../lib/host-config/unbound';
import { reverseZone } from '../../../../lib/host-config/unbound/settings';
import { renderAllHosts } from '../../../../lib/host-config';
import { ENVIRONMENTS } from '../../../support/platform';

const configOf = (name: string, resolvers: Record<string, unknown> = {}) => {
  const raw = environments[name]!;
  return validateEnvConfig(`${name}.ts`, { ...raw, resolvers: { ...raw.resolvers, ...resolvers } });
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unbound-conf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Lines of one clause ("server:", "stub-zone:", ...) of a rendered unbound.conf, trimmed. */
function clauses(conf: string): Array<{ name: string; lines: string[] }> {
  const out: Array<{ name: string; lines: string[] }> = [];
  for (const line of conf.split('\n')) {
    if (/^[a-z-]+:$/.test(line)) out.push({ name: line.slice(0, -1), lines: [] });
    else if (line.trim() && !line.startsWith('#')) out.at(-1)!.lines.push(line.trim());
  }
  return out;
}

describe.each(ENVIRONMENTS)('%s resolvers: rendered unbound.conf', (env) => {
  const config = configOf(env);
  const hosts = renderResolverHosts(config);

  it('renders one host per resolver, each with its files and cloud-config', () => {
    expect(hosts.map((h) => h.name)).toEqual(config.resolvers.addresses.map((_, i) => `resolver-${i + 1}`));
    for (const host of hosts) {
      expect(host.files.map((f) => f.path)).toEqual([
        '/etc/unbound/unbound.conf',
        '/etc/unbound/host-resolv.conf',
        '/etc/tmpfiles.d/unbound-control.conf',
        '/etc/systemd/system/unbound.service.d/10-platform.conf',
        '/etc/systemd/system/unbound-stats.service',
        '/etc/systemd/system/unbound-stats.timer',
        '/usr/local/libexec/unbound-stats.py',
        '/usr/local/libexec/monsaas/resolver-ready',
        // Host metrics: the collector, its timer, the accounting chains and the CloudWatch agent config.
        ...host.files.map((f) => f.path).filter((p) => (Object.values(HOST_OBSERVABILITY_PATHS) as string[]).includes(p)),
        RENDERED_BUNDLE_PATH,
        USER_DATA_PATH,
      ]);
      expect(host.files.map((f) => f.path)).toEqual(expect.arrayContaining([HOST_OBSERVABILITY_PATHS.collector, HOST_OBSERVABILITY_PATHS.agentConfig, HOST_OBSERVABILITY_PATHS.accountingRules]));
    }
    expect(renderAllHosts(config).filter((h) => h.name.startsWith('resolver-'))).toEqual(hosts);
  });

  it.each(config.resolvers.addresses.map((address, index) => [index, address] as const))('resolver %i (%s) passes unbound-checkconf', (index) => {
    const file = path.join(tmp, `${env}-${index}.conf`);
    fs.writeFileSync(file, hosts[index]!.files[0]!.content);
    expect(execFileSync('unbound-checkconf', [file], { encoding: 'utf8' })).toContain('no errors');
  });

  it('listens on the resolver\'s fixed address and answers the VPC only', () => {
    config.resolvers.addresses.forEach((address, index) => {
      const server = clauses(hosts[index]!.files[0]!.content).find((c) => c.name === 'server')!;
      expect(server.lines.filter((l) => l.startsWith('interface:'))).toEqual([`interface: ${address}`]);
      expect(server.lines).toContain('port: 53');
      expect(server.lines.filter((l) => l.startsWith('access-control:'))).toEqual([
        'access-control: 0.0.0.0/0 refuse',
        'access-control: 127.0.0.0/8 refuse',
        'access-control: ::0/0 refuse',
        'access-control: ::1 refuse',
        `access-control: ${config.network.vpcCidr} allow`,
      ]);
    });
  });

  it('caps negative caching, prefetches, keeps extended statistics and a unix control socket', () => {
    const all = clauses(hosts[0]!.files[0]!.content);
    const server = all.find((c) => c.name === 'server')!.lines;
    expect(server).toEqual(expect.arrayContaining([
      `cache-max-negative-ttl: ${config.resolvers.cacheMaxNegativeTtlS}`,
      `cache-max-ttl: ${config.resolvers.cacheMaxTtlS}`,
      'prefetch: yes',
      'extended-statistics: yes',
      'statistics-cumulative: no',
      'do-not-query-localhost: yes',
      'module-config: "iterator"',
      'username: "unbound"',
      'use-syslog: yes',
    ]));
    expect(all.find((c) => c.name === 'remote-control')!.lines).toEqual(['control-enable: yes', 'control-interface: /run/unbound/control.sock']);
  });

  it('sends internal zones to their authoritative servers only and everything else to the VPC resolver', () => {
    const all = clauses(hosts[0]!.files[0]!.content);
    expect(all.filter((c) => c.name === 'stub-zone').map((c) => c.lines)).toEqual(config.resolvers.internalZones.map((zone) => [
      `name: "${zone.name}."`, ...zone.servers.map((s) => `stub-addr: ${s}`), 'stub-first: no',
    ]));
    expect(all.filter((c) => c.name === 'forward-zone').map((c) => c.lines)).toEqual([
      ['name: "."', 'forward-addr: 169.254.169.253', 'forward-first: no'],
    ]);
  });

  it('gives the publisher this resolver\'s identity and ships the tested script', () => {
    hosts.forEach((host, index) => {
      const service = host.files.find((f) => f.path.endsWith('unbound-stats.service'))!.content;
      expect(service).toContain(`--namespace MonSaaS/Resolvers --environment ${env} --resolver resolver-${index + 1} --region ${config.region}`);
      expect(host.files.find((f) => f.path === '/usr/local/libexec/unbound-stats.py')).toMatchObject({
        content: fs.readFileSync(STATS_SCRIPT_SOURCE, 'utf8'), permissions: '0755',
      });
      expect(host.files.find((f) => f.path.endsWith('unbound-stats.timer'))!.content).toMatch(/OnUnitActiveSec=60\n/);
      expect(host.files.find((f) => f.path === '/etc/unbound/host-resolv.conf')!.content).toMatch(/^nameserver 169\.254\.169\.253$/m);
    });
  });

  it('renders user data that only installs packages and points the host\'s own lookups at the VPC resolver, the same for every setting', () => {
    const userData = resolverCloudConfig(config, 0);
    const doc = parse(userData) as { packages: string[]; write_files: Array<{ path: string; content: string }>; runcmd: string[][] };
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(doc.packages).toEqual(['unbound', 'bind-utils', ...HOST_OBSERVABILITY_PACKAGES]);
    expect(doc.write_files.map((f) => f.path)).toEqual(['/etc/unbound/host-resolv.conf']);
    expect(doc.runcmd).toEqual([['sh', '-c', 'rm -f /etc/resolv.conf && cp /etc/unbound/host-resolv.conf /etc/resolv.conf']]);
    // A resolver setting changes the bundle, never the user data (which CloudFormation applies by a stop).
    const changed = configOf(env, { cacheMaxNegativeTtlS: 7, upstreams: ['192.0.2.53'] });
    expect(resolverCloudConfig(changed, 0)).toBe(userData);
    expect(renderHostBundle(resolverBundle(changed, 0)).version).not.toBe(renderHostBundle(resolverBundle(config, 0)).version);
  });

  it('delivers every file in its bundle, reloads unbound (never restarts it) on a config change and verifies it answers', () => {
    const bundle = resolverBundle(config, 0);
    expect(bundle.files.map((f) => [f.path, f.content])).toEqual(hosts[0]!.files.filter((f) => f.path !== USER_DATA_PATH && f.path !== RENDERED_BUNDLE_PATH).map((f) => [f.path, f.content]));
    const onConf = bundle.actions.filter((a) => a.when !== 'always' && a.when.includes('/etc/unbound/unbound.conf')).map((a) => a.run);
    expect(onConf).toEqual([['unbound-control', '-c', '/etc/unbound/unbound.conf', '-s', '/run/unbound/control.sock', 'reload']]);
    expect(bundle.checks).toEqual([{ path: '/etc/unbound/unbound.conf', run: ['unbound-checkconf', '{file}'] }]);
    expect(bundle.actions.flatMap((a) => a.run).join(' ')).not.toMatch(/restart unbound|stop unbound/);
    expect(bundle.actions.some((a) => a.disruptive)).toBe(false);
    expect(bundle.verify.run).toEqual(['/usr/local/libexec/monsaas/resolver-ready']);
    expect(bundle.files.find((f) => f.path === bundle.verify.run[0])!.content).toContain(`@${config.resolvers.addresses[0]} localhost. A`);
  });
});

describe('unbound settings', () => {
  it('keeps EC2 names and the VPC reverse zone on the VPC resolver when public upstreams are configured', () => {
    const config = configOf('production');
    const withUpstreams = { ...config, resolvers: { ...config.resolvers, upstreams: ['1.1.1.1', '8.8.8.8'] } };
    const forwards = clauses(renderUnboundConf(unboundSettings(withUpstreams, 0))).filter((c) => c.name === 'forward-zone').map((c) => c.lines);
    expect(forwards).toEqual([
      ['name: "ap-northeast-1.compute.internal."', 'forward-addr: 169.254.169.253', 'forward-first: no'],
      ['name: "10.10.in-addr.arpa."', 'forward-addr: 169.254.169.253', 'forward-first: no'],
      ['name: "."', 'forward-addr: 1.1.1.1', 'forward-addr: 8.8.8.8', 'forward-first: no'],
    ]);
  });

  it('names the reverse zone enclosing a CIDR on whole octets', () => {
    expect(reverseZone('10.20.0.0/16')).toBe('20.10.in-addr.arpa.');
    expect(reverseZone('172.16.0.0/12')).toBe('172.in-addr.arpa.');
    expect(reverseZone('192.168.4.0/22')).toBe('168.192.in-addr.arpa.');
    expect(reverseZone('10.0.0.0/8')).toBe('10.in-addr.arpa.');
  });

  it('refuses to render a resolver that has no address', () => {
    expect(() => unboundSettings(configOf('staging'), 2)).toThrow(/resolver 2 has no address/);
  });
});
