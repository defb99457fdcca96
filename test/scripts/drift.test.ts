import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectDrift, expectedDriftReason, formatDrift } from '../../scripts/drift/detect';
import { LOCAL_CREDENTIALS } from '../support/aws-local';
import { AwsAccountStandIn } from './aws-account-stand-in';

describe('drift detection per stack', () => {
  const standIn = new AwsAccountStandIn({
    account: '111111111111', certificates: {}, hostedZones: {}, images: {}, parameters: {}, secrets: [], availabilityZones: {},
    offerings: {}, quotas: {}, vpcs: 0, addresses: 0, natGateways: [], kinesis: { shardLimit: 0, openShards: 0 },
    stacks: {
      'ap-northeast-1': {
        'monsaas-staging-network': { status: 'UPDATE_COMPLETE' },
        'monsaas-staging-redis': {
          status: 'UPDATE_COMPLETE',
          drifts: [
            { logicalId: 'Shard0VipRoute0A1B2C3D', type: 'AWS::EC2::Route', status: 'MODIFIED', differences: [{ path: '/NetworkInterfaceId', expected: 'eni-a', actual: 'eni-b' }] },
            { logicalId: 'Shard1VipRoute1E5F6A7B', type: 'AWS::EC2::Route', status: 'MODIFIED', differences: [{ path: '/NetworkInterfaceId', expected: 'eni-c', actual: 'eni-d' }] },
          ],
        },
        'monsaas-staging-data': {
          status: 'UPDATE_COMPLETE',
          drifts: [{ logicalId: 'ArchiveBucket1234', type: 'AWS::S3::Bucket', status: 'MODIFIED', differences: [{ path: '/VersioningConfiguration/Status', expected: 'Enabled', actual: 'Suspended' }] }],
        },
      },
      'us-east-1': { 'monsaas-staging-edge-health': { status: 'CREATE_COMPLETE' } },
    },
  });
  let endpoint: string;
  beforeAll(async () => { endpoint = await standIn.start(); });
  afterAll(() => standIn.stop());
  const client = (region: string) => new CloudFormationClient({ region, endpoint, credentials: LOCAL_CREDENTIALS });

  it('reports every stack in its own region, tolerating only the VIP routes the failover agent moves', async () => {
    const reports = await detectDrift(client, [
      { name: 'monsaas-staging-network', region: 'ap-northeast-1' },
      { name: 'monsaas-staging-redis', region: 'ap-northeast-1' },
      { name: 'monsaas-staging-data', region: 'ap-northeast-1' },
      { name: 'monsaas-staging-edge-health', region: 'us-east-1' },
      { name: 'monsaas-staging-batch', region: 'ap-northeast-1' },
    ], 1);
    expect(reports.flatMap(formatDrift)).toEqual([
      'OK   monsaas-staging-network (ap-northeast-1): IN_SYNC',
      'OK   monsaas-staging-redis (ap-northeast-1): DRIFTED, 0 unexpected and 2 expected drifted resource(s)',
      '       expected Shard0VipRoute0A1B2C3D (AWS::EC2::Route) MODIFIED /NetworkInterfaceId: VIP route moved to the current MASTER by the failover agent',
      '       expected Shard1VipRoute1E5F6A7B (AWS::EC2::Route) MODIFIED /NetworkInterfaceId: VIP route moved to the current MASTER by the failover agent',
      'FAIL monsaas-staging-data (ap-northeast-1): DRIFTED, 1 unexpected and 0 expected drifted resource(s)',
      '       DRIFT    ArchiveBucket1234 (AWS::S3::Bucket) MODIFIED /VersioningConfiguration/Status',
      'OK   monsaas-staging-edge-health (us-east-1): IN_SYNC',
      'FAIL monsaas-staging-batch (ap-northeast-1): drift detection failed: Stack [monsaas-staging-batch] does not exist; check the stack exists and the role may call cloudformation:DetectStackDrift',
    ]);
    expect(reports.map((r) => r.ok)).toEqual([true, true, false, true, false]);
    expect(standIn.calls).toContain('cloudformation:DetectStackDrift@us-east-1');
  });

  it('treats only a VIP route of the redis stack whose ENI alone changed as expected', () => {
    const route = { logicalId: 'Shard0VipRoute0X', type: 'AWS::EC2::Route', status: 'MODIFIED', properties: ['/NetworkInterfaceId'] };
    expect(expectedDriftReason('monsaas-production-redis', route)).toBe('VIP route moved to the current MASTER by the failover agent');
    expect(expectedDriftReason('monsaas-production-network', route)).toBeUndefined();
    expect(expectedDriftReason('monsaas-production-redis', { ...route, properties: ['/NetworkInterfaceId', '/DestinationCidrBlock'] })).toBeUndefined();
    expect(expectedDriftReason('monsaas-production-redis', { ...route, status: 'DELETED', properties: [] })).toBeUndefined();
    expect(expectedDriftReason('monsaas-production-redis', { ...route, logicalId: 'PrivateRoute1' })).toBeUndefined();
  });
});
