import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { environments as defaultEnvironments } from '../config';
import { ConfigError, validateEnvConfig } from './config-schema/load';
import type { EnvConfig, EnvConfigInput } from './config-schema/schema';
import { buildEnvironment, type PlatformEnvironment } from './platform/environment';

export interface BuildPlatformOptions {
  /** Environment configs by name (default: config/index.ts). */
  readonly environments?: Readonly<Record<string, EnvConfigInput>>;
}

export interface CreateAppOptions extends BuildPlatformOptions {
  /** Passed to the CDK App (context, CloudFormation validation, output directory). */
  readonly appProps?: AppProps;
}

/** The CDK App with every environment of the platform built into it. */
export interface PlatformApp {
  readonly app: App;
  readonly environments: PlatformEnvironment[];
}

/**
 * The one composition root: bin/app.ts, the tests, the diagram and the benchmarks all build the app
 * here, so what they check is what `cdk synth` deploys.
 */
export function createApp(options: CreateAppOptions = {}): PlatformApp {
  const app = new App(options.appProps);
  return { app, environments: buildPlatform(app, options) };
}

/**
 * Builds the whole platform into `app`: every environment, or only the one named by `-c env=NAME`.
 * cdk-nag's AwsSolutions pack runs over everything on synth; an unacknowledged finding fails it.
 * `-c imageTag=TAG` overrides the deployed image tag (CI passes the commit's build).
 */
export function buildPlatform(app: App, options: BuildPlatformOptions = {}): PlatformEnvironment[] {
  const available = options.environments ?? defaultEnvironments;
  const chosen = app.node.tryGetContext('env') as string | undefined;
  if (chosen !== undefined && !(chosen in available)) {
    throw new ConfigError(`-c env=${chosen}: no such environment; use one of ${Object.keys(available).join(', ')} (files in config/)`);
  }
  const imageTag = app.node.tryGetContext('imageTag') as string | undefined;
  const configs: EnvConfig[] = Object.entries(available)
    .filter(([name]) => chosen === undefined || name === chosen)
    .map(([name, raw]) => {
      const config = validateEnvConfig(`${name}.ts`, imageTag ? { ...raw, services: { ...raw.services, imageTag } } : raw);
      if (config.name !== name) throw new ConfigError(`config/${name}.ts: name: is "${config.name}"; it must equal the environment's key "${name}"`);
      return config;
    });

  for (const config of configs) {
    // The VPC asks for the region's AZs even when they are given; answering from config keeps synth offline.
    app.node.setContext(`availability-zones:account=${config.account}:region=${config.region}`, config.availabilityZones);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return configs.map((config) => buildEnvironment(app, config));
}
