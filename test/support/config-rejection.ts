import { expect } from 'vitest';
import { environments } from '../../config';
import { ConfigError, validateEnvConfig } from '../../lib/config-schema/load';
import type { EnvConfigInput } from '../../lib/config-schema/schema';

export type ConfigMutation = (cfg: EnvConfigInput) => void;

/** The message a mutated copy of an environment's config is rejected with (fails the test if accepted). */
export function configRejection(base: 'staging' | 'production', mutate: ConfigMutation): string {
  const cfg = structuredClone(environments[base]!) as EnvConfigInput;
  mutate(cfg);
  try {
    validateEnvConfig(`${base}.ts`, cfg);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('config was accepted');
}
