import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RouteSteering } from '../../../hosts/failover-agent/routes';
import { primaryInterfaceId } from '../../../hosts/failover-agent/imds';
import type { Ec2StandIn } from '../../../drill/failover/ec2-stand-in';
import { startEc2StandIn } from '../../support/ec2-stand-in';

const VIP = '192.168.255.10/32';
const TABLES = ['rtb-1', 'rtb-2', 'rtb-3'];

describe('RouteSteering against the EC2 stand-in (real SDK, real HTTP)', () => {
  let standIn: Ec2StandIn;
  let endpoint: string;
  const log = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  beforeAll(async () => {
    ({ standIn, endpoint } = await startEc2StandIn({
      routeTables: { ...Object.fromEntries(TABLES.map((t) => [t, { [VIP]: 'eni-a', '10.0.0.0/8': 'eni-other' }])), 'rtb-unrelated': { [VIP]: 'eni-a' } },
      instances: { '127.0.0.1': { mac: '02:00:00:00:00:01', eni: 'eni-b' } },
    }));
  });
  afterAll(async () => { await standIn.close(); });
  beforeEach(() => { for (const t of [...TABLES, 'rtb-unrelated']) standIn.tables.get(t)!.set(VIP, 'eni-a'); standIn.changes.length = 0; standIn.calls.length = 0; });

  const steering = (tables = TABLES) => new RouteSteering({ region: 'ap-northeast-1', endpoint, routeTableIds: tables, destination: VIP }, log);

  it('moves the VIP route of every listed table, confirms by describing, and leaves other routes and tables alone', async () => {
    await steering().steerTo('eni-b');
    for (const t of TABLES) {
      expect(standIn.tables.get(t)!.get(VIP)).toBe('eni-b');
      expect(standIn.tables.get(t)!.get('10.0.0.0/8')).toBe('eni-other');
    }
    expect(standIn.tables.get('rtb-unrelated')!.get(VIP)).toBe('eni-a');
    expect(standIn.changes.map((c) => c.routeTableId).sort()).toEqual(TABLES);
    expect(standIn.calls.map((c) => c.action)).toEqual(['ReplaceRoute', 'ReplaceRoute', 'ReplaceRoute', 'DescribeRouteTables']);
  });

  it('reads targets per table', async () => {
    standIn.tables.get('rtb-2')!.set(VIP, 'eni-b');
    expect(Object.fromEntries(await steering().targets())).toEqual({ 'rtb-1': 'eni-a', 'rtb-2': 'eni-b', 'rtb-3': 'eni-a' });
  });

  it('repairs only the tables pointing elsewhere, and does nothing when all are right', async () => {
    standIn.tables.get('rtb-1')!.set(VIP, 'eni-b');
    standIn.tables.get('rtb-3')!.set(VIP, 'eni-b');
    expect(await steering().repair('eni-b')).toEqual(['rtb-2']);
    expect(standIn.changes.map((c) => [c.routeTableId, c.networkInterfaceId])).toEqual([['rtb-2', 'eni-b']]);
    expect(await steering().repair('eni-b')).toEqual([]);
    expect(standIn.changes).toHaveLength(1);
  });

  it('does not repair when mastership was lost while describing', async () => {
    expect(await steering().repair('eni-b', () => false)).toEqual([]);
    expect(standIn.changes).toHaveLength(0);
    expect(standIn.tables.get('rtb-1')!.get(VIP)).toBe('eni-a');
  });

  it('fails (does not claim success) when a table does not exist', async () => {
    await expect(steering(['rtb-1', 'rtb-missing']).steerTo('eni-b')).rejects.toThrow(/rtb-missing/);
  });

  it('learns this instance\'s ENI from IMDSv2 (token first)', async () => {
    expect(await primaryInterfaceId(endpoint)).toBe('eni-b');
  });
});
