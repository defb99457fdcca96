import {
  DescribeStackDriftDetectionStatusCommand, DescribeStackResourceDriftsCommand, DetectStackDriftCommand,
  type CloudFormationClient, type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';

/** A drifted resource, and whether the platform moves it on purpose. */
export interface ResourceDrift {
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
  readonly properties: readonly string[];
  /** Why this drift is by design, when it is. */
  readonly expected?: string;
}

export interface StackDriftReport {
  readonly stack: string;
  readonly region: string;
  /** IN_SYNC, DRIFTED, or UNKNOWN when detection could not run. */
  readonly status: string;
  readonly resources: readonly ResourceDrift[];
  readonly error?: string;
  /** No drift but the expected kind, and detection ran. */
  readonly ok: boolean;
}

/**
 * The failover agent repoints each shard VIP's /32 route (CfnRoute "VipRoute<n>" of the redis stack) at
 * the ENI of whichever node is MASTER, so after any failover the deployed route differs from the
 * template in NetworkInterfaceId only. Anything else about those routes is real drift.
 */
export function expectedDriftReason(stack: string, drift: Pick<ResourceDrift, 'logicalId' | 'type' | 'status' | 'properties'>): string | undefined {
  const vipRoute = stack.endsWith('-redis') && drift.type === 'AWS::EC2::Route' && /VipRoute\d+/.test(drift.logicalId);
  if (vipRoute && drift.status === 'MODIFIED' && drift.properties.length > 0 && drift.properties.every((p) => p === '/NetworkInterfaceId')) {
    return 'VIP route moved to the current MASTER by the failover agent';
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function detectOne(client: CloudFormationClient, stack: string, region: string, pollMs: number): Promise<StackDriftReport> {
  try {
    const { StackDriftDetectionId: id } = await client.send(new DetectStackDriftCommand({ StackName: stack }));
    let status;
    for (;;) {
      status = await client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }));
      if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') break;
      await sleep(pollMs);
    }
    if (status.DetectionStatus === 'DETECTION_FAILED' && !status.StackDriftStatus) {
      return { stack, region, status: 'UNKNOWN', resources: [], error: status.DetectionStatusReason ?? 'detection failed', ok: false };
    }
    const drifts: StackResourceDrift[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeStackResourceDriftsCommand({ StackName: stack, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: token }));
      drifts.push(...(page.StackResourceDrifts ?? []));
      token = page.NextToken;
    } while (token);
    const resources = drifts.map((d) => {
      const drift = {
        logicalId: d.LogicalResourceId ?? '?',
        type: d.ResourceType ?? '?',
        status: d.StackResourceDriftStatus ?? '?',
        properties: (d.PropertyDifferences ?? []).map((p) => p.PropertyPath ?? '?'),
      };
      return { ...drift, expected: expectedDriftReason(stack, drift) };
    });
    return { stack, region, status: status.StackDriftStatus ?? 'UNKNOWN', resources, ok: resources.every((r) => r.expected) };
  } catch (error) {
    return { stack, region, status: 'UNKNOWN', resources: [], error: error instanceof Error ? error.message.split('\n')[0] : String(error), ok: false };
  }
}

/** Detects drift of every stack (in parallel: CloudFormation runs detections per stack). */
export function detectDrift(
  client: (region: string) => CloudFormationClient,
  stacks: ReadonlyArray<{ name: string; region: string }>,
  pollMs = 5000,
): Promise<StackDriftReport[]> {
  return Promise.all(stacks.map((s) => detectOne(client(s.region), s.name, s.region, pollMs)));
}

export function formatDrift(report: StackDriftReport): string[] {
  const where = `${report.stack} (${report.region})`;
  if (report.error) return [`FAIL ${where}: drift detection failed: ${report.error}; check the stack exists and the role may call cloudformation:DetectStackDrift`];
  const unexpected = report.resources.filter((r) => !r.expected);
  const expected = report.resources.length - unexpected.length;
  const head = report.resources.length === 0
    ? `OK   ${where}: IN_SYNC`
    : `${unexpected.length ? 'FAIL' : 'OK  '} ${where}: ${report.status}, ${unexpected.length} unexpected and ${expected} expected drifted resource(s)`;
  return [head, ...report.resources.map((r) => `       ${r.expected ? 'expected' : 'DRIFT   '} ${r.logicalId} (${r.type}) ${r.status}${r.properties.length ? ` ${r.properties.join(', ')}` : ''}${r.expected ? `: ${r.expected}` : ''}`)];
}
