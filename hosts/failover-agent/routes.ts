import { DescribeRouteTablesCommand, EC2Client, ReplaceRouteCommand } from '@aws-sdk/client-ec2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger } from '@aws-lambda-powertools/logger';

export interface RouteSteeringOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly routeTableIds: readonly string[];
  /** "a.b.c.d/32" */
  readonly destination: string;
}

/** Where the VIP route of each table points now (ENI id, or undefined when missing/elsewhere). */
export type RouteTargets = Map<string, string | undefined>;

/**
 * Steers the VIP/32 route of every listed route table to one ENI: describe, replace what differs,
 * describe again to confirm. The SDK's standard retry mode retries throttling and 5xx with
 * exponential backoff and full jitter; every call has a 3 s timeout. Replacing is idempotent.
 */
export class RouteSteering {
  private readonly ec2: EC2Client;

  constructor(private readonly options: RouteSteeringOptions, private readonly log: Logger) {
    this.ec2 = new EC2Client({
      region: options.region,
      endpoint: options.endpoint,
      maxAttempts: 5,
      retryMode: 'standard',
      requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
    });
  }

  async targets(): Promise<RouteTargets> {
    const { RouteTables = [] } = await this.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [...this.options.routeTableIds] }));
    const found: RouteTargets = new Map(this.options.routeTableIds.map((id) => [id, undefined]));
    for (const table of RouteTables) {
      const route = table.Routes?.find((r) => r.DestinationCidrBlock === this.options.destination);
      if (table.RouteTableId) found.set(table.RouteTableId, route?.NetworkInterfaceId);
    }
    return found;
  }

  /**
   * Points every table's VIP route at `eni`; resolves once a describe confirms all of them. On a
   * failover the replace goes first (no describe before it): it is idempotent and time matters.
   */
  async steerTo(eni: string, knownWrong: readonly string[] = this.options.routeTableIds): Promise<void> {
    let wrong = [...knownWrong];
    for (let attempt = 1; wrong.length > 0; attempt += 1) {
      if (attempt > 5) throw new Error(`VIP routes still not on ${eni} after 5 attempts: ${wrong.join(', ')}`);
      await Promise.all(wrong.map((RouteTableId) => this.ec2.send(new ReplaceRouteCommand({
        RouteTableId, DestinationCidrBlock: this.options.destination, NetworkInterfaceId: eni,
      }))));
      this.log.info('replaced VIP routes', { attempt, destination: this.options.destination, eni, routeTables: wrong });
      const confirmed = await this.targets();
      wrong = [...confirmed].filter(([, target]) => target !== eni).map(([id]) => id);
    }
  }

  /**
   * Reconciliation: repairs tables whose VIP route points elsewhere and returns them. `stillWanted` is
   * asked after the describe, so a node that lost mastership meanwhile never pulls the route to itself.
   */
  async repair(eni: string, stillWanted: () => boolean = () => true): Promise<string[]> {
    const current = await this.targets();
    const wrong = [...current].filter(([, target]) => target !== eni).map(([id]) => id);
    if (wrong.length === 0 || !stillWanted()) return [];
    this.log.warn('VIP route points elsewhere while this node is MASTER; repairing', { routeTables: wrong, targets: Object.fromEntries(current) });
    await this.steerTo(eni, wrong);
    return wrong;
  }
}
