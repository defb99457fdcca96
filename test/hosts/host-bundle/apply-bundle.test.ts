import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLIER_SOURCE, deployMarker, renderHostBundle, type BundleSpec } from '../../../lib/host-config/bundle';
import { python3 } from '../unbound-stats/python';

const run = promisify(execFile);
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-bundle-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A host of its own: a root for the bundle's paths, a state dir, a log the actions append to. */
function host(name: string) {
  const dir = path.join(tmpRoot, name);
  const root = path.join(dir, 'root');
  const state = path.join(dir, 'state');
  fs.mkdirSync(root, { recursive: true });
  const logFile = path.join(dir, 'actions.log');
  const step = (label: string) => ['sh', '-c', `echo ${label} >> ${logFile}`];
  const apply = async (spec: BundleSpec, deployValues: Record<string, string> = {}) => {
    const rendered = renderHostBundle(spec);
    const bundleFile = path.join(dir, `${rendered.version}.json`);
    fs.writeFileSync(bundleFile, rendered.json);
    const args = [APPLIER_SOURCE, bundleFile, '--root', root, '--state-dir', state, '--deploy-values', JSON.stringify(deployValues)];
    try {
      const { stdout } = await run(python3(), args);
      return { ok: true, output: stdout, version: rendered.version };
    } catch (error) {
      const e = error as { stdout: string; stderr: string };
      return { ok: false, output: `${e.stdout}${e.stderr}`, version: rendered.version };
    }
  };
  const actions = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n') : []);
  const clearLog = () => fs.rmSync(logFile, { force: true });
  const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
  const recorded = () => (fs.existsSync(path.join(state, 'current.json')) ? JSON.parse(fs.readFileSync(path.join(state, 'current.json'), 'utf8')) : undefined);
  return { root, step, apply, actions, clearLog, read, recorded };
}

function spec(h: ReturnType<typeof host>, conf: string, extra: Partial<BundleSpec> = {}): BundleSpec {
  return {
    host: 'test-host',
    files: [
      { path: '/etc/svc/svc.conf', content: conf },
      { path: '/etc/svc/peer.conf', content: `peer ${deployMarker('peer')}\n`, permissions: '0600' },
      { path: '/usr/local/bin/check', content: '#!/bin/sh\nexit 0\n', permissions: '0755' },
    ],
    actions: [
      { name: 'reload-peer', when: ['/etc/svc/peer.conf'], run: h.step('reload-peer') },
      { name: 'restart-svc', when: ['/etc/svc/svc.conf'], run: h.step('restart-svc'), disruptive: true },
      { name: 'enable', when: 'always', run: h.step('enable') },
    ],
    prepare: h.step('prepare'),
    verify: { run: ['sh', '-c', 'echo ready'], attempts: 1, intervalSeconds: 0 },
    ...extra,
  };
}

describe('apply_bundle.py on a temp root', () => {
  it('first apply: writes every file with its mode and deploy values, runs prepare once before the disruptive action, records the version', async () => {
    const h = host('first');
    const result = await h.apply(spec(h, 'setting 1\n'), { peer: '10.0.0.9' });
    expect(result.output).toContain('applied test-host');
    expect(result.ok).toBe(true);
    expect(h.read('/etc/svc/peer.conf')).toBe('peer 10.0.0.9\n');
    expect(fs.statSync(path.join(h.root, 'etc/svc/peer.conf')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(h.root, 'usr/local/bin/check')).mode & 0o777).toBe(0o755);
    expect(h.actions()).toEqual(['reload-peer', 'prepare', 'restart-svc', 'enable']);
    expect(h.recorded()).toMatchObject({ host: 'test-host', version: result.version });
  });

  it('same bundle again: no file changes, no prepare, only the always-actions; a changed file runs only its own action', async () => {
    const h = host('again');
    await h.apply(spec(h, 'setting 1\n'), { peer: '10.0.0.9' });
    h.clearLog();
    const same = await h.apply(spec(h, 'setting 1\n'), { peer: '10.0.0.9' });
    expect(same.ok).toBe(true);
    expect(h.actions()).toEqual(['enable']);
    h.clearLog();
    await h.apply(spec(h, 'setting 1\n'), { peer: '10.0.0.10' });
    expect(h.actions()).toEqual(['reload-peer', 'enable']);
    h.clearLog();
    const changed = await h.apply(spec(h, 'setting 2\n'), { peer: '10.0.0.10' });
    expect(h.actions()).toEqual(['prepare', 'restart-svc', 'enable']);
    expect(h.read('/etc/svc/svc.conf')).toBe('setting 2\n');
    expect(h.recorded().version).toBe(changed.version);
  });

  it('a missing deploy value fails before anything is written', async () => {
    const h = host('missing-value');
    const result = await h.apply(spec(h, 'setting 1\n'), {});
    expect(result.ok).toBe(false);
    expect(result.output).toContain("no deploy value 'peer'");
    expect(fs.existsSync(path.join(h.root, 'etc/svc/svc.conf'))).toBe(false);
    expect(h.actions()).toEqual([]);
  });

  it('a failing action or verify records nothing, so the next apply runs the actions again', async () => {
    const h = host('failing');
    await h.apply(spec(h, 'setting 1\n'), { peer: 'x' });
    const before = h.recorded().version;
    h.clearLog();
    const failing = await h.apply(spec(h, 'setting 2\n', { verify: { run: ['sh', '-c', 'echo not answering; exit 1'], attempts: 2, intervalSeconds: 0 } }), { peer: 'x' });
    expect(failing.ok).toBe(false);
    expect(failing.output).toContain('verify failed after 2 attempts: not answering');
    expect(h.recorded().version).toBe(before);
    const brokenAction = await h.apply(spec(h, 'setting 3\n', {
      actions: [{ name: 'restart-svc', when: ['/etc/svc/svc.conf'], run: ['sh', '-c', 'exit 3'], disruptive: true }],
    }), { peer: 'x' });
    expect(brokenAction.output).toContain('restart-svc failed (exit 3)');
    expect(h.recorded().version).toBe(before);
  });

  it('fetches artifacts by URL and reports when they change', async () => {
    const h = host('artifact');
    const artifactFile = path.join(tmpRoot, 'agent-v1.js');
    fs.writeFileSync(artifactFile, 'console.log("v1")\n');
    const withArtifact = (url: string): BundleSpec => ({
      ...spec(h, 'setting 1\n'),
      artifacts: [{ path: '/opt/agent.js', url }],
      actions: [{ name: 'restart-agent', when: ['/opt/agent.js'], run: h.step('restart-agent') }],
    });
    await h.apply(withArtifact(`file://${deployMarker('artifactDir')}/agent-v1.js`), { peer: 'x', artifactDir: tmpRoot });
    expect(h.read('/opt/agent.js')).toBe('console.log("v1")\n');
    expect(h.actions()).toEqual(['restart-agent']);
    const refused = await h.apply(withArtifact('http://example.invalid/agent.js'), { peer: 'x' });
    expect(refused.output).toContain('only s3:// and file:// URLs are fetched');
  });

  it('serializes overlapping applies (State Manager and a hand-run command): one runs its actions only after the other finished', async () => {
    const h = host('overlap');
    const slow = (label: string): BundleSpec => ({
      ...spec(h, `setting ${label}\n`),
      actions: [{ name: 'slow', when: ['/etc/svc/svc.conf'], run: ['sh', '-c', `${h.step(`${label}-start`)[2]}; sleep 0.5; ${h.step(`${label}-end`)[2]}`] }],
    });
    const [first, second] = await Promise.all([h.apply(slow('one'), { peer: 'x' }), h.apply(slow('two'), { peer: 'x' })]);
    expect([first.ok, second.ok]).toEqual([true, true]);
    const log = h.actions();
    expect(log).toHaveLength(4);
    // Whichever took the lock first ran start and end before the other started.
    expect(log[0]!.replace('-start', '')).toBe(log[1]!.replace('-end', ''));
    expect(log[2]!.replace('-start', '')).toBe(log[3]!.replace('-end', ''));
  });
});

describe('renderHostBundle', () => {
  const base: BundleSpec = { host: 'h', files: [{ path: '/a', content: 'x' }], actions: [], verify: { run: ['true'], attempts: 1, intervalSeconds: 0 } };

  it('is deterministic and changes version with any file', () => {
    expect(renderHostBundle(base)).toEqual(renderHostBundle(base));
    expect(renderHostBundle({ ...base, files: [{ path: '/a', content: 'y' }] }).version).not.toBe(renderHostBundle(base).version);
  });

  it('refuses a path listed twice, an action or a check waiting for a file the bundle does not hold', () => {
    expect(() => renderHostBundle({ ...base, files: [...base.files, { path: '/a', content: 'z' }] })).toThrow('host bundle h: /a is listed twice');
    expect(() => renderHostBundle({ ...base, actions: [{ name: 'r', when: ['/b'], run: ['true'] }] })).toThrow('host bundle h: action r waits for /b, which the bundle does not hold');
    expect(() => renderHostBundle({ ...base, checks: [{ path: '/b', run: ['true'] }] })).toThrow('host bundle h: a check names /b, which the bundle does not hold');
  });
});
