import { gzipSync } from 'node:zlib';

/** A file written on first boot. */
export interface HostFile {
  /** Absolute path on the host. */
  readonly path: string;
  readonly content: string;
  /** Octal mode, e.g. "0644" (default) or "0755". */
  readonly permissions?: string;
  readonly owner?: string;
}

/** gzip that yields the same bytes on every build machine (zlib writes its OS into the header). */
export function deterministicGzip(data: string): Buffer {
  const compressed = gzipSync(Buffer.from(data, 'utf8'), { level: 9 });
  compressed[9] = 255; // header OS byte: "unknown", whatever platform built it
  return compressed;
}

/** CDK tokens (values only known at deploy, e.g. ARNs) must stay readable text for CloudFormation to substitute. */
const UNRESOLVED_TOKEN = /\$\{Token\[|#\{Token\[|\[TOKEN\./;

export interface CloudConfig {
  /** Distribution packages to install (apt or dnf, by cloud-init's package module). */
  readonly packages?: readonly string[];
  readonly writeFiles?: readonly HostFile[];
  /** Commands run once, in order, at the end of first boot. */
  readonly runcmd?: ReadonlyArray<string | readonly string[]>;
  /**
   * Files larger than this many bytes are written gzip+base64 (cloud-init inflates them), to keep user
   * data under EC2's 16 KiB; files holding deploy-time tokens stay text. Default: never.
   */
  readonly compressFilesOver?: number;
}

const plainScalar = /^[A-Za-z0-9_./:@%+=,-][A-Za-z0-9_ ./:@%+=,-]*$/;

function scalar(value: string): string {
  return plainScalar.test(value) && !/^(true|false|yes|no|on|off|null|~|\d+)$/i.test(value) && !value.endsWith(' ')
    ? value
    : JSON.stringify(value);
}

function block(content: string, indent: string): string {
  const body = content.endsWith('\n') ? content.slice(0, -1) : content;
  const chomp = content.endsWith('\n') ? '|' : '|-';
  return `${chomp}\n${body.split('\n').map((line) => (line ? indent + line : '')).join('\n')}`;
}

/** Renders a #cloud-config document (YAML; file contents as literal blocks so they read as written). */
export function renderCloudConfig(cfg: CloudConfig): string {
  const out: string[] = ['#cloud-config'];
  if (cfg.packages?.length) {
    out.push('package_update: true', 'packages:', ...cfg.packages.map((p) => `  - ${scalar(p)}`));
  }
  if (cfg.writeFiles?.length) {
    out.push('write_files:');
    for (const file of cfg.writeFiles) {
      out.push(`  - path: ${scalar(file.path)}`);
      out.push(`    permissions: ${JSON.stringify(file.permissions ?? '0644')}`);
      out.push(`    owner: ${scalar(file.owner ?? 'root:root')}`);
      const compress = cfg.compressFilesOver !== undefined && Buffer.byteLength(file.content) > cfg.compressFilesOver && !UNRESOLVED_TOKEN.test(file.content);
      if (compress) {
        out.push('    encoding: gz+b64');
        out.push(`    content: ${deterministicGzip(file.content).toString('base64')}`);
      } else {
        out.push(`    content: ${block(file.content, '      ')}`);
      }
    }
  }
  if (cfg.runcmd?.length) {
    out.push('runcmd:');
    for (const cmd of cfg.runcmd) {
      out.push(typeof cmd === 'string' ? `  - ${JSON.stringify(cmd)}` : `  - [${cmd.map((c) => JSON.stringify(c)).join(', ')}]`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** EC2 accepts at most 16 KiB of user data (before base64). */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/**
 * The value of an instance's UserData property for a cloud-config too large to send as text:
 * gzip (cloud-init detects and inflates it), base64 as EC2 expects. Deterministic (gzip carries no
 * timestamp from Node), so an unchanged config never restarts an instance. Throws when even the
 * compressed document exceeds EC2's limit.
 */
export function compressedUserData(cloudConfig: string): string {
  const compressed = deterministicGzip(cloudConfig);
  if (compressed.length > MAX_USER_DATA_BYTES) {
    throw new Error(`user data is ${compressed.length} bytes gzipped; EC2 accepts ${MAX_USER_DATA_BYTES}: move large files to an S3 asset`);
  }
  return compressed.toString('base64');
}
