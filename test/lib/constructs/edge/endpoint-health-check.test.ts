import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EndpointHealthCheck } from '../../../../lib/constructs/edge/endpoint-health-check';

describe('EndpointHealthCheck', () => {
  let t: Template;
  let check: EndpointHealthCheck;
  beforeAll(() => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Health', { env: { account: '111111111111', region: 'us-east-1' } });
    check = new EndpointHealthCheck(stack, 'Api', { domainName: 'api.example.com', path: '/healthz', environmentName: 'staging' });
    t = Template.fromStack(stack);
  });

  it('checks HTTPS on 443 of the public name (an NLB answers no ICMP), with SNI', () => {
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'api.example.com',
        Port: 443,
        ResourcePath: '/healthz',
        EnableSNI: true,
        RequestInterval: 30,
        FailureThreshold: 3,
      },
    });
  });

  it('alarms when the check reports unhealthy or stops reporting', () => {
    const healthCheckId = Object.keys(t.findResources('AWS::Route53::HealthCheck'))[0]!;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: { 'Fn::GetAtt': [healthCheckId, 'HealthCheckId'] } }],
      Statistic: 'Minimum',
      Period: 60,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
    expect(check.alarm.alarmArn).toBeDefined();
  });
});
