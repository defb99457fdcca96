import { Duration } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { statefulRemovalPolicy } from '../../platform/policies';

/** The application services whose images this construct holds. */
export const APP_SERVICES = ['api', 'web'] as const;
export type AppServiceName = (typeof APP_SERVICES)[number];

export interface ContainerRepositoriesProps {
  readonly config: EnvConfig;
  readonly key: kms.IKey;
}

/**
 * One ECR repository per application service. Build tags (git SHAs) are immutable so a deployed tag
 * always means the same image; only the moving `latest-*` tags may be re-pointed. Images are scanned
 * on push, encrypted with the data key, and old ones expire so a rollback still finds recent builds.
 */
export class ContainerRepositories extends Construct {
  readonly repositories: Readonly<Record<AppServiceName, ecr.Repository>>;

  constructor(scope: Construct, id: string, props: ContainerRepositoriesProps) {
    super(scope, id);
    const { config } = props;
    const make = (service: AppServiceName) => new ecr.Repository(this, service, {
      repositoryName: `monsaas-${config.name}/${service}`,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest-*')],
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.key,
      removalPolicy: statefulRemovalPolicy(config),
      lifecycleRules: [
        { rulePriority: 1, description: 'Untagged layers of failed or replaced pushes', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) },
        { rulePriority: 2, description: `Keep the newest ${config.services.keepImages} images`, tagStatus: ecr.TagStatus.ANY, maxImageCount: config.services.keepImages },
      ],
    });
    this.repositories = { api: make('api'), web: make('web') };
  }
}
