import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RenderedBundle } from '../../host-config/bundle';

/**
 * One host's bundle (lib/host-config/bundle.ts) as an S3 asset. The object key is content-addressed, so
 * a changed host is a new object and an unchanged one keeps its key: rollbacks point at objects that
 * still exist. The host checks the bundle's sha256 before applying it.
 */
export class HostBundleAsset extends Construct {
  readonly asset: s3assets.Asset;
  readonly bundle: RenderedBundle;

  constructor(scope: Construct, id: string, props: { readonly bundle: RenderedBundle }) {
    super(scope, id);
    this.bundle = props.bundle;
    // Staged under its own digest: the same bytes always land in the same file, whichever synth wrote it.
    const dir = path.join(os.tmpdir(), 'monsaas-host-bundles');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${props.bundle.sha256}.json`);
    if (!fs.existsSync(file)) {
      // Parallel synths (tests) may stage the same bundle: write aside, then rename, so none reads half a file.
      const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      fs.writeFileSync(partial, props.bundle.json);
      fs.renameSync(partial, file);
    }
    this.asset = new s3assets.Asset(this, 'Bundle', { path: file });
  }

  get s3Url(): string {
    return this.asset.s3ObjectUrl;
  }

  /** Exactly this bundle's object (the asset bucket holds every other asset of the account too). */
  grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [this.asset.bucket.arnForObjects(this.asset.s3ObjectKey)],
    }));
  }
}
