import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { configRejection, type ConfigMutation } from '../../../support/config-rejection';


describe('network, edge, services and database config rules', () => {
  const cases: Array<[string, 'staging' | 'production', ConfigMutation, RegExp]> = [
    ['staging without a certificate', 'staging', (c) => { delete c.edge.certificateArn; }, /^config\/staging\.ts: edge\.certificateArn: is required in staging: set it to the ACM certificate ARN for the TLS listener$/],
    ['production without a certificate', 'production', (c) => { delete c.edge.certificateArn; }, /edge\.certificateArn: is required in production: set it to the ACM certificate ARN/],
    ['a malformed certificate ARN', 'staging', (c) => { c.edge.certificateArn = 'arn:aws:acm:x'; }, /edge\.certificateArn: must be an ACM certificate ARN/],
    ['a NAT gateway short of one per AZ in production', 'production', (c) => { c.network.natGateways = 1; }, /network\.natGateways: is 1 but production has 3 AZs; set it to 3/],
    ['an unknown interface endpoint', 'staging', (c) => { c.network.interfaceEndpoints = ['ecr.api', 'sqs' as never]; }, /network\.interfaceEndpoints\[1\]: must name interface endpoint services \(ecr\.api, /],
    ['an interface endpoint listed twice', 'staging', (c) => { c.network.interfaceEndpoints = ['logs', 'logs']; }, /network\.interfaceEndpoints: lists a service twice/],
    ['the old boolean interfaceEndpoints', 'staging', (c) => { (c.network as Record<string, unknown>).interfaceEndpoints = true; }, /network\.interfaceEndpoints: /],
    ['a single-AZ database in production', 'production', (c) => { c.database.multiAz = false; }, /database\.multiAz: must be true in production so the database survives the loss of an AZ/],
    ['a CPU target above 90%', 'staging', (c) => { c.services.api.cpuTargetPercent = 95; }, /services\.api\.cpuTargetPercent: must be 10-90 \(percent\)/],
    ['a zero connection target', 'staging', (c) => { c.services.web.newConnectionsPerTaskPerMinute = 0; }, /services\.web\.newConnectionsPerTaskPerMinute: must be at least 1 connection per task per minute/],
    ['too few kept images for a rollback', 'production', (c) => { c.services.keepImages = 2; }, /services\.keepImages: must be at least 5 so a rollback finds its image/],
    ['no point-in-time recovery', 'staging', (c) => { c.database.backupRetentionDays = 0; }, /database\.backupRetentionDays: must be at least 1 day so point-in-time recovery is on/],
    ['a health path that is not absolute', 'staging', (c) => { c.services.api.healthCheckPath = 'healthz'; }, /services\.api\.healthCheckPath: must be an absolute path/],
    ['a CPU size Fargate does not offer', 'staging', (c) => { c.services.web.cpu = 300; }, /services\.web\.cpu: must be a Fargate CPU size/],
  ];

  it.each(cases)('rejects %s with one line naming the field and the fix', (_name, base, mutate, expected) => {
    const message = configRejection(base, mutate);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(expected);
  });

  it('accepts a single NAT gateway and a single-AZ database in staging', () => {
    const cfg = validateEnvConfig('staging.ts', environments.staging);
    expect([cfg.network.natGateways, cfg.database.multiAz]).toEqual([1, false]);
  });
});
