import { Stack, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { environments } from '../../config';
import { validateEnvConfig } from '../../lib/config-schema/load';
import type { EnvConfig } from '../../lib/config-schema/schema';
import { PlatformVpc } from '../../lib/constructs/network/platform-vpc';
import { SecurityGroups } from '../../lib/constructs/network/security-groups';
import { partialApp } from './platform';

/**
 * A small stack holding the VPC and security groups of one environment's real config, for testing one
 * construct on its own (much faster than synthesizing the whole platform). cdk-nag runs on synth; its
 * findings land in the validation report (see `nagReport`), not in an exception.
 */
export interface ConstructFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly config: EnvConfig;
  readonly platformVpc: PlatformVpc;
  readonly securityGroups: SecurityGroups;
  readonly key: kms.Key;
  readonly logsBucket: s3.Bucket;
}

export function constructFixture(envName: string, configure?: (config: EnvConfig) => EnvConfig): ConstructFixture {
  const validated = validateEnvConfig(`${envName}.ts`, environments[envName]);
  const config = configure ? configure(validated) : validated;
  const app = partialApp([config], { context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stack = new Stack(app, 'Fixture', { env: { account: config.account, region: config.region } });
  const platformVpc = new PlatformVpc(stack, 'Network', { config });
  const securityGroups = new SecurityGroups(stack, 'SecurityGroups', { config, vpc: platformVpc.vpc });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const logsBucket = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
  return { app, stack, config, platformVpc, securityGroups, key, logsBucket };
}

export function fixtureTemplate(fixture: ConstructFixture): Template {
  return Template.fromStack(fixture.stack);
}

/** Logical id of a construct's CloudFormation resource in its stack. */
export function logicalId(construct: { node: { defaultChild?: unknown } }, stack: Stack): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}
