import * as http from 'node:http';

/** One VIP route change, as recorded by the stand-in (the drill's source of truth for routeSwitchS). */
export interface RouteChange {
  readonly at: number;
  readonly routeTableId: string;
  readonly destination: string;
  readonly networkInterfaceId: string;
}

export interface StandInOptions {
  /** Route tables with their initial routes: table -> destination -> ENI. */
  readonly routeTables: Record<string, Record<string, string>>;
  /** IMDS identity by caller address: source IP -> { mac, eni }. */
  readonly instances: Record<string, { readonly mac: string; readonly eni: string }>;
  /** Called after each accepted ReplaceRoute (the drill re-points the client's route here). */
  readonly onReplace?: (change: RouteChange) => void;
  /** Called for every EC2 API request (also those left hanging), with the caller's address. */
  readonly onCall?: (call: Ec2ApiCall) => void;
}

export interface Ec2ApiCall { readonly action: string; readonly at: number; readonly from: string; readonly hung: boolean }

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function errorXml(code: string, message: string): string {
  return xml(`<Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>drill</RequestID></Response>`);
}

/**
 * A local stand-in for the two EC2 Query API actions the failover agent calls (DescribeRouteTables,
 * ReplaceRoute) and for IMDSv2 (token + the caller's primary ENI), with route tables in memory.
 * Wire format as measured in reference.md section 8: form-encoded requests, EC2's XML responses.
 */
export class Ec2StandIn {
  readonly tables: Map<string, Map<string, string>>;
  readonly changes: RouteChange[] = [];
  readonly calls: Ec2ApiCall[] = [];
  /** While true, EC2 API requests are accepted and never answered (an endpoint that hangs); IMDS still answers. */
  hang = false;
  private server?: http.Server;

  constructor(private readonly options: StandInOptions) {
    this.tables = new Map(Object.entries(options.routeTables).map(([id, routes]) => [id, new Map(Object.entries(routes))]));
  }

  async listen(host: string, port: number): Promise<void> {
    this.server = http.createServer((req, res) => { this.handle(req, res); });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Points a route somewhere by hand (an operator or a stray tool moving it behind the agents' backs). */
  setRoute(routeTableId: string, destination: string, eni: string): void {
    this.tables.get(routeTableId)?.set(destination, eni);
    const change: RouteChange = { at: Date.now(), routeTableId, destination, networkInterfaceId: eni };
    this.changes.push(change);
    this.options.onReplace?.(change);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk) => { body += String(chunk); });
    req.on('end', () => {
      const send = (status: number, text: string, type = 'text/xml') => { res.writeHead(status, { 'content-type': type }); res.end(text); };
      const url = req.url ?? '/';
      if (url.startsWith('/latest/')) return this.imds(req, url, send);
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      const call: Ec2ApiCall = { action, at: Date.now(), from: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), hung: this.hang };
      this.calls.push(call);
      this.options.onCall?.(call);
      if (this.hang) return; // never answered: the caller's own deadline must fire
      if (action === 'DescribeRouteTables') return send(200, this.describe(params));
      if (action === 'ReplaceRoute') {
        const result = this.replace(params);
        return typeof result === 'string' ? send(200, result) : send(400, errorXml(result.code, result.message));
      }
      send(400, errorXml('InvalidAction', `The action ${action} is not valid for this web service.`));
    });
  }

  private imds(req: http.IncomingMessage, url: string, send: (status: number, text: string, type?: string) => void): void {
    if (req.method === 'PUT' && url === '/latest/api/token') return send(200, 'drill-token', 'text/plain');
    if (req.headers['x-aws-ec2-metadata-token'] !== 'drill-token') return send(401, '', 'text/plain');
    const caller = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const instance = this.options.instances[caller];
    if (!instance) return send(404, '', 'text/plain');
    if (url === '/latest/meta-data/mac') return send(200, instance.mac, 'text/plain');
    if (url === `/latest/meta-data/network/interfaces/macs/${instance.mac}/interface-id`) return send(200, instance.eni, 'text/plain');
    send(404, '', 'text/plain');
  }

  private describe(params: URLSearchParams): string {
    const wanted = [...params.entries()].filter(([k]) => /^RouteTableId\.\d+$/.test(k)).map(([, v]) => v);
    const ids = wanted.length > 0 ? wanted.filter((id) => this.tables.has(id)) : [...this.tables.keys()];
    const items = ids.map((id) => {
      const routes = [...this.tables.get(id)!].map(([cidr, eni]) =>
        `<item><destinationCidrBlock>${cidr}</destinationCidrBlock><networkInterfaceId>${eni}</networkInterfaceId><origin>CreateRoute</origin><state>active</state></item>`).join('');
      return `<item><routeTableId>${id}</routeTableId><vpcId>vpc-drill</vpcId><routeSet>${routes}</routeSet></item>`;
    }).join('');
    return xml(`<DescribeRouteTablesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>drill</requestId><routeTableSet>${items}</routeTableSet></DescribeRouteTablesResponse>`);
  }

  private replace(params: URLSearchParams): string | { code: string; message: string } {
    const routeTableId = params.get('RouteTableId') ?? '';
    const destination = params.get('DestinationCidrBlock') ?? '';
    const eni = params.get('NetworkInterfaceId');
    const table = this.tables.get(routeTableId);
    if (!table) return { code: 'InvalidRouteTableID.NotFound', message: `The routeTable ID '${routeTableId}' does not exist` };
    if (!table.has(destination)) return { code: 'InvalidRoute.NotFound', message: `no route with destination-cidr-block ${destination} in the table ${routeTableId}` };
    if (!eni) return { code: 'MissingParameter', message: 'NetworkInterfaceId is required by this stand-in' };
    table.set(destination, eni);
    const change: RouteChange = { at: Date.now(), routeTableId, destination, networkInterfaceId: eni };
    this.changes.push(change);
    this.options.onReplace?.(change);
    return xml('<ReplaceRouteResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>drill</requestId><return>true</return></ReplaceRouteResponse>');
  }
}
