import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICE } from '../../lib/platform/service';
import type { StackSet, StackTemplate, Template } from './types';

interface Manifest {
  artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; terminationProtection?: boolean } }>;
}

/** The name prefix of every stack of one environment, e.g. "monsaas-production-". */
export const stackPrefix = (environment: string) => `${SERVICE}-${environment}-`;

/**
 * The stacks of one environment in a directory: a cloud assembly (cdk.out, read through its
 * manifest.json, termination protection included) or plain `<stack name>.template.json` files with an
 * optional stacks.json (what CI fetches from the deployed stacks, see fetch-deployed.sh). A stack
 * absent from the directory is taken as not deployed.
 */
export function readStacks(dir: string, environment: string): StackSet {
  const stacks = new Map<string, StackTemplate>();
  const prefix = stackPrefix(environment);
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Template;
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
      const file = artifact.properties?.templateFile;
      if (artifact.type !== 'aws:cloudformation:stack' || !name.startsWith(prefix) || !file) continue;
      stacks.set(name, { stackName: name, template: read(file), terminationProtection: artifact.properties?.terminationProtection });
    }
    return stacks;
  }
  // stacks.json (written by fetch-deployed.sh): each deployed stack's termination protection.
  const protection = fs.existsSync(path.join(dir, 'stacks.json'))
    ? (JSON.parse(fs.readFileSync(path.join(dir, 'stacks.json'), 'utf8')) as Record<string, { terminationProtection?: boolean }>)
    : {};
  for (const file of fs.readdirSync(dir)) {
    const match = /^(.+)\.template\.json$/.exec(file);
    const name = match?.[1];
    if (name?.startsWith(prefix)) stacks.set(name, { stackName: name, template: read(file), terminationProtection: protection[name]?.terminationProtection });
  }
  return stacks;
}
