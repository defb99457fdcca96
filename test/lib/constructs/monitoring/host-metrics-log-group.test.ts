import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { HostMetricsLogGroup } from '../../../../lib/constructs/monitoring/host-metrics-log-group';

describe.each(['staging', 'production'] as const)('HostMetricsLogGroup (%s)', (env) => {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  const stack = new Stack(new App(), 'Hosts', { env: { account: config.account, region: config.region } });
  const role = new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  new HostMetricsLogGroup(stack, 'HostMetrics', { config, role: 'redis' }).grantPublish(role);
  const template = Template.fromStack(stack);

  it('creates the named log group the collector writes to, with the environment\'s retention and removal policy', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/monsaas/${env}/host-metrics/redis`, RetentionInDays: config.logRetentionDays },
      DeletionPolicy: env === 'production' ? 'Retain' : 'Delete',
    });
  });

  it('lets the hosts write to that group only and put metrics into the host namespace only', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))[0]!.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
    const logs = statements.find((st) => JSON.stringify(st.Action) === JSON.stringify(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']))!;
    // The group itself (its ARN covers its streams), nothing else.
    expect(JSON.stringify(logs.Resource)).toMatch(/^\{"Fn::GetAtt":\["HostMetricsLogGroup[0-9A-F]+","Arn"\]\}$/);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'MonSaaS/Hosts' } },
    }));
    template.resourceCountIs('AWS::IAM::Policy', 1);
  });
});
