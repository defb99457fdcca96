import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostFile } from './cloud-init';

/** The on-host applier, shipped inside every bundle (tested for real in test/hosts/host-bundle). */
export const APPLIER_SOURCE = path.resolve(__dirname, '../../hosts/host-bundle/apply_bundle.py');

/** A file fetched by the applier (large programs such as the failover agent live in their own S3 asset). */
export interface BundleArtifact {
  readonly path: string;
  /** s3:// URL; may hold {{deploy:NAME}} markers. The key is content-addressed, so a new build is a new URL. */
  readonly url: string;
  readonly permissions?: string;
  readonly owner?: string;
}

/** A command run when one of the listed files changed ("always": on every apply). */
export interface BundleAction {
  readonly name: string;
  readonly when: readonly string[] | 'always';
  readonly run: readonly string[];
  /** Interrupts the host's service: `prepare` runs first (once per apply). */
  readonly disruptive?: boolean;
}

/** A command a changed file's new content must pass before anything is written ({file} names the staged copy). */
export interface BundleCheck {
  readonly path: string;
  readonly run: readonly string[];
}

export interface BundleSpec {
  readonly host: string;
  readonly files: readonly HostFile[];
  readonly checks?: readonly BundleCheck[];
  readonly artifacts?: readonly BundleArtifact[];
  /** In order; only the triggered ones run. */
  readonly actions: readonly BundleAction[];
  /** Before the first disruptive action, e.g. a Redis master handing its role to the standby. */
  readonly prepare?: readonly string[];
  /** Must exit 0 (retried) before the apply counts as done: the rollout moves on only after it. */
  readonly verify: { readonly run: readonly string[]; readonly attempts: number; readonly intervalSeconds: number };
}

export interface RenderedBundle {
  readonly host: string;
  /** sha256 of everything but this field: what the applier records and the operator sees. */
  readonly version: string;
  /** The document as uploaded; its sha256 is checked on the host before anything is applied. */
  readonly json: string;
  readonly sha256: string;
}

/** Values only the deployed stack knows, as markers the applier replaces from its --deploy-values. */
export function deployMarker(name: string): string {
  return `{{deploy:${name}}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Renders a host's bundle: pure (same spec and applier, same bytes), so an unchanged host gets the same version. */
export function renderHostBundle(spec: BundleSpec, applierSource = fs.readFileSync(APPLIER_SOURCE, 'utf8')): RenderedBundle {
  const paths = [...spec.files.map((f) => f.path), ...(spec.artifacts ?? []).map((a) => a.path)];
  const repeated = paths.find((p, i) => paths.indexOf(p) !== i);
  if (repeated) throw new Error(`host bundle ${spec.host}: ${repeated} is listed twice`);
  const unchecked = (spec.checks ?? []).find((c) => !paths.includes(c.path));
  if (unchecked) throw new Error(`host bundle ${spec.host}: a check names ${unchecked.path}, which the bundle does not hold`);
  for (const action of spec.actions) {
    if (action.when === 'always') continue;
    const unknown = action.when.find((p) => !paths.includes(p));
    if (unknown) throw new Error(`host bundle ${spec.host}: action ${action.name} waits for ${unknown}, which the bundle does not hold`);
  }
  const body = {
    format: 1,
    host: spec.host,
    files: [
      ...spec.files.map((f) => ({ path: f.path, mode: f.permissions ?? '0644', owner: f.owner ?? 'root:root', content: f.content })),
      ...(spec.artifacts ?? []).map((a) => ({ path: a.path, mode: a.permissions ?? '0644', owner: a.owner ?? 'root:root', source: { url: a.url } })),
    ],
    ...(spec.checks?.length ? { checks: spec.checks.map((c) => ({ path: c.path, run: c.run })) } : {}),
    actions: spec.actions.map((a) => ({ name: a.name, when: a.when, run: a.run, ...(a.disruptive ? { disruptive: true } : {}) })),
    ...(spec.prepare ? { prepare: { run: spec.prepare } } : {}),
    verify: spec.verify,
    applier: applierSource,
  };
  const version = sha256(JSON.stringify(body));
  const json = `${JSON.stringify({ ...body, version })}\n`;
  return { host: spec.host, version, json, sha256: sha256(json) };
}
