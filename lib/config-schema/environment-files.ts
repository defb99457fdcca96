import * as path from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';
import { ConfigError } from './load';
import type { EnvConfigInput } from './schema';

/**
 * Environments read from their files only when asked for: a file that throws while loading is reported
 * in one line naming it, and every other environment still synthesizes (`-c env=other`).
 * Each file `config/NAME.ts` exports `NAME`. Loaded through tsx so tests and the CDK CLI load them alike.
 */
export function environmentsFromFiles(directory: string, names: readonly string[]): Readonly<Record<string, EnvConfigInput>> {
  const environments: Record<string, EnvConfigInput> = {};
  for (const name of names) {
    let loaded: EnvConfigInput | undefined;
    Object.defineProperty(environments, name, {
      enumerable: true,
      get: () => (loaded ??= loadEnvironmentFile(directory, name)),
    });
  }
  return Object.freeze(environments);
}

function loadEnvironmentFile(directory: string, name: string): EnvConfigInput {
  const file = `config/${name}.ts`;
  let module: Record<string, unknown>;
  try {
    module = tsxRequire(path.join(directory, `${name}.ts`), __filename) as Record<string, unknown>;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError(`${file}: the file throws while loading (${reason}); fix it (npx tsx ${file} shows where)`);
  }
  const config = module[name];
  if (config === null || typeof config !== 'object') {
    throw new ConfigError(`${file}: exports no object named "${name}"; export the environment as \`export const ${name}: EnvConfigInput = { ... }\``);
  }
  return config as EnvConfigInput;
}
