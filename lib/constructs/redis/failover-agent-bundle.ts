import { AssetHashType, BundlingOutput, DockerImage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { bundleHostProgram, FAILOVER_AGENT_ENTRY } from '../common/host-program-bundle';
import { REPO_ROOT } from '../common/bundle-cache';

/**
 * The failover agent bundled by esbuild into one file (SDK included) and shipped as an S3 asset that each
 * node's host bundle names as an artifact: the hosts need no npm, and the bundle is built locally at synth
 * (no Docker). Keyed by the built output, so a dependency bump is a new object (and a new node bundle).
 */
export class FailoverAgentBundle extends Construct {
  readonly asset: s3assets.Asset;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const sourceDir = path.join(REPO_ROOT, 'hosts/failover-agent');
    this.asset = new s3assets.Asset(this, 'Bundle', {
      path: sourceDir,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: local bundling always succeeds (esbuild is a devDependency).
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        outputType: BundlingOutput.SINGLE_FILE,
        local: {
          tryBundle(outputDir: string): boolean {
            bundleHostProgram(path.join(REPO_ROOT, FAILOVER_AGENT_ENTRY), path.join(outputDir, 'failover-agent.js'));
            return true;
          },
        },
      },
    });
  }

  /** Exactly the agent's object (grantRead on the asset would allow the whole asset bucket). */
  grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'FetchFailoverAgent',
      actions: ['s3:GetObject'],
      resources: [this.asset.bucket.arnForObjects(this.asset.s3ObjectKey)],
    }));
  }
}
