import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnvConfig } from '../../../../lib/config-schema/schema';
import { PublicEndpoint, TLS_POLICY } from '../../../../lib/constructs/edge/public-endpoint';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, logicalId, type ConstructFixture } from '../../../support/construct-fixture';

function build(env: string, configure?: (c: EnvConfig) => EnvConfig) {
  const fixture = constructFixture(env, configure);
  const endpoint = new PublicEndpoint(fixture.stack, 'ApiEndpoint', {
    config: fixture.config,
    hostLabel: 'api',
    service: fixture.config.services.api,
    vpc: fixture.platformVpc.vpc,
    securityGroup: fixture.securityGroups.loadBalancer,
    accessLogsBucket: fixture.logsBucket,
  });
  return { fixture, endpoint, t: fixtureTemplate(fixture) };
}

describe.each(ENVIRONMENTS)('PublicEndpoint (%s)', (env) => {
  let fixture: ConstructFixture;
  let endpoint: PublicEndpoint;
  let t: Template;
  beforeAll(() => ({ fixture, endpoint, t } = build(env)));
  const attributes = () => Object.fromEntries(
    (Object.values(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]!.Properties.LoadBalancerAttributes as Array<{ Key: string; Value: string }>)
      .map((a) => [a.Key, a.Value]),
  );

  it('is an internet-facing network load balancer in the public subnets behind the load-balancer group', () => {
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      Scheme: 'internet-facing',
      Name: `monsaas-${env}-api`,
      SecurityGroups: [{ 'Fn::GetAtt': [logicalId(fixture.securityGroups.loadBalancer, fixture.stack), 'GroupId'] }],
      Subnets: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('publicSubnet') })]),
    });
  });

  it('is cross-zone, logs access to the log bucket, and has deletion protection as configured', () => {
    expect(attributes()).toMatchObject({
      'load_balancing.cross_zone.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.prefix': 'nlb/api',
      'deletion_protection.enabled': String(fixture.config.deletionProtection),
    });
    expect(fixture.stack.resolve(attributes()['access_logs.s3.bucket'])).toEqual({ Ref: logicalId(fixture.logsBucket, fixture.stack) });
  });

  it('terminates TLS on 443 with the configured certificate and a modern policy', () => {
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'TLS',
      Certificates: [{ CertificateArn: fixture.config.edge.certificateArn }],
      SslPolicy: TLS_POLICY,
      AlpnPolicy: ['HTTP2Preferred'],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('ApiEndpointTargets') } }],
    });
    expect(TLS_POLICY).toMatch(/^ELBSecurityPolicy-TLS13-1-2-Res-PQ-/);
  });

  it('forwards to an IP target group on the container port, health-checked over HTTP on the service path', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Protocol: 'TCP',
      Port: fixture.config.services.api.containerPort,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: fixture.config.services.api.healthCheckPath,
      HealthCheckPort: String(fixture.config.services.api.containerPort),
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  it('names itself api.<domain>', () => {
    expect(endpoint.domainName).toBe(`api.${fixture.config.edge.domainName}`);
    expect(endpoint.healthCheckPath).toBe(fixture.config.services.api.healthCheckPath);
  });

  it('creates an alias record only when a hosted zone is configured', () => {
    const records = t.findResources('AWS::Route53::RecordSet');
    if (fixture.config.edge.hostedZoneId) {
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `api.${fixture.config.edge.domainName}.`,
        Type: 'A',
        HostedZoneId: fixture.config.edge.hostedZoneId,
        AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
      });
      expect(Object.keys(records)).toHaveLength(1);
    } else {
      expect(records).toEqual({});
    }
  });
});

describe('PublicEndpoint configuration', () => {
  it('production has a hosted zone and deletion protection; staging neither', () => {
    expect(constructFixture('production').config.edge.hostedZoneId).toBeDefined();
    expect(constructFixture('staging').config.edge.hostedZoneId).toBeUndefined();
  });

  it('adds the record in staging too once a zone is configured', () => {
    const { t } = build('staging', (c) => ({ ...c, edge: { ...c.edge, hostedZoneId: 'Z0STAGINGZONE000001' } }));
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.staging.monsaas.example.com.', HostedZoneId: 'Z0STAGINGZONE000001' });
  });

  it('refuses to build a listener without a certificate', () => {
    expect(() => build('staging', (c) => ({ ...c, edge: { ...c.edge, certificateArn: undefined } }))).toThrow(/edge\.certificateArn is required/);
  });
});
