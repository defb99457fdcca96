import { type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { PlatformStack } from './platform-stack';
import { statefulRemovalPolicy } from './policies';

const LOGS_KEY_ID = 'LogsKey';

/**
 * The Control Tower proactive controls that are decided per resource type rather than per construct
 * (docs/landing-zone-controls.md): every log group of the app, including those a construct library
 * creates without asking, is encrypted with a customer-managed KMS key, one per stack (log groups and
 * their key must share a region, and a stack-local key needs no cross-stack reference).
 */
export class LandingZoneControls implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof logs.CfnLogGroup && node.kmsKeyId === undefined) {
      node.kmsKeyId = logsKeyOf(Stack.of(node)).keyArn;
    }
  }
}

/** The stack's CloudWatch Logs key: usable only by the CloudWatch Logs service, for this account's and region's log groups. */
export function logsKeyOf(stack: Stack): kms.Key {
  const existing = stack.node.tryFindChild(LOGS_KEY_ID);
  if (existing) return existing as kms.Key;
  const key = new kms.Key(stack, LOGS_KEY_ID, {
    description: `CloudWatch Logs of ${stack.stackName}`,
    enableKeyRotation: true,
    // A log group keeps data encrypted with the key: the key lives exactly as long as the logs do.
    removalPolicy: stack instanceof PlatformStack ? statefulRemovalPolicy(stack.config) : RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsOfThisAccountAndRegion',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
  }));
  return key;
}
