import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const switchover = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/redis-switchover.ts', ...args], { cwd: ROOT, env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: 'none' } })
  .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

// Never calls AWS: the plan (--dry-run) and the refusals are all that runs offline.
describe('npm run redis:switchover', () => {
  it('plans the switchover of one shard: both nodes by Name tag, the rendered script through SSM', async () => {
    const { code, stdout } = await switchover(['--env', 'production', '--shard', '1', '--dry-run']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      env: 'production', shard: 1, region: 'ap-northeast-1', nodes: ['production-redis-shard-1-a', 'production-redis-shard-1-b'],
      runs: '/usr/local/libexec/monsaas/redis-switchover', via: 'SSM AWS-RunShellScript, on the node that is master',
    });
  });

  it('refuses a shard the environment does not have, and a missing environment, in one line', async () => {
    const bad = await switchover(['--env', 'staging', '--shard', '7', '--dry-run']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^Invalid configuration: --shard: name a shard of staging \(0-\d+\)$/);
    const none = await switchover(['--shard', '0']);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
  });
});
