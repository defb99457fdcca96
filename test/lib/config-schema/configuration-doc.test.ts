import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { envConfigSchema } from '../../../lib/config-schema/schema';

type AnySchema = z.core.$ZodType;
/** Every leaf key path of the schema ("a.b[].c"), lists written as "[]". */
function leafPaths(schema: AnySchema, at = '', out = new Set<string>()): Set<string> {
  const def = schema._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema; shape?: Record<string, AnySchema>; element?: AnySchema; options?: AnySchema[] };
  if (def.innerType) return leafPaths(def.innerType, at, out);
  if (def.type === 'pipe') return leafPaths(def.in!, at, out);
  if (def.type === 'array' && ['object', 'union'].includes(unwrapType(def.element!))) return leafPaths(def.element!, `${at}[]`, out);
  if (def.type === 'union') { def.options!.forEach((option) => leafPaths(option, at, out)); return out; }
  if (def.type === 'object') {
    for (const [key, child] of Object.entries(def.shape!)) leafPaths(child, at ? `${at}.${key}` : key, out);
    return out;
  }
  out.add(at);
  return out;
}
function unwrapType(schema: AnySchema): string {
  const def = schema._zod.def as { type: string; innerType?: AnySchema };
  return def.innerType ? unwrapType(def.innerType) : def.type;
}

/** `a.{b,c}.d` -> a.b.d, a.c.d */
function expand(token: string): string[] {
  const match = /\{([^}]+)\}/.exec(token);
  if (!match) return [token];
  return match[1]!.split(',').flatMap((option) => expand(token.replace(match[0], option)));
}

describe('docs/configuration.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../../docs/configuration.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([^`]+)` \|/gm)].flatMap((m) => expand(m[1]!)));

  it('documents every key of the schema, one table row each', () => {
    const missing = [...leafPaths(envConfigSchema)].filter((p) => !documented.has(p));
    expect(missing).toEqual([]);
  });

  it('documents no key the schema does not have', () => {
    const leaves = leafPaths(envConfigSchema);
    const known = new Set([...leaves].flatMap((p) => p.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.').replace(/\[\]$/, ''))));
    const stale = [...documented].filter((p) => !known.has(p) && !p.startsWith('-c '));
    expect(stale).toEqual([]);
  });
});
