import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';

/**
 * The image Redis nodes launch from, as EC2 reads it at launch: an SSM parameter holding config
 * `redis.ami`, named by a launch template as `resolve:ssm:`. The launch template never changes, so a new
 * AMI changes no instance property (CloudFormation would have to replace every node, which the fixed
 * ENIs make impossible); nodes take it when they are relaunched, one role per deploy (config
 * `redis.relaunch`). The template also enforces IMDSv2.
 */
export class RedisNodeImage extends Construct {
  readonly parameter: ssm.StringParameter;
  readonly launchTemplate: ec2.CfnLaunchTemplate;

  constructor(scope: Construct, id: string, props: { readonly config: EnvConfig }) {
    super(scope, id);
    const { config } = props;
    this.parameter = new ssm.StringParameter(this, 'Image', {
      parameterName: `/monsaas/${config.name}/redis/image`,
      description: `Image new Redis nodes launch from: ${config.redis.ami.name}`,
      stringValue: config.redis.ami.id,
      // EC2 checks the value is an image this account can launch.
      dataType: ssm.ParameterDataType.AWS_EC2_IMAGE,
    });
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateData: {
        imageId: `resolve:ssm:${this.parameter.parameterName}`,
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
      },
    });
    // The instances read the template's version: it must exist (with its parameter) before them.
    this.launchTemplate.node.addDependency(this.parameter);
  }
}
