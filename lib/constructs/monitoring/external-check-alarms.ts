import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import type { EndpointHealthCheck } from '../edge/endpoint-health-check';
import type { ExternalCheck } from './component-widgets';

/**
 * This environment's external checks as alarms the dashboard can show from their own region. Their
 * names are fixed strings in the edge-health stack, so the ARNs are built from them: no cross-region
 * reference (which CloudFormation exports cannot carry), and no account-wide search of every check.
 */
export function externalCheckAlarms(scope: Construct, config: EnvConfig, checks: readonly EndpointHealthCheck[]): ExternalCheck[] {
  return checks.map((check, index) => {
    const alarmName = (check.alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName;
    const domain = (check.healthCheck.healthCheckConfig as { fullyQualifiedDomainName?: string }).fullyQualifiedDomainName;
    if (!alarmName || !domain) throw new Error(`external check ${check.node.path}: needs a fixed alarm name and domain name`);
    // The region of the check's own stack: where Route 53 publishes health-check metrics (us-east-1).
    const region = Stack.of(check).region;
    const arn = `arn:${Stack.of(scope).partition}:cloudwatch:${region}:${config.account}:alarm:${alarmName}`;
    return { name: domain, alarm: cloudwatch.Alarm.fromAlarmArn(scope, `ExternalCheck${index + 1}`, arn), region };
  });
}
