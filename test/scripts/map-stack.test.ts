import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler, HANDLER_FILE } from '../../lib/constructs/common/handler-build';
import { mapStack } from '../../scripts/map-stack';

describe('map-stack: a logged handler stack back to source lines', () => {
  let dir: string;
  let stack: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'map-stack-'));
    bundleHandler(path.join(__dirname, 'fixtures/throwing-handler.ts'), dir);
    // Run the bundle as Lambda does (no --enable-source-maps): the stack holds minified positions.
    const script = `import(${JSON.stringify(path.join(dir, HANDLER_FILE))}).then((m) => m.handler({ reason: 'x' })).catch((e) => console.log(e.stack))`;
    stack = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: '' } }).toString();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gets a minified position from the deployed bundle', () => {
    expect(stack).toMatch(/index\.mjs:\d+:\d+/);
    expect(stack).not.toContain('throwing-handler.ts');
  });

  it('maps that position to the source file and line of the throw', () => {
    const mapped = mapStack(stack, dir);
    expect(mapped).toMatch(/test\/scripts\/fixtures\/throwing-handler\.ts:3:\d+/);
    expect(mapped).toContain('Error: refused: x');
  });

  it('leaves frames it has no map for as they were', () => {
    expect(mapStack('at x (/var/task/missing.mjs:1:5)', dir)).toBe('at x (/var/task/missing.mjs:1:5)');
    expect(mapStack('at node:internal/process/task_queues:95:5', dir)).toBe('at node:internal/process/task_queues:95:5');
  });
});
