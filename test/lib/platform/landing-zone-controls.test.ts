import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, template, type StackPart } from '../../support/platform';

const PARTS: StackPart[] = ['network', 'data', 'redis', 'dns', 'tsdb', 'services', 'edgeHealth', 'batch', 'monitoring', 'ci'];
type Resource = { Type: string; Properties?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The Control Tower-style proactive controls (cfn-guard rules on the templates) and the resources that
 * deliberately do not satisfy one, with the reason in docs/landing-zone-controls.md. A new resource
 * that breaks a control fails here by logical ID.
 */
const EXCEPTIONS: Record<string, RegExp> = {
  // Adding Monitoring to these launch templates makes a new template version, which replaces every Redis
  // node and resolver; their instances carry Monitoring: true (detailed monitoring is on).
  'launch template detailed monitoring': /^(redis\/Shard\d+Node[AB]InstanceLaunchTemplate|dns\/ResolversLaunchTemplate\d+)[0-9A-F]{8}$/,
  // CDK's own provider that strips the default security group's rules, run once per deploy.
  'Lambda in a VPC': /^network\/CustomVpcRestrictDefaultSGCustomResourceProviderHandler[0-9A-F]{8}$/,
  // The access-log bucket: NLB and S3 access logs are delivered only to SSE-S3 buckets, and it cannot log to itself.
  'S3 access logging': /^data\/LogsBucket[0-9A-F]{8}$/,
  'S3 KMS default encryption': /^data\/LogsBucket[0-9A-F]{8}$/,
};

const CONTROLS: Record<string, (r: Resource) => boolean | undefined> = {
  'log group KMS encryption': (r) => (r.Type === 'AWS::Logs::LogGroup' ? r.Properties?.KmsKeyId !== undefined : undefined),
  'ECS container non-root': (r) => (r.Type === 'AWS::ECS::TaskDefinition'
    ? r.Properties!.ContainerDefinitions.every((c: { User?: string }) => c.User !== undefined && !/^(root|0)(:|$)/.test(c.User))
    : undefined),
  'ECS container memory limit': (r) => (r.Type === 'AWS::ECS::TaskDefinition'
    ? r.Properties!.ContainerDefinitions.every((c: { Memory?: number; MemoryReservation?: number }) => c.Memory !== undefined || c.MemoryReservation !== undefined)
    : undefined),
  'EC2 instance detailed monitoring': (r) => (r.Type === 'AWS::EC2::Instance' ? r.Properties?.Monitoring === true : undefined),
  'launch template detailed monitoring': (r) => (r.Type === 'AWS::EC2::LaunchTemplate' ? r.Properties?.LaunchTemplateData?.Monitoring?.Enabled === true : undefined),
  'Lambda in a VPC': (r) => (r.Type === 'AWS::Lambda::Function' ? r.Properties?.VpcConfig?.SubnetIds !== undefined : undefined),
  'S3 access logging': (r) => (r.Type === 'AWS::S3::Bucket' ? r.Properties?.LoggingConfiguration !== undefined : undefined),
  'S3 KMS default encryption': (r) => (r.Type === 'AWS::S3::Bucket'
    ? (r.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration ?? []).some((c: { ServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }) => /^aws:kms/.test(c.ServerSideEncryptionByDefault?.SSEAlgorithm ?? ''))
    : undefined),
};

describe.each(ENVIRONMENTS)('%s landing-zone controls', (env) => {
  const resources = () => PARTS.flatMap((part) => Object.entries(template(env, part).toJSON().Resources as Record<string, Resource>).map(([id, r]) => [`${part}/${id}`, r] as const));

  it.each(Object.keys(CONTROLS))('%s: every resource satisfies it but the documented exceptions', (control) => {
    const checked = resources().filter(([, r]) => CONTROLS[control]!(r) !== undefined);
    expect(checked.length, 'the control applies to something').toBeGreaterThan(0);
    const failing = checked.filter(([, r]) => CONTROLS[control]!(r) === false).map(([id]) => id);
    const exception = EXCEPTIONS[control];
    expect(failing.filter((id) => !exception?.test(id))).toEqual([]);
  });

  it('encrypts each log group with its own stack\'s logs key, which only CloudWatch Logs of this region and account may use', () => {
    for (const part of PARTS) {
      const json = template(env, part).toJSON() as { Resources: Record<string, Resource> };
      const groups = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
      const keys = Object.entries(json.Resources).filter(([id, r]) => r.Type === 'AWS::KMS::Key' && id.startsWith('LogsKey'));
      if (groups.length === 0) continue;
      expect(keys, part).toHaveLength(1);
      const [keyId, key] = keys[0]!;
      for (const group of groups) {
        const ref = JSON.stringify(group.Properties!.KmsKeyId);
        // Either this stack's logs key, or a key a construct chose on purpose.
        expect(ref.includes(keyId) || !ref.includes('LogsKey'), part).toBe(true);
      }
      expect(key.Properties!.EnableKeyRotation).toBe(true);
      const statement = key.Properties!.KeyPolicy.Statement.find((s: { Sid?: string }) => s.Sid === 'CloudWatchLogsOfThisAccountAndRegion');
      const region = part === 'edgeHealth' ? 'us-east-1' : 'ap-northeast-1';
      expect(statement.Principal).toEqual({ Service: `logs.${region}.amazonaws.com` });
      expect(JSON.stringify(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(`:logs:${region}:`);
    }
  });
});
