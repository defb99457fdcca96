import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { instanceArchitecture, shardVipsOf } from '../../../../lib/config-schema/sections/redis';
import { configRejection, type ConfigMutation } from '../../../support/config-rejection';


describe('redis config', () => {
  it('derives one VIP per shard from vipCidr, or takes the explicit list', () => {
    expect(shardVipsOf({ shardCount: 3, vipCidr: '192.168.255.0/24' })).toEqual(['192.168.255.10', '192.168.255.11', '192.168.255.12']);
    expect(shardVipsOf({ shardCount: 2, vipCidr: '192.168.255.0/24', vips: ['192.168.255.50', '192.168.255.60'] })).toEqual(['192.168.255.50', '192.168.255.60']);
  });

  it('tells Graviton from x86 instance types', () => {
    expect(['r7g.large', 't4g.small', 'm7gd.xlarge', 'c8gn.large'].map(instanceArchitecture)).toEqual(['arm64', 'arm64', 'arm64', 'arm64']);
    expect(['r7i.large', 'm5.large', 'r6a.large', 't3.small'].map(instanceArchitecture)).toEqual(['x86_64', 'x86_64', 'x86_64', 'x86_64']);
  });

  it('production keeps sub-second adverts and both environments pin an arm64 image', () => {
    for (const name of ['staging', 'production']) {
      const cfg = validateEnvConfig(`${name}.ts`, environments[name]);
      expect(cfg.redis.advertIntervalMs).toBeLessThan(1000);
      expect(cfg.redis.ami.architecture).toBe('arm64');
      expect(cfg.redis.ami.id).toMatch(/^ami-/);
    }
  });

  const cases: Array<[string, 'staging' | 'production', ConfigMutation, RegExp]> = [
    ['VIP range overlapping the VPC', 'production', (c) => { c.redis.vipCidr = '10.0.0.0/8'; }, /redis\.vipCidr: 10\.0\.0\.0\/8 overlaps the VPC CIDR .*; pick a range outside the VPC/],
    ['duplicate VIPs', 'staging', (c) => { c.redis.vips = ['192.168.255.20', '192.168.255.20']; }, /redis\.vips\[1\]: repeats 192\.168\.255\.20 \(shard 0 has it\); give every shard its own VIP/],
    ['VIP outside vipCidr', 'staging', (c) => { c.redis.vips = ['192.168.255.20', '192.168.1.20']; }, /redis\.vips\[1\]: VIP 192\.168\.1\.20 of shard 1 lies outside vipCidr 192\.168\.255\.0\/24/],
    ['VIP count not matching shards', 'staging', (c) => { c.redis.vips = ['192.168.255.20']; }, /redis\.vips: lists 1 VIP\(s\) for 2 shard\(s\); list one per shard or remove vips/],
    ['more shards than the range holds', 'staging', (c) => { c.redis.vipCidr = '192.168.255.0/29'; }, /redis\.vipCidr: VIP 192\.168\.255\.10 of shard 0 lies outside vipCidr 192\.168\.255\.0\/29; widen vipCidr/],
    ['AMI architecture not matching the instance type', 'staging', (c) => { c.redis.instanceType = 'r7i.large'; }, /redis\.ami\.architecture: is arm64 but r7i\.large is x86_64; pick an x86_64 AMI or a matching instance type/],
    ['malformed AMI id', 'staging', (c) => { c.redis.ami.id = 'debian-12'; }, /redis\.ami\.id: must be an AMI id such as "ami-0123456789abcdef0"/],
    ['advert interval below 100 ms', 'staging', (c) => { c.redis.advertIntervalMs = 50; }, /redis\.advertIntervalMs: must be at least 100 ms/],
    ['reconcile interval of 0', 'staging', (c) => { c.redis.reconcileIntervalS = 0; }, /redis\.reconcileIntervalS: must be at least 1 s/],
  ];

  it.each(cases)('rejects %s with one line naming the field and the fix', (_name, base, mutate, expected) => {
    const message = configRejection(base, mutate);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(expected);
  });
});
