import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { compressedUserData, deterministicGzip, MAX_USER_DATA_BYTES, renderCloudConfig } from '../../../lib/host-config/cloud-init';
import { renderRedisNodeCloudConfig } from '../../../lib/host-config/redis/node-cloud-init';
import { shardTopology } from '../../../lib/model/redis-topology';
import { resolverCloudConfig } from '../../../lib/host-config/unbound';

describe('cloud-config rendering', () => {
  it('writes files as literal blocks that parse back to their exact content', () => {
    const content = 'line one\n  indented: yes\n#not a comment\n';
    const doc = parse(renderCloudConfig({ packages: ['redis6'], writeFiles: [{ path: '/etc/x.conf', content, permissions: '0600' }], runcmd: [['a', 'b c']] }));
    expect(doc).toEqual({
      package_update: true,
      packages: ['redis6'],
      write_files: [{ path: '/etc/x.conf', permissions: '0600', owner: 'root:root', content }],
      runcmd: [['a', 'b c']],
    });
  });

  it('gzips large token-free files for cloud-init (gz+b64) and leaves files with deploy-time tokens as text', () => {
    const big = 'x'.repeat(5000);
    const withToken = `ARN=\${Token[TOKEN.123]}\n${'y'.repeat(5000)}`;
    const doc = parse(renderCloudConfig({ writeFiles: [{ path: '/big', content: big }, { path: '/token', content: withToken }, { path: '/small', content: 'z' }], compressFilesOver: 1024 }));
    const [bigFile, tokenFile, smallFile] = doc.write_files;
    expect(bigFile.encoding).toBe('gz+b64');
    expect(gunzipSync(Buffer.from(bigFile.content, 'base64')).toString()).toBe(big);
    expect(tokenFile.encoding).toBeUndefined();
    expect(tokenFile.content).toBe(withToken);
    expect(smallFile).toEqual({ path: '/small', permissions: '0644', owner: 'root:root', content: 'z' });
  });

  it('compresses identically on every build machine (no timestamp, OS byte fixed), so deploys never restart hosts for nothing', () => {
    const a = deterministicGzip('same input');
    expect(a.readUInt32LE(4)).toBe(0); // MTIME
    expect(a[9]).toBe(255); // OS: unknown
    expect(deterministicGzip('same input').equals(a)).toBe(true);
    expect(gunzipSync(a).toString()).toBe('same input');
  });

  it('refuses user data that even gzipped exceeds EC2\'s 16 KiB', () => {
    const incompressible = randomBytes(20_000).toString('base64'); // about 26 KB, gzips to about 20 KB
    expect(() => compressedUserData(incompressible)).toThrow(/EC2 accepts 16384/);
  });
});

describe.each(['staging', 'production'])('%s user data: small and stable', (name) => {
  const config = validateEnvConfig(`${name}.ts`, environments[name]);

  it('is the same packages-only document for every Redis node, well under EC2\'s limit', () => {
    const documents = shardTopology(config).flatMap((s) => s.nodes).map((node) => renderRedisNodeCloudConfig(config, node));
    expect(new Set(documents).size).toBe(1);
    expect(Buffer.byteLength(documents[0]!)).toBeLessThan(1024);
    expect(parse(documents[0]!)).toEqual({ package_update: true, packages: expect.arrayContaining(['redis6', 'keepalived', 'nodejs22', 'awscli-2']) });
  });

  it('for every resolver, gzipped', () => {
    for (let i = 0; i < config.resolvers.count; i += 1) {
      expect(Buffer.from(compressedUserData(resolverCloudConfig(config, i)), 'base64').length).toBeLessThan(MAX_USER_DATA_BYTES - 1024);
    }
  });
});
