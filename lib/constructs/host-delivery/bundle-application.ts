import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import type { ApplyBundleDocument } from './apply-bundle-document';
import type { HostBundleAsset } from './host-bundle-asset';

/** How long CloudFormation waits for a host to apply its bundle and pass its verify step. */
export const APPLY_WAIT_SECONDS = 1800;

export interface BundleApplicationProps {
  readonly document: ApplyBundleDocument;
  readonly instanceId: string;
  readonly bundle: HostBundleAsset;
  /** Values the applier puts in place of {{deploy:NAME}} markers (tokens resolve at deploy). */
  readonly deployValues?: Readonly<Record<string, string>>;
  /**
   * Digest of every instance property whose change stops or replaces the instance: when it changes,
   * the association changes too, so CloudFormation re-runs the apply and waits for it after the restart.
   */
  readonly instanceRevision: string;
}

/**
 * A State Manager association applying one host's bundle to one instance. CloudFormation creates or
 * updates it after the instance and waits (WaitForSuccessTimeoutSeconds) until the host reports success,
 * i.e. the bundle applied and its verify step passed; resources that depend on it wait too. That wait is
 * what orders a rollout: node b before node a of a shard, resolver 1 before resolver 2.
 */
export class BundleApplication extends Construct {
  readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: BundleApplicationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.association = new ssm.CfnAssociation(this, 'Association', {
      name: props.document.document.ref,
      targets: [{ key: 'InstanceIds', values: [props.instanceId] }],
      parameters: {
        bundleUrl: [props.bundle.s3Url],
        bundleSha256: [props.bundle.bundle.sha256],
        region: [stack.region],
        deployValues: [stack.toJsonString(props.deployValues ?? {})],
        instanceRevision: [props.instanceRevision],
      },
      waitForSuccessTimeoutSeconds: APPLY_WAIT_SECONDS,
      // Runs on creation and on every change; no schedule (a re-apply is an explicit operator action).
      applyOnlyAtCronInterval: false,
      complianceSeverity: 'HIGH',
    });
  }
}

/** A digest of the instance properties whose change stops or replaces the instance (see instanceRevision above). */
export function instanceRevision(properties: Readonly<Record<string, string | number>>): string {
  return createHash('sha256').update(JSON.stringify(properties)).digest('hex').slice(0, 16);
}
