/**
 * Checks, with read-only credentials of an environment's account, what synth cannot know: the
 * certificate, hosted zone, image, SSM parameters, CDK bootstrap in every region, instance type
 * offerings and quotas. One line per check; exits 1 when any fails.
 *   npm run preflight -- --env production
 */
import { environments } from '../config';
import { exitOnConfigError } from '../lib/config-schema/cli';
import { ConfigError, validateEnvConfig } from '../lib/config-schema/load';
import { parseCli } from './lib/cli';
import { preflightClients } from './preflight/clients';
import { formatResult, runPreflight } from './preflight/checks';
import { preflightRequirements } from './preflight/requirements';

function parseEnvironment(): string {
  const { values } = parseCli({
    command: 'npm run preflight --',
    usage: ['--env NAME', '--env NAME   the environment whose account to check (read-only credentials of that account)'],
    options: { env: { type: 'string' } },
  });
  const name = values.env;
  if (!name) throw new ConfigError('preflight: --env NAME is required; usage: npm run preflight -- --env NAME');
  if (!(name in environments)) throw new ConfigError(`preflight: --env ${name}: no such environment; use one of ${Object.keys(environments).join(', ')}`);
  return name;
}

exitOnConfigError(() => {
  const name = parseEnvironment();
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  void runPreflight(preflightClients(config.region), preflightRequirements(config)).then((results) => {
    for (const result of results) console.log(formatResult(result));
    const failed = results.filter((r) => !r.ok).length;
    console.log(failed === 0 ? `preflight ${name}: all ${results.length} checks passed` : `preflight ${name}: ${failed} of ${results.length} checks failed`);
    process.exitCode = failed === 0 ? 0 : 1;
  });
});
