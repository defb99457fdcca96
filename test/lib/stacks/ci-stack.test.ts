import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, template } from '../../support/platform';

describe.each(ENVIRONMENTS)('%s CI roles', (env) => {
  const t = () => template(env, 'ci');
  const account = env === 'staging' ? '111111111111' : '222222222222';
  const bootstrapIn = (region: string) => (kind: string) => `arn:aws:iam::${account}:role/cdk-hnb659fds-${kind}-role-${account}-${region}`;
  /** The environment's region and us-east-1 (the edge-health stack's). */
  const bootstrap = (kind: string) => ['ap-northeast-1', 'us-east-1'].map((region) => bootstrapIn(region)(kind));

  it('creates the GitHub OIDC provider for sts.amazonaws.com and keeps it on delete', () => {
    t().hasResource('AWS::IAM::OIDCProvider', {
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
      DeletionPolicy: 'Retain',
    });
  });

  it('trusts only this repository in its GitHub Environment for deploys', () => {
    t().hasResourceProperties('AWS::IAM::Role', {
      RoleName: `monsaas-${env}-github-deploy`,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': [`repo:monsaas/platform-infra:environment:${env}`] },
            },
          }),
        ],
      },
    });
  });

  it('lets the deploy role assume only the CDK bootstrap roles', () => {
    const policies = t().findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('DeployRole') }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        // Sorted as the IAM policy minimizer emits them.
        Resource: ['ap-northeast-1', 'us-east-1'].flatMap((region) => ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(bootstrapIn(region))).sort(),
      },
    ]);
  });

  it('lets pull requests and main only read (assume the read-only lookup role): diff, preflight, drift', () => {
    t().hasResourceProperties('AWS::IAM::Role', {
      RoleName: `monsaas-${env}-github-diff`,
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Condition: Match.objectLike({ StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:monsaas/platform-infra:pull_request', 'repo:monsaas/platform-infra:ref:refs/heads/main'] } }) })],
      },
    });
    const policies = t().findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('DiffRole') }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Sid: 'AssumeCdkLookupRole', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: bootstrap('lookup') }]);
  });
});
