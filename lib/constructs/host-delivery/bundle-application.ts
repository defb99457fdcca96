import { Lazy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import type { ApplyBundleDocument } from './apply-bundle-document';
import type { HostBundleAsset } from './host-bundle-asset';

/** How long CloudFormation waits for a host to apply its bundle and pass its verify step. */
export const APPLY_WAIT_SECONDS = 1800;

export interface BundleApplicationProps {
  readonly document: ApplyBundleDocument;
  /** The host's instance. Its properties that stop or replace it are digested into the association (see instanceRevision). */
  readonly instance: ec2.CfnInstance;
  readonly bundle: HostBundleAsset;
  /** Values the applier puts in place of {{deploy:NAME}} markers (tokens resolve at deploy). */
  readonly deployValues?: Readonly<Record<string, string>>;
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
      // A change of the document itself (UpdateMethod NewVersion) applies to the next run.
      documentVersion: '$LATEST',
      targets: [{ key: 'InstanceIds', values: [props.instance.ref] }],
      parameters: {
        bundleUrl: [props.bundle.s3Url],
        bundleSha256: [props.bundle.bundle.sha256],
        region: [stack.region],
        deployValues: [stack.toJsonString(props.deployValues ?? {})],
        instanceRevision: [Lazy.string({ produce: () => instanceRevision(stack, props.instance) })],
      },
      waitForSuccessTimeoutSeconds: APPLY_WAIT_SECONDS,
      // Runs on creation and on every change; no schedule (a re-apply is an explicit operator action).
      applyOnlyAtCronInterval: false,
      complianceSeverity: 'HIGH',
    });
  }
}

/**
 * A digest of the instance's properties whose change stops it (CloudFormation: "some interruptions":
 * UserData, InstanceType, EbsOptimized, ...) or replaces it (ImageId, BlockDeviceMappings, LaunchTemplate, ...),
 * as synthesized. When one changes, the association's parameters change too, so the same deploy re-runs
 * the host's apply after the restart and waits for it before the next host is touched.
 */
export function instanceRevision(stack: Stack, instance: ec2.CfnInstance): string {
  const properties = {
    additionalInfo: instance.additionalInfo, affinity: instance.affinity, ebsOptimized: instance.ebsOptimized,
    hostId: instance.hostId, instanceType: instance.instanceType, kernelId: instance.kernelId, ramdiskId: instance.ramdiskId,
    tenancy: instance.tenancy, userData: instance.userData, privateDnsNameOptions: instance.privateDnsNameOptions,
    imageId: instance.imageId, blockDeviceMappings: instance.blockDeviceMappings, launchTemplate: instance.launchTemplate,
    privateIpAddress: instance.privateIpAddress, subnetId: instance.subnetId, availabilityZone: instance.availabilityZone,
  };
  return createHash('sha256').update(JSON.stringify(stack.resolve(properties))).digest('hex').slice(0, 16);
}
