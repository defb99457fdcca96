import { App, Aspects, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENT_NAMES, environments as defaultEnvironments } from '../config';
import { environmentsFromFiles } from './config-schema/environment-files';
import { ConfigError, validateEnvConfig } from './config-schema/load';
import type { EnvConfig, EnvConfigInput } from './config-schema/schema';
import { imageTagSchema } from './config-schema/sections/services';
import { didYouMean } from './config-schema/suggest';
import { buildEnvironment, type PlatformEnvironment } from './platform/environment';
import { LandingZoneControls } from './platform/landing-zone-controls';

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
  const app = new App({
    // Debugging metadata nobody reads here (tree.json, a stack trace per resource and annotation): a
    // tenth of every synth. `cdk synth --debug` still records creation stack traces.
    treeMetadata: false,
    stackTraces: false,
    ...options.appProps,
    context: { 'aws:cdk:disable-creation-stack-traces': true, ...options.appProps?.context },
  });
  return { app, environments: buildPlatform(app, options) };
}

/**
 * Builds the whole platform into `app`: every environment, or only the one named by `-c env=NAME`.
 * cdk-nag's AwsSolutions pack runs over everything on synth; an unacknowledged finding fails it.
 * `-c imageTag=TAG` overrides the deployed image tag (CI passes the commit's build).
 */
export function buildPlatform(app: App, options: BuildPlatformOptions = {}): PlatformEnvironment[] {
  const configDir = app.node.tryGetContext('configDir') as unknown;
  const available = options.environments ?? (configDir === undefined ? defaultEnvironments : environmentsIn(configDir));
  const { env: chosen, imageTag } = readContext(app, Object.keys(available));
  const configs: EnvConfig[] = Object.keys(available)
    .filter((name) => chosen === undefined || name === chosen)
    .map((name) => {
      // Reading the environment loads its file: a file that throws fails here, with its own name.
      const raw = available[name]!;
      const config = validateEnvConfig(`${name}.ts`, raw);
      if (config.name !== name) throw new ConfigError(`config/${name}.ts: name: is "${config.name}"; it must equal the environment's key "${name}"`);
      return imageTag === undefined ? config : { ...config, services: { ...config.services, imageTag } };
    });

  prepareApp(app, configs);
  return configs.map((config) => buildEnvironment(app, config));
}

/**
 * What every app of this project carries before any stack is added, whole or (in a test) partial:
 * the region's AZs answered from config (the VPC asks even when they are given, and answering keeps
 * synth offline), cdk-nag's AwsSolutions gate, and the landing-zone controls (KMS on every log group).
 */
export function prepareApp(app: App, configs: readonly EnvConfig[]): void {
  for (const config of configs) {
    app.node.setContext(`availability-zones:account=${config.account}:region=${config.region}`, config.availabilityZones);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  Aspects.of(app).add(new LandingZoneControls());
}

/** The `-c KEY=VALUE` flags this app reads; CDK's own keys carry ":" or start with "@". */
const APP_CONTEXT_KEYS = ['env', 'imageTag', 'configDir'] as const;

/** `-c configDir=DIR` reads the environment files from DIR (to try a proposed change without editing config/). */
function environmentsIn(dir: unknown): Readonly<Record<string, EnvConfigInput>> {
  if (typeof dir !== 'string' || !fs.existsSync(path.join(dir, `${ENVIRONMENT_NAMES[0]}.ts`))) {
    throw new ConfigError(`-c configDir=${String(dir)}: holds no ${ENVIRONMENT_NAMES[0]}.ts; name a directory with the files of config/ (${ENVIRONMENT_NAMES.map((n) => `${n}.ts`).join(', ')})`);
  }
  return environmentsFromFiles(path.resolve(dir), ENVIRONMENT_NAMES);
}

/** Validates the app's own context flags; each mistake is one line naming the flag. */
function readContext(app: App, environmentNames: readonly string[]): { env?: string; imageTag?: string } {
  for (const key of Object.keys(app.node.getAllContext())) {
    if (key.includes(':') || key.startsWith('@') || (APP_CONTEXT_KEYS as readonly string[]).includes(key)) continue;
    throw new ConfigError(`-c ${key}: is not a context key of this app${didYouMean(key, APP_CONTEXT_KEYS)}; it reads -c env=NAME, -c imageTag=TAG and -c configDir=DIR`);
  }
  const env = app.node.tryGetContext('env') as unknown;
  if (env !== undefined && (typeof env !== 'string' || !environmentNames.includes(env))) {
    throw new ConfigError(`-c env=${String(env)}: no such environment${typeof env === 'string' ? didYouMean(env, environmentNames) : ''}; use one of ${environmentNames.join(', ')} (files in config/)`);
  }
  const imageTag = app.node.tryGetContext('imageTag') as unknown;
  if (imageTag !== undefined) {
    // The CLI turns -c imageTag=123 into a number: a tag is text either way.
    const tag = typeof imageTag === 'number' ? String(imageTag) : imageTag;
    if (typeof tag !== 'string' || !imageTagSchema.safeParse(tag).success) {
      throw new ConfigError(`-c imageTag=${String(imageTag)}: is not a Docker image tag (1-128 letters, digits, "_", "." or "-", not starting with "." or "-"); pass e.g. -c imageTag=$(git rev-parse --short=12 HEAD)`);
    }
    return { env: env as string | undefined, imageTag: tag };
  }
  return { env: env as string | undefined };
}
