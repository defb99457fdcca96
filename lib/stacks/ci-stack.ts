import type { Construct } from 'constructs';
import { GitHubDeployRoles } from '../constructs/ci/github-deploy-roles';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { HEALTH_CHECK_METRICS_REGION } from './edge-health-stack';

/** The roles the project's own GitHub workflows assume to diff and deploy this environment. */
export class CiStack extends PlatformStack {
  readonly roles: GitHubDeployRoles;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'ci', { description: 'GitHub OIDC roles for CI diff and deploy', ...props });
    // The edge-health stack deploys to the health-check metrics region: CI needs its bootstrap roles too.
    const bootstrapRegions = [...new Set([this.config.region, HEALTH_CHECK_METRICS_REGION])];
    this.roles = new GitHubDeployRoles(this, 'GitHub', { config: this.config, bootstrapRegions });
  }
}
