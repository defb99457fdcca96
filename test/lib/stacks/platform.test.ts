import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SERVICE } from '../../../lib/platform/service';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultAssembly, defaultPlatform, ENVIRONMENTS, template } from '../../support/platform';

const STATEFUL_TYPES = [
  'AWS::Kinesis::Stream', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster', 'AWS::KMS::Key', 'AWS::ECR::Repository', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret',
];

describe.each(ENVIRONMENTS)('%s environment', (envName) => {
  const env = defaultPlatform().env(envName);
  const stacks = [env.network, env.data, env.redis, env.dns, env.tsdb, env.services, env.edgeHealth, env.batch, env.monitoring, env.ci];
  const PARTS = ['network', 'data', 'redis', 'dns', 'tsdb', 'services', 'edgeHealth', 'batch', 'monitoring', 'ci'] as const;

  it('splits stacks by lifecycle, named <service>-<env>-<part>', () => {
    expect(stacks.map((s) => s.stackName)).toEqual(
      ['network', 'data', 'redis', 'dns', 'tsdb', 'app', 'edge-health', 'batch', 'monitoring', 'ci'].map((p) => `${SERVICE}-${envName}-${p}`),
    );
  });

  it('deploys every stack to the configured account and region with termination protection as configured', () => {
    for (const stack of stacks) {
      expect(stack.account).toBe(env.config.account);
      // Route 53 publishes health-check metrics only in us-east-1, so their alarms live there.
      expect(stack.region).toBe(stack === env.edgeHealth ? 'us-east-1' : env.config.region);
      expect(stack.terminationProtection).toBe(envName === 'production');
    }
  });

  it('tags every taggable resource of every stack with service and environment', () => {
    let tagged = 0;
    for (const part of PARTS) {
      const resources = template(envName, part).toJSON().Resources as Record<string, { Properties?: { Tags?: unknown } }>;
      for (const [id, resource] of Object.entries(resources)) {
        const tags = resource.Properties?.Tags;
        if (!Array.isArray(tags)) continue; // map-style tags (e.g. SSM) are tagged the same way but read differently
        tagged += 1;
        expect(tags, `${part}/${id}`).toEqual(expect.arrayContaining([{ Key: 'service', Value: SERVICE }, { Key: 'environment', Value: envName }]));
      }
    }
    expect(tagged).toBeGreaterThan(50);
  });

  it('gives every stateful resource an explicit removal policy (RETAIN in production)', () => {
    const expected = envName === 'production' ? 'Retain' : Match.anyValue();
    let seen = 0;
    for (const part of PARTS) {
      const resources = template(envName, part).toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>;
      for (const [id, resource] of Object.entries(resources)) {
        if (!STATEFUL_TYPES.includes(resource.Type)) continue;
        seen += 1;
        expect(resource.DeletionPolicy, `${part}/${id} (${resource.Type})`).toBeDefined();
        if (envName === 'production') expect(resource.DeletionPolicy, `${part}/${id}`).toBe(expected);
      }
    }
    expect(seen).toBeGreaterThan(5);
  });

  it('sets a retention on every log group', () => {
    for (const part of PARTS) {
      const groups = template(envName, part).findResources('AWS::Logs::LogGroup');
      for (const [id, group] of Object.entries(groups)) {
        expect(group.Properties?.RetentionInDays, `${part}/${id}`).toBeGreaterThan(0);
      }
    }
  });

  it('never makes a context lookup (synth stays offline)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(defaultAssembly(), 'manifest.json'), 'utf8'));
    const missing = manifest.missing ?? [];
    expect(missing).toEqual([]);
  });
});
