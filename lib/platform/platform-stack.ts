import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvConfig } from '../config-schema/schema';
import { SERVICE } from './service';
import { STACK_PARTS, stackNameOf, type StackPart } from './stack-parts';

export interface PlatformStackProps extends Omit<StackProps, 'env' | 'stackName'> {
  readonly config: EnvConfig;
  /**
   * Region of this stack when it is not the environment's (edge health lives where Route 53 publishes
   * its metrics).
   * @default config.region
   */
  readonly region?: string;
}

/** Names, places, tags and protects a stack of one environment: <service>-<env>-<part>. */
export class PlatformStack extends Stack {
  readonly config: EnvConfig;

  constructor(scope: Construct, part: StackPart, props: PlatformStackProps) {
    const { region, ...stackProps } = props;
    const stackName = stackNameOf(props.config.name, part);
    super(scope, stackName, {
      ...stackProps,
      stackName,
      env: { account: props.config.account, region: region ?? props.config.region },
      terminationProtection: props.config.terminationProtection,
    });
    this.config = props.config;
    Tags.of(this).add('service', SERVICE);
    Tags.of(this).add('environment', props.config.name);
    Tags.of(this).add('stack-part', STACK_PARTS[part]);
  }
}
