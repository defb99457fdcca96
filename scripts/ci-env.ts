/**
 * Prints what a CI job needs to reach one environment, from the same config the app uses:
 *   npx tsx scripts/ci-env.ts staging >> "$GITHUB_OUTPUT"
 * -> account=..., region=..., deploy_role_arn=..., diff_role_arn=..., lookup_role_arn=..., stacks=monsaas-staging-*
 * (lookup_role_arn: the CDK bootstrap lookup role, ReadOnlyAccess, which the diff role may assume for
 * preflight and drift detection.)
 */
import { environments } from '../config';
import { exitOnConfigError } from '../lib/config-schema/cli';
import { ConfigError, validateEnvConfig } from '../lib/config-schema/load';
import { ciRoleNames } from '../lib/constructs/ci/github-deploy-roles';
import { SERVICE } from '../lib/platform/service';

exitOnConfigError(() => {
  const name = process.argv[2];
  if (!name || !(name in environments)) throw new ConfigError(`ci-env: name one environment (${Object.keys(environments).join(', ')})`);
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  const roles = ciRoleNames(config);
  const role = (roleName: string) => `arn:aws:iam::${config.account}:role/${roleName}`;
  console.log(`account=${config.account}`);
  console.log(`region=${config.region}`);
  console.log(`deploy_role_arn=${role(roles.deploy)}`);
  console.log(`diff_role_arn=${role(roles.diff)}`);
  console.log(`lookup_role_arn=${role(`cdk-${config.ci.bootstrapQualifier}-lookup-role-${config.account}-${config.region}`)}`);
  console.log(`stacks=${SERVICE}-${config.name}-*`);
});
