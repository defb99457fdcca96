import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { SERVICE } from '../../platform/service';

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/** Names of the roles the GitHub workflows assume (scripts/ci-env.ts prints them for the workflows). */
export function ciRoleNames(config: EnvConfig): { deploy: string; diff: string } {
  return { deploy: `${SERVICE}-${config.name}-github-deploy`, diff: `${SERVICE}-${config.name}-github-diff` };
}

/**
 * The roles GitHub Actions assume through OIDC (no long-lived keys):
 * - deploy: only from a workflow job running in this repository's GitHub Environment for this env
 *   (the production Environment carries the approval gate); may assume the CDK bootstrap roles.
 * - diff: only from pull requests and from the main branch (the production plan job and the scheduled
 *   drift detection) of this repository; may assume the bootstrap lookup role (ReadOnlyAccess), which
 *   `cdk diff --method=template`, preflight and drift detection use.
 * Both reach the bootstrap roles of every region the environment deploys to (`bootstrapRegions`).
 * Neither role holds any permission on resources itself: CloudFormation acts through the bootstrap roles.
 */
export class GitHubDeployRoles extends Construct {
  readonly deployRole: iam.Role;
  readonly diffRole: iam.Role;

  constructor(scope: Construct, id: string, props: { readonly config: EnvConfig; readonly bootstrapRegions: readonly string[] }) {
    super(scope, id);
    const { config } = props;
    const { account } = Stack.of(this);
    const providerArn = `arn:aws:iam::${account}:oidc-provider/${GITHUB_ISSUER}`;
    if (config.ci.createOidcProvider) {
      const provider = new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
        url: `https://${GITHUB_ISSUER}`,
        clientIds: ['sts.amazonaws.com'],
        // The provider is account-wide and other repositories may come to rely on it.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.node.addDependency(provider);
    }
    const repo = config.ci.githubRepository;
    const trust = (subjects: string[]) =>
      new iam.FederatedPrincipal(
        providerArn,
        {
          StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${GITHUB_ISSUER}:sub`]: subjects },
        },
        'sts:AssumeRoleWithWebIdentity',
      );
    const bootstrapRoles = (...kinds: string[]) => props.bootstrapRegions.flatMap((region) => kinds.map((kind) =>
      `arn:aws:iam::${account}:role/cdk-${config.ci.bootstrapQualifier}-${kind}-role-${account}-${region}`));
    const names = ciRoleNames(config);

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: names.deploy,
      description: `GitHub Actions deploy of ${config.name} from ${repo} (environment ${config.ci.githubEnvironment})`,
      assumedBy: trust([`repo:${repo}:environment:${config.ci.githubEnvironment}`]),
      maxSessionDuration: Duration.hours(2),
    });
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: bootstrapRoles('deploy', 'file-publishing', 'image-publishing', 'lookup'),
      }),
    );

    this.diffRole = new iam.Role(this, 'DiffRole', {
      roleName: names.diff,
      description: `GitHub Actions read-only diff, preflight and drift of ${config.name} for ${repo}`,
      assumedBy: trust([`repo:${repo}:pull_request`, `repo:${repo}:ref:refs/heads/main`]),
      maxSessionDuration: Duration.hours(1),
    });
    this.diffRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkLookupRole',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: bootstrapRoles('lookup'),
      }),
    );
  }
}
