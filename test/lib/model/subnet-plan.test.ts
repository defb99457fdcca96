import { describe, expect, it } from 'vitest';
import { cidrContains, cidrsOverlap } from '../../../lib/config-schema/primitives';
import { azSlots, subnetPlan, tierCidrs } from '../../../lib/model/subnet-plan';

const AZS = ['az-a', 'az-b', 'az-c', 'az-d', 'az-e', 'az-f'];

describe('subnet plan', () => {
  it('keeps production\'s first-deployed layout (CDK\'s packing for three AZs) unchanged', () => {
    expect(subnetPlan('10.10.0.0/16', AZS.slice(0, 3)).map((s) => `${s.tier} ${s.cidr}`)).toEqual([
      'public 10.10.0.0/24', 'public 10.10.1.0/24', 'public 10.10.2.0/24',
      'private 10.10.16.0/20', 'private 10.10.32.0/20', 'private 10.10.48.0/20',
      'data 10.10.64.0/24', 'data 10.10.65.0/24', 'data 10.10.66.0/24',
    ]);
  });

  it('gives an AZ the same CIDRs whatever AZs come after it, so appending an AZ moves no subnet', () => {
    for (let n = 1; n < AZS.length; n++) {
      const before = subnetPlan('10.20.0.0/16', AZS.slice(0, n));
      const after = subnetPlan('10.20.0.0/16', AZS.slice(0, n + 1));
      expect(after.filter((s) => s.slot < n)).toEqual(before);
      expect(after.filter((s) => s.slot === n).map((s) => s.tier)).toEqual(['public', 'private', 'data']);
    }
  });

  it('never overlaps two subnets and keeps every subnet inside the VPC, up to the last AZ slot', () => {
    const azs = Array.from({ length: azSlots('10.20.0.0/16') }, (_, i) => `az-${i}`);
    const plan = subnetPlan('10.20.0.0/16', azs);
    expect(plan).toHaveLength(azs.length * 3);
    for (const [i, a] of plan.entries()) {
      expect(cidrContains('10.20.0.0/16', a.cidr.split('/')[0]!)).toBe(true);
      for (const b of plan.slice(i + 1)) expect(cidrsOverlap(a.cidr, b.cidr), `${a.cidr} vs ${b.cidr}`).toBe(false);
    }
  });

  it('has room for more AZs than any region has in a /16, fewer in smaller VPCs, none below a /17', () => {
    expect(azSlots('10.20.0.0/16')).toBe(14);
    expect(azSlots('10.20.0.0/17')).toBe(6);
    expect(azSlots('10.20.0.0/18')).toBe(0);
    expect(azSlots('not a cidr')).toBe(0);
  });

  it('refuses more AZs than the VPC has slots for, naming the fix', () => {
    expect(() => subnetPlan('10.20.0.0/17', AZS.concat('az-g'))).toThrow('10.20.0.0/17 has room for 6 AZ(s), not 7; use a /16 VPC');
  });

  it('lists one tier in AZ order', () => {
    expect(tierCidrs('10.20.0.0/16', AZS.slice(0, 2), 'data')).toEqual(['10.20.64.0/24', '10.20.65.0/24']);
    expect(tierCidrs('10.20.0.0/16', AZS.slice(0, 5), 'private')[4]).toBe('10.20.96.0/20');
  });
});
