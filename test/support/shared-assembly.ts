import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Set by test/support/global-setup.ts: a directory shared by every worker of one test run. */
export const CACHE_ENV = 'MONSAAS_TEST_CACHE';
/** Set by the unit project (vitest.config.mts): its tests must never need the synthesized app. */
export const NO_SYNTH_ENV = 'MONSAAS_TEST_NO_SYNTH';

const WAIT_LIMIT_MS = 10 * 60_000;
let local: string | undefined;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory of the default app synthesized once per test run, on first use: only test files that
 * read templates pay for the synthesis. The first worker to ask synthesizes (holding a lock directory
 * with its pid); the others wait for its "done" marker, or take over if it died.
 */
export function sharedAssembly(synthesize: (outdir: string) => void): string {
  if (process.env[NO_SYNTH_ENV]) {
    throw new Error('this test reads synthesized templates: it belongs in the templates project (vitest.config.mts), not in test:unit');
  }
  const cache = process.env[CACHE_ENV];
  if (!cache) {
    // Without the global setup (a script importing the helpers): once per process.
    if (!local) {
      local = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-assembly-'));
      synthesize(local);
    }
    return local;
  }
  const assembly = path.join(cache, 'assembly');
  const done = path.join(cache, 'assembly.done');
  const lock = path.join(cache, 'assembly.lock');
  const started = Date.now();
  while (!fs.existsSync(done)) {
    try {
      fs.mkdirSync(lock);
    } catch {
      const holder = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (holder && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`waited ${WAIT_LIMIT_MS / 1000} s for another worker to synthesize the app`);
      else sleep(100);
      continue;
    }
    try {
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      fs.rmSync(assembly, { recursive: true, force: true });
      synthesize(assembly);
      fs.writeFileSync(done, new Date().toISOString());
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return assembly;
}
