import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { ConfigError, validateEnvConfig } from '../../../lib/config-schema/load';
import type { EnvConfigInput } from '../../../lib/config-schema/schema';
import { buildTestPlatform } from '../../support/platform';
import { configRejection, type ConfigMutation } from '../../support/config-rejection';


describe('environment config', () => {
  it.each(['staging', 'production'])('%s validates', (name) => {
    const cfg = validateEnvConfig(`${name}.ts`, environments[name]);
    expect(cfg.name).toBe(name);
  });

  it('differs between environments where it should', () => {
    const s = validateEnvConfig('staging.ts', environments.staging);
    const p = validateEnvConfig('production.ts', environments.production);
    expect(p.network.natGateways).toBe(p.availabilityZones.length);
    expect(s.network.natGateways).toBe(1);
    expect(p.availabilityZones.length).toBeGreaterThanOrEqual(3);
    expect([p.retainData, p.terminationProtection, p.deletionProtection]).toEqual([true, true, true]);
    expect([s.retainData, s.terminationProtection, s.deletionProtection]).toEqual([false, false, false]);
    expect(p.tsdb.stream.retentionHours).toBe(168);
    expect(p.logRetentionDays).toBeGreaterThan(s.logRetentionDays);
    expect(p.alarms.paging).toBe(true);
    expect(s.alarms.paging).toBe(false);
  });

  const cases: Array<[string, 'staging' | 'production', ConfigMutation, RegExp]> = [
    ['malformed CIDR', 'staging', (c) => { c.network.vpcCidr = '10.20.0.0/33'; }, /^config\/staging\.ts: network\.vpcCidr: must be an IPv4 CIDR block/],
    ['unaligned CIDR', 'staging', (c) => { c.network.vpcCidr = '10.20.1.0/16'; }, /network\.vpcCidr: must be an IPv4 CIDR block aligned to its prefix/],
    ['fewer than 2 AZs', 'staging', (c) => { c.availabilityZones = ['ap-northeast-1a']; }, /availabilityZones: lists 1 AZ\(s\); a staging environment needs at least 2/],
    ['fewer than 3 AZs in production', 'production', (c) => { c.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c']; c.network.natGateways = 2; }, /availabilityZones: lists 2 AZ\(s\); a production environment needs at least 3/],
    ['AZ outside the region', 'staging', (c) => { c.availabilityZones = ['ap-northeast-1a', 'us-east-1a']; }, /availabilityZones\[1\]: "us-east-1a" is not in region ap-northeast-1/],
    ['account not 12 digits', 'staging', (c) => { c.account = '12345'; }, /account: must be the 12-digit AWS account id/],
    ['unknown region', 'staging', (c) => { c.region = 'mars-north-1' as never; }, /region: must be a known AWS region/],
    ['count below 1', 'staging', (c) => { c.redis.shardCount = 0; }, /redis\.shardCount: must be at least 1 shards; set it to 1 or more/],
    ['resolver count below 1', 'staging', (c) => { c.resolvers.count = 0; }, /resolvers\.count: must be at least 1 resolvers/],
    ['production without a certificate', 'production', (c) => { delete c.edge.certificateArn; }, /edge\.certificateArn: is required in production: set it to the ACM certificate ARN/],
    ['unprotected production', 'production', (c) => { c.deletionProtection = false; }, /deletionProtection: must be true in production/],
    ['VIP range inside the VPC', 'staging', (c) => { c.redis.vipCidr = '10.20.255.0/24'; }, /redis\.vipCidr: 10\.20\.255\.0\/24 overlaps the VPC CIDR 10\.20\.0\.0\/16; pick a range outside the VPC/],
    ['more NAT gateways than AZs', 'staging', (c) => { c.network.natGateways = 3; }, /network\.natGateways: is 3 but there are only 2 AZs/],
    ['bad log retention', 'staging', (c) => { c.logRetentionDays = 10; }, /logRetentionDays: must be a CloudWatch Logs retention period/],
    ['missing field', 'staging', (c) => { delete (c as Partial<EnvConfigInput>).account; }, /account: /],
    ['unknown field', 'staging', (c) => { (c as Record<string, unknown>).acount = '1'; }, /^config\/staging\.ts: acount: is not a field \(did you mean "account"\?\); rename it$/],
    ['short Kinesis retention in production', 'production', (c) => { c.tsdb.stream.retentionHours = 24; }, /tsdb\.stream\.retentionHours: must be at least 168/],
  ];

  it.each(cases)('rejects %s with one line naming the field and the fix', (_name, base, mutate, expected) => {
    const message = configRejection(base, mutate);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(expected);
  });

  it('rejects -c env=NAME naming no environment', () => {
    expect(() => buildTestPlatform({ env: 'qa' })).toThrow(ConfigError);
    expect(() => buildTestPlatform({ env: 'qa' })).toThrow(/^-c env=qa: no such environment; use one of staging, production/);
  });

  it('builds only the environment named with -c env=NAME', () => {
    const platform = buildTestPlatform({ env: 'production' });
    expect(platform.environments.map((e) => e.config.name)).toEqual(['production']);
  });

  it('takes the image tag from -c imageTag=TAG', () => {
    const platform = buildTestPlatform({ env: 'staging', imageTag: 'abc1234' });
    expect(platform.env('staging').config.services.imageTag).toBe('abc1234');
  });
});
