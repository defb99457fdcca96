import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import type { EnvConfigInput } from '../../../../lib/config-schema/schema';
import { everyMinutesCron } from '../../../../lib/constructs/batch/job-schedule';
import { configRejection } from '../../../support/config-rejection';

type Mutation = (batch: EnvConfigInput['batch']) => void;

const rejection = (base: 'staging' | 'production', mutate: Mutation): string => configRejection(base, (cfg) => mutate(cfg.batch));

const query = () => structuredClone(environments.staging!.batch.logMetrics.queries![0]!);

describe('batch config', () => {
  it.each(['staging', 'production'])('%s validates with defaults applied', (name) => {
    const batch = validateEnvConfig(`${name}.ts`, environments[name]).batch;
    expect(batch.usage.enabled).toBe(true);
    expect(batch.usage.retryAttempts).toBe(3);
    expect(batch.logMetrics.queries.every((q) => q.offsetMinutes === 10)).toBe(true);
  });

  const cases: Array<[string, 'staging' | 'production', Mutation, RegExp]> = [
    ['a 5-field cron', 'staging', (b) => { b.usage.schedule = '0 * * * *'; }, /^config\/staging\.ts: batch\.usage\.schedule: "0 \* \* \* \*" has 5 field\(s\); write six: minute hour day-of-month month day-of-week year/],
    ['a cron without "?"', 'staging', (b) => { b.billing.schedule = '0 2 1 * * *'; }, /batch\.billing\.schedule: "0 2 1 \* \* \*" must have "\?" in exactly one of day-of-month and day-of-week/],
    ['a Lambda timeout past 900 s', 'staging', (b) => { b.retention.timeoutSeconds = 1200; }, /batch\.retention\.timeoutSeconds: must be at most 900 s \(the Lambda limit\); move longer work to an ECS task/],
    ['a slot that does not divide a day', 'staging', (b) => { b.usage.slotMinutes = 50; }, /batch\.usage\.slotMinutes: must divide 1440/],
    ['a usage run longer than its slot', 'staging', (b) => { b.usage.slotMinutes = 1; b.usage.timeoutSeconds = 120; }, /batch\.usage\.timeoutSeconds: \(120 s\) exceeds the snapshot slot \(1 min\); a run must end inside its slot/],
    ['a Fargate CPU size that does not exist', 'production', (b) => { b.billing.cpu = 300 as never; }, /batch\.billing\.cpu: /],
    ['an interval that does not divide an hour', 'staging', (b) => { b.logMetrics.queries![0]!.intervalMinutes = 7; }, /batch\.logMetrics\.queries\[0\]\.intervalMinutes: must divide 60/],
    ['a query interval shorter than the function timeout', 'staging', (b) => { b.logMetrics.timeoutSeconds = 120; b.logMetrics.queries![0]!.intervalMinutes = 1; }, /batch\.logMetrics\.queries\[0\]\.intervalMinutes: \(1 min\) is shorter than logMetrics\.timeoutSeconds \(120 s\)/],
    ['two queries with one name', 'staging', (b) => { b.logMetrics.queries = [query(), query()]; }, /batch\.logMetrics\.queries\[1\]\.name: "usage-runs" is used twice/],
    ['an API key name not starting with "/"', 'staging', (b) => { b.logMetrics.queries![0]!.apiKeyParameterName = 'key'; }, /apiKeyParameterName: must be an SSM parameter name starting with "\/"/],
    ['a plain-http API', 'staging', (b) => { b.logMetrics.apiBaseUrl = 'http://api.example.com'; }, /batch\.logMetrics\.apiBaseUrl: must be an https:\/\/ URL/],
    ['organizations kept shorter than hosts', 'production', (b) => { b.retention.retiredOrganizationDays = 30; }, /batch\.retention\.retiredOrganizationDays: must be at least retention\.retiredHostDays/],
    ['a bad image tag', 'staging', (b) => { b.billing.imageTag = 'bad tag'; }, /batch\.billing\.imageTag: must be a Docker image tag/],
  ];

  it.each(cases)('rejects %s with one line naming the field and the fix', (_name, base, mutate, expected) => {
    const message = rejection(base, mutate);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(expected);
  });

  it.each([[5, '0/5 * * * ? *'], [15, '0/15 * * * ? *'], [60, '0 * * * ? *']])('runs a %i-minute query on "%s"', (minutes, cron) => {
    expect(everyMinutesCron(minutes)).toBe(cron);
  });
});
