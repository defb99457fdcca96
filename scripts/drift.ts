/**
 * Drift detection of every stack of one environment, one line per stack (and one per drifted resource):
 *   npm run drift -- --env production
 * Expected drift is reported and tolerated: the Redis VIP routes, whose target ENI the failover agent
 * moves to the current MASTER. Exits 1 on any other drift or when a stack cannot be checked.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { environments } from '../config';
import { exitOnConfigError } from '../lib/config-schema/cli';
import { ConfigError, validateEnvConfig } from '../lib/config-schema/load';
import { STACK_PARTS, stackNameOf, type StackPart } from '../lib/platform/stack-parts';
import { HEALTH_CHECK_METRICS_REGION } from '../lib/stacks/edge-health-stack';
import { detectDrift, formatDrift } from './drift/detect';
import { parseCli } from './lib/cli';

exitOnConfigError(() => {
  const { values } = parseCli({
    command: 'npm run drift --',
    usage: ['--env NAME', '--env NAME   the environment whose stacks to check for drift (read-only credentials of its account)'],
    options: { env: { type: 'string' } },
  });
  const name = values.env;
  if (!name) throw new ConfigError('drift: --env NAME is required; usage: npm run drift -- --env NAME');
  if (!(name in environments)) throw new ConfigError(`drift: --env ${name}: no such environment; use one of ${Object.keys(environments).join(', ')}`);
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  const clients = new Map<string, CloudFormationClient>();
  const client = (region: string) => clients.get(region) ?? clients.set(region, new CloudFormationClient({ region })).get(region)!;
  const stacks = (Object.keys(STACK_PARTS) as StackPart[]).map((part) => ({
    name: stackNameOf(config.name, part),
    region: part === 'edgeHealth' ? HEALTH_CHECK_METRICS_REGION : config.region,
  }));
  void detectDrift(client, stacks).then((reports) => {
    for (const line of reports.flatMap(formatDrift)) console.log(line);
    process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
  });
});
