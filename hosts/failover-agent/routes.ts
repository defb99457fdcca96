import { DescribeRouteTablesCommand, EC2Client, ReplaceRouteCommand } from '@aws-sdk/client-ec2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger } from '@aws-lambda-powertools/logger';
import { Superseded } from './deadline';

export interface RouteSteeringOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly routeTableIds: readonly string[];
  /** "a.b.c.d/32" */
  readonly destination: string;
  /** Deadline of one HTTP request (connect + answer), ms. */
  readonly requestTimeoutMs?: number;
}

/** Where the VIP route of each table points now (ENI id, or undefined when missing/elsewhere). */
export type RouteTargets = Map<string, string | undefined>;

/**
 * Steers the VIP/32 route of every listed route table to one ENI: replace what differs, describe to
 * confirm. Every request has a deadline that really fires (`throwOnRequestTimeout`: in
 * @smithy/node-http-handler 4.x a request timeout otherwise only logs) and every call takes the
 * caller's abort signal, so a newer keepalived state never waits behind a hung endpoint. The SDK's
 * standard retry mode retries throttling and 5xx (2 attempts: the agent's own loop retries longer).
 */
export class RouteSteering {
  private readonly ec2: EC2Client;
  calls = 0;

  constructor(private readonly options: RouteSteeringOptions, private readonly log: Logger) {
    const requestTimeout = options.requestTimeoutMs ?? 2000;
    this.ec2 = new EC2Client({
      region: options.region,
      endpoint: options.endpoint,
      maxAttempts: 2,
      retryMode: 'standard',
      requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout, throwOnRequestTimeout: true }),
    });
  }

  private async call<T>(run: (options: { abortSignal?: AbortSignal }) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new Superseded('EC2 call');
    this.calls += 1;
    try {
      return await run({ abortSignal: signal });
    } catch (error) {
      if (signal?.aborted) throw new Superseded('EC2 call');
      throw error;
    }
  }

  async targets(signal?: AbortSignal): Promise<RouteTargets> {
    const { RouteTables = [] } = await this.call((o) => this.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [...this.options.routeTableIds] }), o), signal);
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
  async steerTo(eni: string, knownWrong: readonly string[] = this.options.routeTableIds, signal?: AbortSignal): Promise<void> {
    let wrong = [...knownWrong];
    for (let attempt = 1; wrong.length > 0; attempt += 1) {
      if (attempt > 3) throw new Error(`VIP routes still not on ${eni} after 3 attempts: ${wrong.join(', ')}`);
      await Promise.all(wrong.map((RouteTableId) => this.call((o) => this.ec2.send(new ReplaceRouteCommand({
        RouteTableId, DestinationCidrBlock: this.options.destination, NetworkInterfaceId: eni,
      }), o), signal)));
      this.log.info('replaced VIP routes', { attempt, destination: this.options.destination, eni, routeTables: wrong });
      const confirmed = await this.targets(signal);
      wrong = [...confirmed].filter(([, target]) => target !== eni).map(([id]) => id);
    }
  }

  /**
   * Reconciliation: repairs tables whose VIP route does not point at `eni` and returns them.
   * `mayRepair(targets)` is asked after the describe: a node that lost mastership meanwhile, or that
   * yields during a split brain, never pulls the route to itself.
   */
  async repair(eni: string, mayRepair: (wrong: RouteTargets) => boolean = () => true, signal?: AbortSignal): Promise<string[]> {
    const current = await this.targets(signal);
    const wrong = new Map([...current].filter(([, target]) => target !== eni));
    if (wrong.size === 0 || !mayRepair(wrong)) return [];
    this.log.warn('VIP route does not point at this MASTER; repairing', { routeTables: [...wrong.keys()], targets: Object.fromEntries(current) });
    await this.steerTo(eni, [...wrong.keys()], signal);
    return [...wrong.keys()];
  }
}
