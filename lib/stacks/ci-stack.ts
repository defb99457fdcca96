import type { Construct } from 'constructs';
import { GitHubDeployRoles } from '../constructs/ci/github-deploy-roles';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

/** The roles the project's own GitHub workflows assume to diff and deploy this environment. */
export class CiStack extends PlatformStack {
  readonly roles: GitHubDeployRoles;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'ci', { description: 'GitHub OIDC roles for CI diff and deploy', ...props });
    this.roles = new GitHubDeployRoles(this, 'GitHub', { config: this.config });
  }
}
