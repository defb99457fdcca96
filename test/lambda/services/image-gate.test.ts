import { ECRClient } from '@aws-sdk/client-ecr';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate } from '../../../lambda/services/image-gate';
import { bundleHandler, HANDLER_FILE } from '../../../lib/constructs/common/handler-bundle';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../support/aws-local';
import { AwsAccountStandIn } from '../../scripts/aws-account-stand-in';

describe('service image gate against an ECR stand-in', () => {
  const standIn = new AwsAccountStandIn({
    account: '111111111111', certificates: {}, hostedZones: {}, images: {}, parameters: {}, secrets: [], stacks: {}, availabilityZones: {},
    offerings: {}, quotas: {}, vpcs: 0, addresses: 0, natGateways: [], kinesis: { shardLimit: 0, openShards: 0 },
    repositories: { 'monsaas-staging/api': ['abc1234'], 'monsaas-staging/web': [] },
  });
  let ecr: ECRClient;
  beforeAll(async () => { ecr = new ECRClient({ endpoint: await standIn.start(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }); });
  afterAll(() => standIn.stop());
  const event = (RequestType: 'Create' | 'Update' | 'Delete', RepositoryName: string, ImageTag: string) => ({
    RequestType, PhysicalResourceId: RequestType === 'Create' ? undefined : `${RepositoryName}:old`,
    // CloudFormation hands custom resources every property as a string.
    ResourceProperties: { RepositoryName, ImageTag, DesiredCount: '3', MinCapacity: '2' },
  });

  it('answers the configured counts when the tag exists', async () => {
    expect(await gate(ecr, event('Create', 'monsaas-staging/api', 'abc1234'))).toEqual({
      PhysicalResourceId: 'monsaas-staging/api:abc1234',
      Data: { DesiredCount: 3, MinCapacity: 2, ImageExists: 'true' },
    });
  });

  it('answers zero tasks while the repository lacks the tag (a fresh account)', async () => {
    expect(await gate(ecr, event('Create', 'monsaas-staging/web', 'latest-staging'))).toEqual({
      PhysicalResourceId: 'monsaas-staging/web:latest-staging',
      Data: { DesiredCount: 0, MinCapacity: 0, ImageExists: 'false' },
    });
  });

  it('opens on the update that brings a pushed tag', async () => {
    standIn.state.repositories!['monsaas-staging/web']!.push('def5678');
    expect((await gate(ecr, event('Update', 'monsaas-staging/web', 'def5678'))).Data).toEqual({ DesiredCount: 3, MinCapacity: 2, ImageExists: 'true' });
  });

  it('fails the deploy on any other error instead of closing the gate', async () => {
    await expect(gate(ecr, event('Update', 'monsaas-staging/missing', 'abc1234'))).rejects.toThrow(/repository with name 'monsaas-staging\/missing' does not exist/);
  });

  it('does nothing on delete', async () => {
    const calls = standIn.calls.length;
    expect(await gate(ecr, event('Delete', 'monsaas-staging/api', 'abc1234'))).toEqual({ PhysicalResourceId: 'monsaas-staging/api:old' });
    expect(standIn.calls.length).toBe(calls);
  });
});

it('bundles and loads in a fresh Node as Lambda loads it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-image-gate-'));
  try {
    bundleHandler(path.resolve(__dirname, '../../../lambda/services/image-gate.ts'), dir);
    const script = `import(${JSON.stringify(path.join(dir, HANDLER_FILE))}).then((m) => console.log(typeof m.handler))`;
    expect(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, AWS_REGION: 'ap-northeast-1', NODE_OPTIONS: '' } }).toString().trim()).toBe('function');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
