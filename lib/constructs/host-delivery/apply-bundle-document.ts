import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** Where the applier keeps its lock and the record of the bundle last applied (current.json, previous.json). */
export const BUNDLE_STATE_DIR = '/var/lib/monsaas/bundle';

/**
 * The SSM Command document that applies a host bundle: wait for first boot's packages, fetch the bundle,
 * check its sha256, run the applier it carries. Associations (one per host) run it with that host's
 * bundle; an operator can run it by hand with the same parameters (docs/deploying-host-changes.md).
 * Parameters are constrained by pattern: they are interpolated into a shell script.
 */
export class ApplyBundleDocument extends Construct {
  readonly document: ssm.CfnDocument;

  constructor(scope: Construct, id: string, props: { readonly description: string }) {
    super(scope, id);
    const script = [
      'set -euo pipefail',
      // A new instance gets its association while cloud-init may still be installing the packages.
      'cloud-init status --wait >/dev/null || true',
      `install -d -m 0700 ${BUNDLE_STATE_DIR}`,
      `work="$(mktemp -d ${BUNDLE_STATE_DIR}/fetch.XXXXXX)"`,
      'trap \'rm -rf "$work"\' EXIT',
      'echo "instance revision {{ instanceRevision }}"',
      // The applier fetches artifacts (the agent) with the AWS CLI too: same region as the bundle.
      'export AWS_DEFAULT_REGION=\'{{ region }}\'',
      'aws s3 cp --only-show-errors --region \'{{ region }}\' \'{{ bundleUrl }}\' "$work/bundle.json"',
      'echo \'{{ bundleSha256 }}  \'"$work/bundle.json" | sha256sum --check --quiet',
      'python3 -c \'import json, sys; open(sys.argv[2], "w").write(json.load(open(sys.argv[1]))["applier"])\' "$work/bundle.json" "$work/apply_bundle.py"',
      `python3 "$work/apply_bundle.py" "$work/bundle.json" --state-dir ${BUNDLE_STATE_DIR} --deploy-values '{{ deployValues }}'`,
    ];
    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Command',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description: props.description,
        parameters: {
          bundleUrl: { type: 'String', description: 's3:// URL of the host bundle', allowedPattern: '^s3://[a-z0-9.-]+/[A-Za-z0-9._/-]+$' },
          bundleSha256: { type: 'String', description: 'sha256 of the bundle document', allowedPattern: '^[0-9a-f]{64}$' },
          region: { type: 'String', allowedPattern: '^[a-z]{2}(-[a-z]+)+-\\d$' },
          deployValues: { type: 'String', description: 'JSON object of values only the stack knows', default: '{}', allowedPattern: '^[A-Za-z0-9{}\\[\\]":,._/@=+ -]*$' },
          instanceRevision: { type: 'String', description: 'Changes when the instance was stopped or replaced, so the apply (and its wait) runs again', default: '-', allowedPattern: '^[A-Za-z0-9._-]+$' },
        },
        mainSteps: [{
          action: 'aws:runShellScript',
          name: 'applyBundle',
          inputs: { timeoutSeconds: '1800', runCommand: script },
        }],
      },
    });
  }
}
