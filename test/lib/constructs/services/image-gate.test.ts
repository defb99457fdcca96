import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { ENVIRONMENTS, template } from '../../../support/platform';

describe.each(ENVIRONMENTS)('%s first deploy: services wait for their image', (env) => {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  const t = () => template(env, 'services');
  const gates = () => t().findResources('Custom::ServiceImageGate');
  const gateOf = (service: 'api' | 'web') => {
    const entry = Object.entries(gates()).find(([id]) => id.startsWith(service === 'api' ? 'ApiImageGate' : 'WebImageGate'));
    expect(entry, `${service} gate`).toBeDefined();
    return entry!;
  };

  it.each(['api', 'web'] as const)('%s: a gate asks for the deployed tag with the configured counts', (service) => {
    const [, gate] = gateOf(service);
    expect(gate.Properties).toMatchObject({
      ImageTag: config.services.imageTag,
      DesiredCount: config.services[service].desiredCount,
      MinCapacity: config.services[service].minCount,
      RepositoryName: expect.anything(),
      // The service it gates: a running one is never closed.
      ServiceName: service,
      ClusterName: expect.anything(),
    });
    expect(JSON.stringify(gate.Properties.RepositoryName)).toContain(`AppRepositories${service}`);
  });

  it.each(['api', 'web'] as const)('%s: the service and its scaling floor take their counts from the gate', (service) => {
    const [gateId] = gateOf(service);
    t().hasResourceProperties('AWS::ECS::Service', { ServiceName: service, DesiredCount: { 'Fn::GetAtt': [gateId, 'DesiredCount'] } });
    const targets = Object.values(t().findResources('AWS::ApplicationAutoScaling::ScalableTarget'))
      .filter((r) => JSON.stringify(r.Properties.ResourceId).includes(`/${service}`) || JSON.stringify(r.Properties.ResourceId).includes(service === 'api' ? 'ApiService' : 'WebService'));
    expect(targets.map((r) => r.Properties.MinCapacity)).toEqual([{ 'Fn::GetAtt': [gateId, 'MinCapacity'] }]);
    expect(targets[0]!.Properties.MaxCapacity).toBe(config.services[service].maxCount);
  });

  it('one provider serves both gates; its handler may only describe the two repositories\' images, from the private subnets', () => {
    const tokens = new Set(Object.values(gates()).map((g) => JSON.stringify(g.Properties.ServiceToken)));
    expect(tokens.size).toBe(1);
    const handler = Object.values(t().findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Service image gate') } }));
    expect(handler).toHaveLength(1);
    expect(handler[0]!.Properties.VpcConfig.SubnetIds.length).toBe(config.availabilityZones.length);
    const statements = Object.values(t().findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('ServiceImageGateProviderHandler') } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('ecr:'));
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('ecr:DescribeImages');
    expect(JSON.stringify(statements[0].Resource)).toMatch(/AppRepositoriesapi.*AppRepositoriesweb/);
    const describe = Object.values(t().findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('ServiceImageGateProviderHandler') } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('ecs:'));
    expect(describe.map((s: { Action: unknown }) => s.Action)).toEqual(['ecs:DescribeServices']);
    expect(JSON.stringify(describe[0].Resource)).toMatch(/:service\/.*\/(api|web)"/);
  });
});
