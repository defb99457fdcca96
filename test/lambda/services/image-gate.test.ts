import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, type GateClients } from '../../../lambda/services/image-gate';
import { bundleHandler, HANDLER_FILE } from '../../../lib/constructs/common/handler-build';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../support/aws-local';
import { AwsAccountStandIn } from '../../scripts/aws-account-stand-in';

describe('service image gate against an ECR stand-in', () => {
  const standIn = new AwsAccountStandIn({
    account: '111111111111', certificates: {}, hostedZones: {}, images: {}, parameters: {}, secrets: [], stacks: {}, availabilityZones: {},
    offerings: {}, quotas: {}, vpcs: 0, addresses: 0, natGateways: [], kinesis: { shardLimit: 0, openShards: 0 },
    repositories: { 'monsaas-staging/api': ['abc1234'], 'monsaas-staging/web': [] },
    // api runs (deployed before the gate existed); web was never started.
    ecsServices: { 'cluster-1/api': { status: 'ACTIVE', desiredCount: 2, runningCount: 2 } },
  });
  let ecr: GateClients;
  beforeAll(async () => {
    const config = { endpoint: await standIn.start(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    ecr = { ecr: new ECRClient(config), ecs: new ECSClient(config) };
  });
  afterAll(() => standIn.stop());
  const event = (RequestType: 'Create' | 'Update' | 'Delete', RepositoryName: string, ImageTag: string, state: 'opened' | 'waiting' = 'waiting') => ({
    RequestType, PhysicalResourceId: RequestType === 'Create' ? undefined : `${RepositoryName}:${state}`,
    // CloudFormation hands custom resources every property as a string.
    ResourceProperties: { RepositoryName, ImageTag, ClusterName: 'cluster-1', ServiceName: RepositoryName.split('/')[1]!, DesiredCount: '3', MinCapacity: '2' },
  });

  it('answers the configured counts when the tag exists', async () => {
    expect(await gate(ecr, event('Create', 'monsaas-staging/api', 'abc1234'))).toEqual({
      PhysicalResourceId: 'monsaas-staging/api:opened',
      Data: { DesiredCount: 3, MinCapacity: 2, ImageExists: 'true' },
    });
  });

  it('answers zero tasks while the repository lacks the tag (a fresh account)', async () => {
    expect(await gate(ecr, event('Create', 'monsaas-staging/web', 'latest-staging'))).toEqual({
      PhysicalResourceId: 'monsaas-staging/web:waiting',
      Data: { DesiredCount: 0, MinCapacity: 0, ImageExists: 'false' },
    });
  });

  it('stays closed on an update while the service never ran and its tag is still missing', async () => {
    expect(await gate(ecr, event('Update', 'monsaas-staging/web', 'latest-staging', 'waiting'))).toEqual({
      PhysicalResourceId: 'monsaas-staging/web:waiting',
      Data: { DesiredCount: 0, MinCapacity: 0, ImageExists: 'false' },
    });
  });

  it('opens on the update that brings a pushed tag', async () => {
    standIn.state.repositories!['monsaas-staging/web']!.push('def5678');
    expect(await gate(ecr, event('Update', 'monsaas-staging/web', 'def5678', 'waiting'))).toEqual({
      PhysicalResourceId: 'monsaas-staging/web:opened',
      Data: { DesiredCount: 3, MinCapacity: 2, ImageExists: 'true' },
    });
  });

  it('never closes an open gate: a missing tag on a running service fails the deploy instead of scaling it to zero', async () => {
    await expect(gate(ecr, event('Update', 'monsaas-staging/api', 'typo-tag', 'opened')))
      .rejects.toThrow('image monsaas-staging/api:typo-tag does not exist; push it before deploying this tag (the running tasks are kept)');
  });

  it('refuses to close the gate of a service that already runs (deployed before the gate existed)', async () => {
    await expect(gate(ecr, event('Create', 'monsaas-staging/api', 'typo-tag')))
      .rejects.toThrow('image monsaas-staging/api:typo-tag does not exist; push it before deploying this tag (the running tasks are kept)');
  });

  it('fails the deploy on any other error instead of closing the gate', async () => {
    await expect(gate(ecr, event('Update', 'monsaas-staging/missing', 'abc1234'))).rejects.toThrow(/repository with name 'monsaas-staging\/missing' does not exist/);
  });

  it('does nothing on delete', async () => {
    const calls = standIn.calls.length;
    expect(await gate(ecr, event('Delete', 'monsaas-staging/api', 'abc1234', 'opened'))).toEqual({ PhysicalResourceId: 'monsaas-staging/api:opened' });
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
