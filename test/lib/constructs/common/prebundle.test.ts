import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleHandler, bundleKey, handlerBuildOptions } from '../../../../lib/constructs/common/handler-build';
import { startPrebundling, takePrebuilt } from '../../../../lib/constructs/common/prebundle';

const ROOT = path.resolve(__dirname, '../../../..');
const WRITER = path.join(ROOT, 'lambda/tsdb/writer.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prebundle-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every file under dir, with its bytes. */
const tree = (dir: string) => Object.fromEntries(fs.readdirSync(dir, { recursive: true }).map(String).sort()
  .filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));

describe('bundling ahead, in a worker', () => {
  it('gives byte for byte the bundle built in place (source maps included), once, and leaves nothing behind', () => {
    // Directories at one depth, as the prebundle directories sit beside CDK's bundling directories.
    const [ahead, inPlace, taken] = ['ahead', 'in-place', 'taken'].map((d) => path.join(root, d)) as [string, string, string];
    startPrebundling([{ key: bundleKey(WRITER, ahead), options: handlerBuildOptions(WRITER, ahead), dir: ahead }]);
    const built = bundleHandler(WRITER, inPlace);
    const metafile = takePrebuilt(bundleKey(WRITER, taken), taken);
    expect(metafile).toBeDefined();
    expect(Object.keys(metafile!.inputs).sort()).toEqual(Object.keys(built.inputs).sort());
    expect(tree(taken)).toEqual(tree(inPlace));
    expect(Object.keys(tree(taken)).length).toBeGreaterThan(2);
    expect(fs.existsSync(ahead)).toBe(false);
    expect(takePrebuilt(bundleKey(WRITER, taken), path.join(root, 'again'))).toBeUndefined();
  });

  it('leaves a build that failed ahead to the caller (which reports esbuild\'s error)', () => {
    const missing = path.join(ROOT, 'lambda/no-such-handler.ts');
    const ahead = path.join(root, 'failed');
    startPrebundling([{ key: bundleKey(missing, ahead), options: { ...handlerBuildOptions(missing, ahead), logLevel: 'silent' }, dir: ahead }]);
    expect(takePrebuilt(bundleKey(missing, ahead), path.join(root, 'failed-into'))).toBeUndefined();
    expect(fs.existsSync(ahead)).toBe(false);
  });

  it('has nothing for a bundle it was not asked to build', () => {
    expect(takePrebuilt({ other: 'key' }, path.join(root, 'none'))).toBeUndefined();
  });
});
