import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { createApp, prepareApp, type BuildPlatformOptions } from '../../lib/create-app';
import type { EnvConfig } from '../../lib/config-schema/schema';
import type { PlatformEnvironment } from '../../lib/platform/environment';
import { stackNameOf, type StackPart } from '../../lib/platform/stack-parts';
import { sharedAssembly } from './shared-assembly';
import { synthAssemblyDirectory } from './validation-report';

const ROOT = path.resolve(__dirname, '../..');

/** cdk.json's context: `new App()` outside the CLI does not read it, so tests pass it in. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

export interface TestPlatform {
  readonly app: App;
  readonly environments: PlatformEnvironment[];
  env(name: string): PlatformEnvironment;
}

/** Builds the app exactly as bin/app.ts does, with bundling skipped (asset hashes stay stable and fast). */
export function buildTestPlatform(
  context: Record<string, unknown> = {},
  options: BuildPlatformOptions & { readonly cloudFormationValidation?: boolean; readonly outdir?: string } = {},
): TestPlatform {
  const { app, environments } = createApp({
    ...options,
    appProps: {
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
      builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
      ...(options.outdir ? { outdir: options.outdir } : {}),
    },
  });
  return {
    app,
    environments,
    env(name) {
      const found = environments.find((e) => e.config.name === name);
      if (!found) throw new Error(`no environment ${name}`);
      return found;
    },
  };
}

/**
 * An app prepared exactly as createApp prepares it (cdk.json's context, AZs from config, cdk-nag), with
 * bundling skipped, for tests that build a few stacks or one construct on their own. CloudFormation's
 * own lint is off (it is slow; `npm run validate:cfn` runs it over the whole app).
 */
export function partialApp(configs: readonly EnvConfig[], props: AppProps = {}): App {
  const app = new App({
    builtinCloudFormationValidation: false,
    ...props,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...props.context },
  });
  prepareApp(app, configs);
  return app;
}

let cached: TestPlatform | undefined;
/** The default platform (both environments), built once per test file. */
export function defaultPlatform(): TestPlatform {
  cached ??= buildTestPlatform();
  return cached;
}

export type { StackPart };

/**
 * The default platform (both environments, cdk-nag on, bundling skipped) synthesized once per test run,
 * on first use. CloudFormation's own lint is left to `npm run validate:cfn`.
 */
export function defaultAssembly(): string {
  return sharedAssembly((outdir) => {
    synthAssemblyDirectory(buildTestPlatform({}, { cloudFormationValidation: false, outdir }).app);
  });
}

const templates = new Map<string, Template>();
/** Template of one stack of the default platform, e.g. template('staging', 'network'), from defaultAssembly(). */
export function template(envName: string, part: StackPart): Template {
  const key = `${envName}/${part}`;
  let found = templates.get(key);
  if (!found) {
    const file = path.join(defaultAssembly(), `${stackNameOf(envName, part)}.template.json`);
    found = Template.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    templates.set(key, found);
  }
  return found;
}

export const ENVIRONMENTS = ['staging', 'production'] as const;
