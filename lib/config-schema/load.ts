import { z } from 'zod';
import { checkEnvironment } from './environment-checks';
import { envConfigSchema, type EnvConfig } from './schema';
import { didYouMean } from './suggest';

/** A configuration mistake: its message is one line naming the file, the field, the problem and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

type AnySchema = z.core.$ZodType;

/** Peels optional/default/nullable/pipe wrappers off a schema. */
function unwrap(schema: AnySchema): AnySchema {
  const def = schema._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}

/** The object schemas that may sit at `path` (several under a union), to list the keys they know. */
function objectsAt(schema: AnySchema, path: readonly PropertyKey[]): z.core.$ZodObject[] {
  const node = unwrap(schema);
  const def = node._zod.def as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; options?: AnySchema[] };
  if (def.type === 'union') return def.options!.flatMap((option) => objectsAt(option, path));
  if (path.length === 0) return def.type === 'object' ? [node as z.core.$ZodObject] : [];
  const [head, ...rest] = path;
  if (def.type === 'array' && typeof head === 'number') return objectsAt(def.element!, rest);
  if (def.type === 'object' && typeof head === 'string' && def.shape![head]) return objectsAt(def.shape![head]!, rest);
  return [];
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));
const typeName = (value: unknown) => (Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${shown(value)}`);

/** The discriminator value that selects the union option holding `key` (e.g. mode "PROVISIONED" for shardCount). */
function selectorOf(options: z.core.$ZodObject[], key: string): { field: string; value: unknown } | undefined {
  for (const option of options) {
    const shape = option._zod.def.shape;
    if (!(key in shape)) continue;
    for (const [field, node] of Object.entries(shape)) {
      const def = node._zod.def as { type: string; values?: unknown[] };
      if (def.type === 'literal' && def.values?.length === 1) return { field, value: def.values[0] };
    }
  }
  return undefined;
}

/** One issue as "field: problem; fix" (the field path relative to the environment file). */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  const field = fieldPath(issue.path) || '(root)';
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const options = objectsAt(envConfigSchema, issue.path);
      // A discriminated union's options share fields: each is named once.
      const known = [...new Set(options.flatMap((o) => Object.keys(o._zod.def.shape)))];
      return issue.keys.map((key) => {
        const selector = known.includes(key) ? selectorOf(options, key) : undefined;
        if (selector) return `${fieldPath([...issue.path, key])}: only applies when ${selector.field} is ${shown(selector.value)}; remove it or set ${selector.field}: ${shown(selector.value)}`;
        const hint = didYouMean(key, known);
        const where = fieldPath([...issue.path, key]);
        return hint ? `${where}: is not a field${hint}; rename it` : `${where}: is not a field; remove it (known fields here: ${known.join(', ')})`;
      });
    }
    case 'invalid_type':
      if (value === undefined) return [`${field}: is required but missing; add it`];
      if (issue.expected === 'int') return [`${field}: is ${shown(value)}; must be a whole number`];
      return [`${field}: must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, not ${typeName(value)}`];
    case 'invalid_value': {
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      // A schema-provided message explains the choice; zod's own only lists it.
      if (!issue.message.startsWith('Invalid option')) return [`${field}: ${issue.message}${hint}`];
      return [`${field}: is ${shown(value)}${hint}; must be one of ${issue.values.map((v) => shown(v)).join(', ')}`];
    }
    case 'too_small':
    case 'too_big': {
      // A schema-provided message already names the bound and why.
      if (!issue.message.startsWith('Too ')) return [`${field}: ${issue.message}`];
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      if (issue.origin === 'array') return [`${field}: lists ${(value as unknown[]).length || 'nothing'}; must list ${bound}`];
      if (issue.origin === 'string') return [`${field}: is ${shown(value)}; must have ${bound} characters`];
      return [`${field}: is ${shown(value)}; must be ${bound}`];
    }
    case 'invalid_union': {
      const shapes = objectsAt(envConfigSchema, issue.path).map((o) => `{ ${Object.keys(o._zod.def.shape).join(', ')} }`);
      return [`${field}: is ${typeName(value)}; write exactly one of ${shapes.join(' or ')}`];
    }
    case 'invalid_format':
      return [issue.message.startsWith('Invalid') ? `${field}: is ${shown(value)}; ${issue.message.toLowerCase()}` : `${field}: ${issue.message}`];
    default:
      return [`${field}: ${issue.message}`];
  }
}

/** Validates one environment's raw config; throws ConfigError with one line per mistake (the first first). */
export function validateEnvConfig(source: string, raw: unknown): EnvConfig {
  const result = envConfigSchema.safeParse(raw);
  const lines: string[] = [];
  if (result.success) {
    checkEnvironment(result.data, (path, message) => lines.push(`${fieldPath(path)}: ${message}`));
    if (lines.length === 0) return result.data;
  } else {
    lines.push(...result.error.issues.flatMap((issue) => describeIssue(issue, raw)));
  }
  throw new ConfigError([...new Set(lines.map((line) => `config/${source}: ${line}`))].join('\n'));
}
