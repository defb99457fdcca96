import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { APPLIER_SOURCE, renderHostBundle, type BundleSpec } from '../../../../lib/host-config/bundle';
import { renderResolverReadyScript, renderUnboundConf, resolverBundle, unboundSettings, type UnboundSettings } from '../../../../lib/host-config/unbound';
import { freePort, spawnServer, stopProcess, waitForPort } from '../../../support/processes';
import { python3 } from '../../../hosts/unbound-stats/python';
import { dig, localRunSettings } from './local-dns';

const run = promisify(execFile);

/**
 * The resolver bundle's config change applied by the real applier to a real unbound: the rendered
 * unbound.conf (addresses moved to loopback), the bundle's own checkconf + reload commands (pointed at the
 * test's paths) and its rendered verify script. unbound keeps its process: the change is a reload.
 */
const config = validateEnvConfig('staging.ts', environments.staging);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resolver-bundle-'));
const root = path.join(tmp, 'root');
const confPath = path.join(root, 'etc/unbound/unbound.conf');
let port: number;
let unbound: { child: ChildProcess; output: () => string };

function settings(cacheMaxNegativeTtlS: number): UnboundSettings {
  return {
    ...unboundSettings(config, 0),
    listenAddress: '127.0.0.1',
    port,
    allowedCidrs: ['127.0.0.1/32'],
    stubZones: [],
    forwardZones: [],
    cacheMaxNegativeTtlS,
    ...localRunSettings(tmp),
  };
}

/** The real resolver bundle with its unbound.conf and commands moved into the temp dir. */
function bundle(cacheMaxNegativeTtlS: number): BundleSpec {
  const real = resolverBundle(config, 0);
  const onHost = (argv: readonly string[]) => argv.map((arg) => (arg === '/etc/unbound/unbound.conf' ? confPath : arg === '/run/unbound/control.sock' ? path.join(tmp, 'control.sock') : arg));
  const keep = ['reload-unbound'];
  return {
    ...real,
    files: [
      { path: '/etc/unbound/unbound.conf', content: renderUnboundConf(settings(cacheMaxNegativeTtlS)) },
      { path: '/usr/local/libexec/monsaas/resolver-ready', content: renderResolverReadyScript('127.0.0.1', port), permissions: '0755' },
    ],
    checks: real.checks,
    actions: real.actions.filter((a) => keep.includes(a.name)).map((a) => ({ ...a, run: onHost(a.run) })),
    verify: { run: [path.join(root, 'usr/local/libexec/monsaas/resolver-ready')], attempts: 5, intervalSeconds: 0.5 },
  };
}

async function apply(spec: BundleSpec): Promise<{ ok: boolean; output: string }> {
  const rendered = renderHostBundle(spec);
  const file = path.join(tmp, `${rendered.version}.json`);
  fs.writeFileSync(file, rendered.json);
  try {
    const { stdout } = await run(python3(), [APPLIER_SOURCE, file, '--root', root, '--state-dir', path.join(tmp, 'state')]);
    return { ok: true, output: stdout };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { ok: false, output: `${e.stdout}${e.stderr}` };
  }
}

const runningNegativeTtl = async () => (await run('unbound-control', ['-c', confPath, '-s', path.join(tmp, 'control.sock'), 'get_option', 'cache-max-negative-ttl'])).stdout.trim();

beforeAll(async () => {
  port = await freePort();
  // First apply writes the config (unbound not running yet: the verify step would fail, so start it first from the same file).
  fs.mkdirSync(path.dirname(confPath), { recursive: true });
  fs.writeFileSync(confPath, renderUnboundConf(settings(5)));
  unbound = spawnServer('unbound', ['-d', '-c', confPath]);
  await waitForPort(port).catch((error: Error) => { throw new Error(`${error.message}\n${unbound.output()}`); });
});

afterAll(async () => {
  await stopProcess(unbound?.child);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('resolver bundle applied to a running unbound', () => {
  it('a changed setting is checked and reloaded into the same process, which answers throughout; verify passes', async () => {
    const pid = unbound.child.pid;
    expect(await runningNegativeTtl()).toBe('5');
    // Queries all through the apply: a reload must not leave the resolver unanswered.
    let stop = false;
    const statuses: string[] = [];
    const asking = (async () => {
      while (!stop) statuses.push((await dig({ port }, 'localhost.')).status);
    })();
    const result = await apply(bundle(7));
    stop = true;
    await asking;
    expect(result.output).toContain('run reload-unbound');
    expect(result.output).toMatch(/verified after \d+ attempt\(s\): unbound answers on 127\.0\.0\.1/);
    expect(result.ok).toBe(true);
    expect(await runningNegativeTtl()).toBe('7');
    expect(unbound.child.pid).toBe(pid);
    expect(unbound.child.exitCode).toBeNull();
    console.log(`resolver bundle apply: ${statuses.length} queries during the apply, ${statuses.filter((s) => s !== 'NOERROR').length} not answered NOERROR`);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 'NOERROR')).toBe(true);
  });

  it('an unchanged bundle reloads nothing', async () => {
    const result = await apply(bundle(7));
    expect(result.ok).toBe(true);
    expect(result.output).not.toContain('reload-unbound');
  });

  it('a config unbound-checkconf rejects is never written: the apply fails, the file and the running config stay', async () => {
    const before = fs.readFileSync(confPath, 'utf8');
    const broken = bundle(9);
    const spec: BundleSpec = {
      ...broken,
      files: broken.files.map((f) => (f.path === '/etc/unbound/unbound.conf' ? { ...f, content: `${f.content}server:\n    no-such-option: yes\n` } : f)),
    };
    const result = await apply(spec);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('check /etc/unbound/unbound.conf failed');
    expect(result.output).not.toContain('run reload-unbound');
    expect(fs.readFileSync(confPath, 'utf8')).toBe(before);
    expect(await runningNegativeTtl()).toBe('7');
  });

  it('the verify step fails while unbound does not answer, so the rollout would stop here', async () => {
    const result = await apply({ ...bundle(7), verify: { run: [path.join(root, 'usr/local/libexec/monsaas/resolver-ready').replace('resolver-ready', 'nothing-answers')], attempts: 1, intervalSeconds: 0 }, files: [
      ...bundle(7).files,
      { path: '/usr/local/libexec/monsaas/nothing-answers', content: renderResolverReadyScript('127.0.0.1', await freePort()), permissions: '0755' },
    ] });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('verify failed after 1 attempts: unbound does not answer on 127.0.0.1');
  });
});
