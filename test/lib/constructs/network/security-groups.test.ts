import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, logicalId, type ConstructFixture } from '../../../support/construct-fixture';

interface Rule {
  readonly direction: 'in' | 'out';
  readonly group: string;
  readonly peer: string;
  readonly from?: number;
  readonly to?: number;
  readonly protocol: string;
  readonly description?: string;
}

/** Every rule of every group, inline or standalone, with the peer as a CIDR or a group's logical id. */
function allRules(t: Template): Rule[] {
  const peerOf = (r: Record<string, unknown>) =>
    (r.CidrIp as string) ?? (r.CidrIpv6 as string) ??
    JSON.stringify(r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1] ?? '?';
  const rules: Rule[] = [];
  for (const [id, group] of Object.entries(t.findResources('AWS::EC2::SecurityGroup'))) {
    for (const [key, direction] of [['SecurityGroupIngress', 'in'], ['SecurityGroupEgress', 'out']] as const) {
      for (const r of (group.Properties[key] ?? []) as Array<Record<string, unknown>>) {
        rules.push({ direction, group: id, peer: peerOf(r), from: r.FromPort as number, to: r.ToPort as number, protocol: String(r.IpProtocol), description: r.Description as string });
      }
    }
  }
  for (const [type, direction] of [['AWS::EC2::SecurityGroupIngress', 'in'], ['AWS::EC2::SecurityGroupEgress', 'out']] as const) {
    for (const rule of Object.values(t.findResources(type))) {
      const r = rule.Properties as Record<string, unknown>;
      const group = JSON.stringify(r.GroupId).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1] ?? '?';
      rules.push({ direction, group, peer: peerOf(r), from: r.FromPort as number, to: r.ToPort as number, protocol: String(r.IpProtocol), description: r.Description as string });
    }
  }
  return rules;
}

describe.each(ENVIRONMENTS)('SecurityGroups (%s)', (env) => {
  let fixture: ConstructFixture;
  let rules: Rule[];
  const id = (name: keyof ConstructFixture['securityGroups']) => logicalId(fixture.securityGroups[name] as never, fixture.stack);
  beforeAll(() => {
    fixture = constructFixture(env);
    rules = allRules(fixtureTemplate(fixture));
  });

  it('describes every rule', () => {
    expect(rules.length).toBeGreaterThan(30);
    for (const rule of rules) expect(rule.description, JSON.stringify(rule)).toMatch(/\w{3,}/);
  });

  it('opens nothing to the internet but TLS 443 on the load balancer', () => {
    const fromInternet = rules.filter((r) => r.direction === 'in' && (r.peer === '0.0.0.0/0' || r.peer === '::/0'));
    expect(fromInternet).toEqual([expect.objectContaining({ group: id('loadBalancer'), from: 443, to: 443, protocol: 'tcp' })]);
  });

  it('lets the load balancer reach only the api and web container ports', () => {
    const { api, web } = fixture.config.services;
    const out = rules.filter((r) => r.direction === 'out' && r.group === id('loadBalancer'));
    expect(out.map((r) => [r.peer, r.from, r.to]).sort()).toEqual([[id('api'), api.containerPort, api.containerPort], [id('web'), web.containerPort, web.containerPort]].sort());
    for (const service of ['api', 'web'] as const) {
      const port = fixture.config.services[service].containerPort;
      const ingress = rules.filter((r) => r.direction === 'in' && r.group === id(service));
      expect(ingress.map((r) => [r.peer, r.from, r.to])).toEqual([[id('loadBalancer'), port, port]]);
    }
  });

  it('admits PostgreSQL only from the api, batch jobs and the credential rotation', () => {
    const ingress = rules.filter((r) => r.direction === 'in' && r.group === id('database'));
    expect(ingress.map((r) => r.peer).sort()).toEqual([id('api'), id('batchJobs'), id('databaseRotation')].sort());
    for (const rule of ingress) expect([rule.protocol, rule.from, rule.to]).toEqual(['tcp', 5432, 5432]);
    const databaseEgress = rules.filter((r) => r.direction === 'out' && r.group === id('database'));
    // CDK's "disallow all" placeholder: the database starts no connections.
    expect(databaseEgress.map((r) => r.peer)).toEqual(['255.255.255.255/32']);
  });

  it('gives the rotation function only PostgreSQL to the database, HTTPS and DNS', () => {
    const out = rules.filter((r) => r.direction === 'out' && r.group === id('databaseRotation'));
    // HTTPS twice: to AWS APIs (NAT) and to the interface endpoints' group.
    expect(out.map((r) => `${r.protocol}/${r.from}`).sort()).toEqual(['tcp/443', 'tcp/443', 'tcp/53', 'tcp/5432', 'udp/53']);
    expect(out.find((r) => r.from === 5432)?.peer).toBe(id('database'));
  });

  it('lets the web tasks reach no database and no Redis', () => {
    const webOut = rules.filter((r) => r.direction === 'out' && r.group === id('web'));
    expect(webOut.some((r) => r.from === 5432 || r.from === 6379)).toBe(false);
  });
});
