import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
/** Scripts that are a third-party CLI as it is (cdk, vitest): their own --help applies. */
const THIRD_PARTY = /^(cdk|vitest) /;
const ours = Object.entries(scripts).filter(([, command]) => !THIRD_PARTY.test(command));

/** Runs `npm run NAME -- ...args` the way a user does; never throws, returns the exit code and output. */
async function npmRun(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', name, '--', ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, CI: 'true' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('every npm script of ours answers --help and refuses an unknown flag in one line', () => {
  it('has scripts to check', () => {
    expect(ours.map(([name]) => name)).toEqual(expect.arrayContaining(['test', 'lint', 'render-hosts', 'bench:writer', 'validate:cfn']));
  });

  it.concurrent.each(ours.map(([name]) => name))('%s', async (name) => {
    const [help, unknown] = await Promise.all([npmRun(name, ['--help']), npmRun(name, ['--no-such-flag'])]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/usage/i);
    expect(unknown.code).not.toBe(0);
    const lines = unknown.stderr.trim().split('\n');
    expect(lines, unknown.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/--no-such-flag/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
