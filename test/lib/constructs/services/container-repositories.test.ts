import { describe, expect, it } from 'vitest';
import { ContainerRepositories } from '../../../../lib/constructs/services/container-repositories';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, logicalId } from '../../../support/construct-fixture';

describe.each(ENVIRONMENTS)('ContainerRepositories (%s)', (env) => {
  const fixture = constructFixture(env);
  const repos = new ContainerRepositories(fixture.stack, 'Repos', { config: fixture.config, key: fixture.key });
  const t = fixtureTemplate(fixture);

  it('holds one scanned, KMS-encrypted repository per service with immutable build tags', () => {
    t.resourceCountIs('AWS::ECR::Repository', 2);
    for (const service of ['api', 'web']) {
      t.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: `monsaas-${env}/${service}`,
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest-*' }],
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [logicalId(fixture.key, fixture.stack), 'Arn'] } },
      });
    }
    expect(Object.keys(repos.repositories)).toEqual(['api', 'web']);
  });

  it('expires untagged images after a day and keeps the configured number of images', () => {
    const policy = JSON.parse(Object.values(t.findResources('AWS::ECR::Repository'))[0]!.Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(policy.rules).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1 }) }),
      expect.objectContaining({ rulePriority: 2, selection: expect.objectContaining({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: fixture.config.services.keepImages }) }),
    ]);
  });

  it('is kept or destroyed with the stack as the environment keeps its data', () => {
    const policy = fixture.config.retainData ? 'Retain' : 'Delete';
    for (const repo of Object.values(t.findResources('AWS::ECR::Repository'))) expect(repo.DeletionPolicy).toBe(policy);
  });
});
