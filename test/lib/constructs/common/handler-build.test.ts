import type { Metafile } from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedBundle } from '../../../../lib/constructs/common/bundle-cache';
import { bundleHandler, bundleKey, HANDLER_FILE, startupFiles } from '../../../../lib/constructs/common/handler-build';
import { HANDLER_INIT_ENV } from '../../../support/handler-env';

const ROOT = path.resolve(__dirname, '../../../..');

/** The npm packages whose code went into the given output files. */
function packagesIn(outputs: Metafile['outputs'], files: Iterable<string>): Set<string> {
  const packages = new Set<string>();
  for (const file of files) for (const input of Object.keys(outputs[file]!.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    if (name) packages.add(name);
  }
  return packages;
}

describe('handler bundles (as deployed: in-process esbuild, ES modules, split)', () => {
  const dirs: Record<string, string> = {};
  const metafiles: Record<string, Metafile> = {};

  beforeAll(() => {
    for (const handler of ['reader', 'writer']) {
      dirs[handler] = fs.mkdtempSync(path.join(os.tmpdir(), `bundle-${handler}-`));
      metafiles[handler] = bundleHandler(path.join(ROOT, 'lambda/tsdb', `${handler}.ts`), dirs[handler]!);
    }
  });
  afterAll(() => Object.values(dirs).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('writes index.mjs, its chunks, and a source map without sources beside each', () => {
    const files = fs.readdirSync(dirs.reader!, { recursive: true }).map(String);
    expect(files).toContain(HANDLER_FILE);
    const code = files.filter((f) => f.endsWith('.mjs'));
    expect(code.some((f) => f.startsWith('chunks/'))).toBe(true);
    for (const f of code) {
      expect(files).toContain(`${f}.map`);
      const map = JSON.parse(fs.readFileSync(path.join(dirs.reader!, `${f}.map`), 'utf8')) as { sourcesContent?: unknown };
      expect(map.sourcesContent).toBeUndefined();
    }
    // Minified: long lines, no indentation.
    const entry = fs.readFileSync(path.join(dirs.reader!, HANDLER_FILE), 'utf8');
    expect(entry.length / entry.split('\n').length).toBeGreaterThan(1000);
    expect(entry).not.toMatch(/\n {2}\S/);
  });

  it('is deterministic: bundling again gives the same files byte for byte (so the asset hash only moves with the code)', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-reader-again-'));
    try {
      bundleHandler(path.join(ROOT, 'lambda/tsdb/reader.ts'), again);
      const files = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.')).sort();
      expect(files(again)).toEqual(files(dirs.reader!));
      for (const f of files(again)) expect(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(dirs.reader!, f)))).toBe(true);
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('gives from its cache exactly the files a fresh bundle has (same asset hash), and rebuilds for another output depth', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-cached-'));
    try {
      const entry = path.join(ROOT, 'lambda/tsdb/exporter.ts');
      const files = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.')).sort();
      const same = (a: string, b: string) => files(a).length > 0 && JSON.stringify(files(a)) === JSON.stringify(files(b)) && files(a).every((f) => fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))));
      const dirs = ['fresh', 'cold', 'warm'].map((d) => path.join(work, d));
      bundleHandler(entry, dirs[0]!);
      let built = 0;
      for (const dir of dirs.slice(1)) cachedBundle(path.join(work, 'cache'), bundleKey(entry, dir), dir, (d) => { built += 1; return bundleHandler(entry, d); });
      expect(built).toBe(1);
      expect(same(dirs[0]!, dirs[1]!)).toBe(true);
      expect(same(dirs[0]!, dirs[2]!)).toBe(true);
      // Source maps name sources relative to the output: a deeper output directory is another key.
      expect(bundleKey(entry, path.join(work, 'a', 'b'))).not.toEqual(bundleKey(entry, dirs[0]!));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('keeps the S3 client out of what the reader loads at cold start (archive reads load it)', () => {
    const outputs = metafiles.reader!.outputs;
    const eager = startupFiles(outputs);
    expect(packagesIn(outputs, eager)).not.toContain('@aws-sdk/client-s3');
    expect(packagesIn(outputs, Object.keys(outputs))).toContain('@aws-sdk/client-s3');
    const atStart = packagesIn(outputs, eager);
    for (const needed of ['@aws-sdk/client-dynamodb', 'ioredis', '@aws-lambda-powertools/logger']) expect(atStart).toContain(needed);
  });

  it('keeps the AWS SDK out of what the writer loads at cold start (only a move to DynamoDB loads it)', () => {
    const outputs = metafiles.writer!.outputs;
    const atStart = packagesIn(outputs, startupFiles(outputs));
    expect([...atStart].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'))).toEqual([]);
    for (const needed of ['ioredis', '@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics', '@aws-lambda-powertools/batch']) expect(atStart).toContain(needed);
    expect(packagesIn(outputs, Object.keys(outputs))).toContain('@aws-sdk/client-dynamodb');
  });

  it("bundles only what a handler uses: the writer has no S3 code, the reader no SNS or Powertools batch", () => {
    expect(packagesIn(metafiles.writer!.outputs, Object.keys(metafiles.writer!.outputs))).not.toContain('@aws-sdk/client-s3');
    const reader = packagesIn(metafiles.reader!.outputs, Object.keys(metafiles.reader!.outputs));
    expect(reader).not.toContain('@aws-sdk/client-sns');
    expect(reader).not.toContain('@aws-lambda-powertools/batch');
  });

  it('tree-shakes the SDK from its ES module build (no dist-cjs code)', () => {
    const inputs = Object.values(metafiles.writer!.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(inputs.filter((i) => /@aws-sdk\/client-dynamodb\/.*\.js$/.test(i)).every((i) => i.includes('/dist-es/'))).toBe(true);
  });

  it('loads in a fresh Node as Lambda loads it and exports the handler, for every handler', () => {
    const batch = fs.readdirSync(path.join(ROOT, 'lambda/batch')).map((job) => `lambda/batch/${job}/handler.ts`).filter((f) => fs.existsSync(path.join(ROOT, f)));
    expect(batch).toHaveLength(4);
    for (const entry of [...batch, 'lambda/tsdb/flusher.ts', 'lambda/tsdb/exporter.ts']) {
      const name = entry.replace(/\W+/g, '-');
      dirs[name] = fs.mkdtempSync(path.join(os.tmpdir(), `bundle-${name}-`));
      bundleHandler(path.join(ROOT, entry), dirs[name]!);
    }
    const env = { ...process.env, ...HANDLER_INIT_ENV, NODE_OPTIONS: '', NODE_NO_WARNINGS: '1' };
    for (const handler of Object.keys(dirs)) {
      const script = `import(${JSON.stringify(path.join(dirs[handler]!, HANDLER_FILE))}).then((m) => console.log(typeof m.handler))`;
      expect(execFileSync(process.execPath, ['-e', script], { env }).toString().trim()).toBe('function');
    }
  });
});
