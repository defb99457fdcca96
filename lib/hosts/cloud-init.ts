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

export interface CloudConfig {
  /** Distribution packages to install (apt or dnf, by cloud-init's package module). */
  readonly packages?: readonly string[];
  readonly writeFiles?: readonly HostFile[];
  /** Commands run once, in order, at the end of first boot. */
  readonly runcmd?: ReadonlyArray<string | readonly string[]>;
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
      out.push(`    content: ${block(file.content, '      ')}`);
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
  const compressed = gzipSync(Buffer.from(cloudConfig, 'utf8'), { level: 9 });
  if (compressed.length > MAX_USER_DATA_BYTES) {
    throw new Error(`user data is ${compressed.length} bytes gzipped; EC2 accepts ${MAX_USER_DATA_BYTES}: move large files to an S3 asset`);
  }
  return compressed.toString('base64');
}
