import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_ENV } from './shared-assembly';

/**
 * One scratch directory per test run, shared by the workers: the default app is synthesized into it
 * on first use by a test that reads templates (test/support/shared-assembly.ts), never up front, so
 * running one pure test file costs no synthesis.
 */
export default function setup(): () => void {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-test-'));
  process.env[CACHE_ENV] = directory;
  return () => fs.rmSync(directory, { recursive: true, force: true });
}
