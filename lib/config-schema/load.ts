import { z } from 'zod';
import { envConfigSchema, type EnvConfig } from './schema';

/** A configuration mistake: its message is one line naming the field and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path) || '(root)';
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `${field}: is required but missing`;
  if (issue.code === 'unrecognized_keys') return `${field}: unknown field(s) ${issue.keys.join(', ')}; remove or rename them`;
  return `${field}: ${issue.message}`;
}

/** Validates one environment's raw config; throws ConfigError with one line per issue (the first issue first). */
export function validateEnvConfig(source: string, raw: unknown): EnvConfig {
  const result = envConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `config/${source}: ${describeIssue(issue)}`);
  throw new ConfigError(lines.join('\n'));
}
