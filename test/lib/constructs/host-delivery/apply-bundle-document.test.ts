import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplyBundleDocument, BUNDLE_STATE_DIR } from '../../../../lib/constructs/host-delivery/apply-bundle-document';
import { renderHostBundle } from '../../../../lib/host-config/bundle';

/**
 * The SSM document's shell, run as Run Command would run it (parameters interpolated), with `aws` and
 * `cloud-init` as PATH stand-ins (a local directory plays the asset bucket) and the state directory moved
 * into a temp dir. The bundle's files live under the temp dir too: the applier writes them at their paths.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-document-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const stack = new Stack(new App(), 'Doc', { env: { account: '111111111111', region: 'ap-northeast-1' } });
new ApplyBundleDocument(stack, 'Apply', { description: 'test' });
const [document] = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Document'));
const content = document!.Properties.Content;

function runDocument(parameters: Record<string, string>) {
  for (const [name, spec] of Object.entries(content.parameters as Record<string, { allowedPattern: string }>)) {
    expect(new RegExp(spec.allowedPattern).test(parameters[name]!), `${name} matches its allowedPattern`).toBe(true);
  }
  const script = (content.mainSteps[0].inputs.runCommand as string[]).join('\n')
    .replace(/\{\{ (\w+) \}\}/g, (_, name: string) => parameters[name]!)
    .replaceAll(BUNDLE_STATE_DIR, path.join(tmp, 'state'));
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'cloud-init'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  // aws s3 cp --only-show-errors --region R s3://BUCKET/KEY DEST
  fs.writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\nsrc="$6"; cp "${tmp}/bucket/\${src#s3://}" "$7"\necho "$AWS_DEFAULT_REGION" > "${tmp}/region-seen"\n`, { mode: 0o755 });
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
}

function upload(target: string) {
  const bundle = renderHostBundle({
    host: 'doc-test',
    files: [{ path: target, content: 'value {{deploy:answer}}\n' }],
    actions: [],
    verify: { run: ['true'], attempts: 1, intervalSeconds: 0 },
  });
  fs.mkdirSync(path.join(tmp, 'bucket', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'bucket', 'assets', `${bundle.sha256}.json`), bundle.json);
  return bundle;
}

describe('the apply document, run for real', () => {
  it('fetches the bundle, checks its sha256 and applies it with the deploy values', () => {
    const target = path.join(tmp, 'host', 'etc', 'app.conf');
    const bundle = upload(target);
    const result = runDocument({
      bundleUrl: `s3://assets/${bundle.sha256}.json`, bundleSha256: bundle.sha256, region: 'ap-northeast-1',
      deployValues: '{"answer":"arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:x-AbCdEf"}', instanceRevision: '0123abcd',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('value arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:x-AbCdEf\n');
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'state', 'current.json'), 'utf8')).version).toBe(bundle.version);
    // Exported for every later command, the applier's artifact fetches included.
    expect(fs.readFileSync(path.join(tmp, 'region-seen'), 'utf8')).toBe('ap-northeast-1\n');
  });

  it('refuses a bundle whose sha256 is not the one the stack names, before applying anything', () => {
    const target = path.join(tmp, 'host2', 'etc', 'app.conf');
    const bundle = upload(target);
    const result = runDocument({
      bundleUrl: `s3://assets/${bundle.sha256}.json`, bundleSha256: 'f'.repeat(64), region: 'ap-northeast-1', deployValues: '{"answer":"x"}', instanceRevision: '-',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/FAILED|did NOT match/);
    expect(fs.existsSync(target)).toBe(false);
  });
});
