import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvConfig } from '../config-schema/schema';
import { SERVICE } from './service';

export interface PlatformStackProps extends Omit<StackProps, 'env' | 'stackName'> {
  readonly config: EnvConfig;
}

/** Names, places, tags and protects a stack of one environment: <service>-<env>-<part>. */
export class PlatformStack extends Stack {
  readonly config: EnvConfig;

  constructor(scope: Construct, part: string, props: PlatformStackProps) {
    const stackName = `${SERVICE}-${props.config.name}-${part}`;
    super(scope, stackName, {
      ...props,
      stackName,
      env: { account: props.config.account, region: props.config.region },
      terminationProtection: props.config.terminationProtection,
    });
    this.config = props.config;
    Tags.of(this).add('service', SERVICE);
    Tags.of(this).add('environment', props.config.name);
    Tags.of(this).add('stack-part', part);
  }
}
