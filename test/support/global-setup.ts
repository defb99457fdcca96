import * as fs from 'node:fs';
import { ASSEMBLY_ENV, buildTestPlatform } from './platform';
import { synthAssemblyDirectory } from './validation-report';

/**
 * Synthesizes the default platform (both environments) once per test run, so the many template
 * tests read JSON instead of each building the app (the 2-core budget). If the app cannot be built,
 * tests fall back to building it themselves and report the error where it matters.
 */
export default function setup(): () => void {
  let directory: string | undefined;
  try {
    // cdk-nag runs here as on every synth; CloudFormation's own lint is left to npm run validate:cfn.
    directory = synthAssemblyDirectory(buildTestPlatform({}, { cloudFormationValidation: false }).app);
    process.env[ASSEMBLY_ENV] = directory;
  } catch (error) {
    console.warn(`global setup: could not synthesize the platform once (${(error as Error).message.split('\n')[0]}); tests build it themselves`);
  }
  return () => {
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  };
}
