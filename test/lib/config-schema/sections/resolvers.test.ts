import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { configRejection, type ConfigMutation } from '../../../support/config-rejection';


describe('resolvers config', () => {
  it('gives every environment one fixed address per resolver, at least two, one per AZ', () => {
    for (const name of ['staging', 'production']) {
      const cfg = validateEnvConfig(`${name}.ts`, environments[name]);
      expect(cfg.resolvers.addresses).toHaveLength(cfg.resolvers.count);
      expect(cfg.resolvers.count).toBeGreaterThanOrEqual(2);
      expect(cfg.resolvers.count).toBeLessThanOrEqual(cfg.availabilityZones.length);
      expect(cfg.resolvers.cacheMaxNegativeTtlS).toBeLessThanOrEqual(30);
    }
  });

  const cases: Array<[string, 'staging' | 'production', ConfigMutation, RegExp]> = [
    ['a single resolver', 'staging', (c) => { c.resolvers.count = 1; c.resolvers.addresses = ['10.20.16.53']; }, /^config\/staging\.ts: resolvers\.count: is 1; run at least 2 resolvers in different AZs/],
    ['more resolvers than a DHCP options set holds', 'production', (c) => { c.resolvers.count = 4; c.resolvers.addresses = ['10.10.16.53', '10.10.32.53', '10.10.48.53', '10.10.16.54']; }, /resolvers\.count: is 4; at most 3 fit a DHCP options set beside the AmazonProvidedDNS fallback/],
    ['more resolvers than AZs', 'staging', (c) => { c.resolvers.count = 3; c.resolvers.addresses = ['10.20.16.53', '10.20.32.53', '10.20.16.54']; }, /resolvers\.count: is 3 but there are only 2 AZs; run at most one resolver per AZ/],
    ['addresses not matching the count', 'staging', (c) => { c.resolvers.addresses = ['10.20.16.53']; }, /resolvers\.addresses: lists 1 address\(es\) for 2 resolvers; list one fixed address per resolver/],
    ['an address listed twice', 'staging', (c) => { c.resolvers.addresses = ['10.20.16.53', '10.20.16.53']; }, /resolvers\.addresses\[1\]: 10\.20\.16\.53 is listed twice/],
    ['an address outside the VPC', 'staging', (c) => { c.resolvers.addresses = ['10.20.16.53', '10.99.32.53']; }, /^config\/staging\.ts: resolvers\.addresses\[1\]: 10\.99\.32\.53 is outside the private subnet 10\.20\.32\.0\/20 of ap-northeast-1c; pick one between 10\.20\.32\.4 and 10\.20\.47\.254$/],
    ['a malformed address', 'staging', (c) => { c.resolvers.addresses = ['10.20.16.53', '10.20.32'] }, /resolvers\.addresses\[1\]: must be an IPv4 address/],
    ['an internal zone listed twice', 'staging', (c) => { c.resolvers.internalZones = [{ name: 'corp.example.com', servers: ['172.16.0.53'] }, { name: 'corp.example.com', servers: ['172.16.1.53'] }]; }, /resolvers\.internalZones\[1\]\.name: corp\.example\.com is listed twice; merge its servers/],
    ['an internal zone without servers', 'staging', (c) => { c.resolvers.internalZones = [{ name: 'corp.example.com', servers: [] }]; }, /resolvers\.internalZones\[0\]\.servers: must list at least one authoritative server/],
    ['a negative cap above the positive one', 'staging', (c) => { c.resolvers.cacheMaxNegativeTtlS = 600; c.resolvers.cacheMaxTtlS = 300; }, /resolvers\.cacheMaxNegativeTtlS: \(600\) exceeds cacheMaxTtlS \(300\)/],
    ['a SERVFAIL threshold above 100 %', 'staging', (c) => { c.resolvers.servfailAlarmPercent = 150; }, /resolvers\.servfailAlarmPercent: must be a percentage between 0 and 100/],
  ];

  it.each(cases)('rejects %s with one line naming the field and the fix', (_name, base, mutate, expected) => {
    const message = configRejection(base, mutate);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(expected);
  });
});
