import type { Metafile } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_CACHE_ENV, cachedBundle } from '../../../../lib/constructs/common/bundle-cache';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-cache-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const cacheRoot = path.join(root, 'cache');
const src = path.join(root, 'src');
fs.mkdirSync(src);
const inputs = ['a.ts', 'b.ts'].map((f) => path.join(src, f));

let builds = 0;
/** A stand-in bundler: concatenates its inputs into out.mjs and reports them as esbuild would. */
function build(dir: string): Metafile {
  builds += 1;
  fs.mkdirSync(path.join(dir, 'chunks'), { recursive: true });
  const contents = inputs.map((f) => fs.readFileSync(f, 'utf8'));
  fs.writeFileSync(path.join(dir, 'out.mjs'), contents.join('\n'));
  fs.writeFileSync(path.join(dir, 'chunks', 'c.mjs'), `// ${builds}`.replace(/\d+/, 'n'));
  return { inputs: Object.fromEntries(inputs.map((f, i) => [path.relative(process.cwd(), f), { bytes: Buffer.byteLength(contents[i]!), imports: [] }])), outputs: {} } as Metafile;
}
let n = 0;
const bundle = (key: unknown = 'k') => {
  const out = path.join(root, `out-${n++}`);
  fs.mkdirSync(out);
  cachedBundle(cacheRoot, key, out, build);
  const files = fs.readdirSync(out, { recursive: true }).map(String).filter((f) => f.includes('.')).sort();
  return Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));
};

describe('handler bundle cache', () => {
  it('builds once, then gives the same files byte for byte while key and inputs are unchanged', () => {
    inputs.forEach((f, i) => fs.writeFileSync(f, `export const v${i} = ${i};`));
    const first = bundle();
    expect(builds).toBe(1);
    expect(bundle()).toEqual(first);
    expect(bundle()).toEqual(first);
    expect(builds).toBe(1);
    expect(Object.keys(first)).toEqual(['chunks/c.mjs', 'out.mjs']);
  });

  it('builds again when any input changes, even to the same size, and caches the new result', () => {
    fs.writeFileSync(inputs[1]!, 'export const v1 = 7;');
    expect(bundle()['out.mjs']).toBe('export const v0 = 0;\nexport const v1 = 7;');
    expect(builds).toBe(2);
    bundle();
    expect(builds).toBe(2);
  });

  it('builds again for another key, for a deleted input, and always when the cache is off', () => {
    bundle('other');
    expect(builds).toBe(3);
    fs.rmSync(inputs[0]!);
    expect(() => bundle()).toThrow(/ENOENT/); // the stand-in cannot build without it: proof it tried
    expect(builds).toBe(4);
    fs.writeFileSync(inputs[0]!, 'export const v0 = 0;');
    process.env[BUNDLE_CACHE_ENV] = 'off';
    try {
      bundle();
      bundle();
    } finally {
      delete process.env[BUNDLE_CACHE_ENV];
    }
    expect(builds).toBe(6);
  });

  it('does not cache a build whose inputs changed while it ran', () => {
    const racing = (dir: string) => {
      const meta = build(dir);
      fs.writeFileSync(inputs[0]!, 'export const v0 = 1000;'); // edited mid-build
      return meta;
    };
    const out = path.join(root, 'race');
    fs.mkdirSync(out);
    cachedBundle(cacheRoot, 'race', out, racing);
    const before = builds;
    bundle('race');
    expect(builds).toBe(before + 1);
  });
});
