/**
 * Checks, with read-only credentials of an environment's account, what synth cannot know: the
 * certificate, hosted zone, image, SSM parameters, CDK bootstrap in every region, instance type
 * offerings and quotas. One line per check; exits 1 when any fails.
 *   npm run preflight -- --env production
 */
import { environments } from '../config';
import { exitOnConfigError } from '../lib/config-schema/cli';
import { ConfigError, validateEnvConfig } from '../lib/config-schema/load';
import { preflightClients } from './preflight/clients';
import { formatResult, runPreflight } from './preflight/checks';
import { preflightRequirements } from './preflight/requirements';

const USAGE = 'usage: npm run preflight -- --env NAME   (read-only credentials of that environment\'s account)';

function parseArgs(argv: readonly string[]): string {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const [flag, name, ...rest] = argv;
  if (flag !== '--env' || !name || rest.length > 0) throw new ConfigError(`preflight: ${argv.join(' ') || 'no arguments'}: expected --env NAME; ${USAGE}`);
  if (!(name in environments)) throw new ConfigError(`preflight: --env ${name}: no such environment; use one of ${Object.keys(environments).join(', ')}`);
  return name;
}

exitOnConfigError(() => {
  const name = parseArgs(process.argv.slice(2));
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  void runPreflight(preflightClients(config.region), preflightRequirements(config)).then((results) => {
    for (const result of results) console.log(formatResult(result));
    const failed = results.filter((r) => !r.ok).length;
    console.log(failed === 0 ? `preflight ${name}: all ${results.length} checks passed` : `preflight ${name}: ${failed} of ${results.length} checks failed`);
    process.exitCode = failed === 0 ? 0 : 1;
  });
});
