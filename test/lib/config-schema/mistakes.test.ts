import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { environmentsFromFiles } from '../../../lib/config-schema/environment-files';
import { ConfigError } from '../../../lib/config-schema/load';
import { envConfigSchema } from '../../../lib/config-schema/schema';
import { buildTestPlatform } from '../../support/platform';
import { configRejection } from '../../support/config-rejection';
import { MISTAKE_CLASSES } from './mistake-classes';

describe('mistakes a person makes in an environment file', () => {
  it('covers at least 60 distinct mistake classes', () => {
    expect(MISTAKE_CLASSES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(MISTAKE_CLASSES.map((k) => k.name)).size).toBe(MISTAKE_CLASSES.length);
  });

  it.each(MISTAKE_CLASSES.map((k) => [k.name, k] as const))('%s: one exact line, no stack trace', (_name, mistake) => {
    const message = configRejection(mistake.env, mistake.mutate);
    expect(message).toBe(mistake.message);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(new RegExp(`^config/${mistake.env}\\.ts: \\S`));
  });
});

type AnySchema = z.core.$ZodType;
/** Every object schema reachable from `schema`, with its path. */
function objectSchemas(schema: AnySchema, at: string, found: Array<[string, AnySchema]> = []): Array<[string, AnySchema]> {
  const def = schema._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema; shape?: Record<string, AnySchema>; element?: AnySchema; options?: AnySchema[] };
  if (def.innerType) return objectSchemas(def.innerType, at, found);
  if (def.type === 'pipe') return objectSchemas(def.in!, at, found);
  if (def.type === 'array') return objectSchemas(def.element!, `${at}[]`, found);
  if (def.type === 'union') def.options!.forEach((option, i) => objectSchemas(option, `${at}|${i}`, found));
  if (def.type === 'object') {
    found.push([at || '(root)', schema]);
    for (const [key, child] of Object.entries(def.shape!)) objectSchemas(child, at ? `${at}.${key}` : key, found);
  }
  return found;
}

describe('strictness', () => {
  const objects = objectSchemas(envConfigSchema, '');

  it('walks every section', () => {
    expect(objects.map(([at]) => at)).toEqual(expect.arrayContaining(['(root)', 'edge', 'redis.ami', 'resolvers.internalZones[]', 'batch.logMetrics.queries[].source|1', 'tsdb.archive']));
  });

  it.each(objects.map(([at, schema]) => [at, schema] as const))('%s refuses unknown keys', (_at, schema) => {
    expect((schema._zod.def as { catchall?: AnySchema }).catchall?._zod.def.type).toBe('never');
  });
});

describe('context flags and environment files', () => {
  const rejected = (context: Record<string, unknown>, options = {}) => {
    try {
      buildTestPlatform(context, options);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it.each([
    [{ env: 'staging', imageTag: 'has space' }, '-c imageTag=has space: is not a Docker image tag (1-128 letters, digits, "_", "." or "-", not starting with "." or "-"); pass e.g. -c imageTag=$(git rev-parse --short=12 HEAD)'],
    [{ env: 'staging', imageTag: '' }, '-c imageTag=: is not a Docker image tag (1-128 letters, digits, "_", "." or "-", not starting with "." or "-"); pass e.g. -c imageTag=$(git rev-parse --short=12 HEAD)'],
    [{ env: 'staging', imageTag: '-rc1' }, '-c imageTag=-rc1: is not a Docker image tag (1-128 letters, digits, "_", "." or "-", not starting with "." or "-"); pass e.g. -c imageTag=$(git rev-parse --short=12 HEAD)'],
    [{ env: 'staging', imagetag: 'abc' }, '-c imagetag: is not a context key of this app (did you mean "imageTag"?); it reads -c env=NAME, -c imageTag=TAG and -c configDir=DIR'],
    [{ env: 'staging', region: 'us-east-1' }, '-c region: is not a context key of this app; it reads -c env=NAME, -c imageTag=TAG and -c configDir=DIR'],
    [{ env: 'prod' }, '-c env=prod: no such environment (did you mean "production"?); use one of staging, production (files in config/)'],
    [{ env: '' }, '-c env=: no such environment; use one of staging, production (files in config/)'],
    [{ configDir: '/nonexistent' }, '-c configDir=/nonexistent: holds no staging.ts; name a directory with the files of config/ (staging.ts, production.ts)'],
  ])('rejects %o with one line naming the flag', (context, message) => {
    expect(rejected(context)).toBe(message);
  });

  it('takes a numeric -c imageTag as a tag', () => {
    expect(buildTestPlatform({ env: 'staging', imageTag: 1234567 }).env('staging').config.services.imageTag).toBe('1234567');
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(__dirname, '../../../config/staging.ts'), path.join(dir, 'staging.ts'));
  fs.writeFileSync(path.join(dir, 'production.ts'), "const account: string | undefined = process.env.H4_UNSET_ACCOUNT;\nexport const production = { account: account!.trim() };\n");
  fs.writeFileSync(path.join(dir, 'qa.ts'), 'export const other = {};\n');

  it('reports a file that throws in one line naming it, and only when its environment is used', () => {
    const loaded = environmentsFromFiles(dir, ['staging', 'production', 'qa']);
    expect(loaded.staging!.name).toBe('staging');
    expect(() => loaded.production).toThrow(ConfigError);
    expect(() => loaded.production).toThrow(/^config\/production\.ts: the file throws while loading \(Cannot read properties of undefined \(reading 'trim'\)\); fix it \(npx tsx config\/production\.ts shows where\)$/);
    expect(() => loaded.qa).toThrow('config/qa.ts: exports no object named "qa"; export the environment as `export const qa: EnvConfigInput = { ... }`');
  });

  it('builds the other environments when one file throws', () => {
    const platform = buildTestPlatform({ env: 'staging', configDir: dir });
    expect(platform.environments.map((e) => e.config.name)).toEqual(['staging']);
    expect(rejected({ configDir: dir })).toMatch(/^config\/production\.ts: the file throws while loading/);
  });

  it('leaves the default files untouched by the override', () => {
    expect(environments.production!.name).toBe('production');
  });
});
