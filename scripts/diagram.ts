/**
 * Draws docs/architecture.svg from the app itself (offline, deterministic):
 *   npm run diagram            writes the picture
 *   npm run diagram -- --check exits 1 when the committed picture is out of date
 * The production environment is built through createApp exactly as bin/app.ts does (bundling skipped).
 * The picture is the data flow of one metric point, with the AZs and the failover routes. Its parts come
 * from the app (AZs, shard pairs and their VIPs, resolvers, stream shards), and every arrow is a claim
 * checked against the synthesized templates (an event source mapping, an IAM grant, a route): an arrow
 * the app no longer has makes this script fail instead of drawing it. Graphviz (dot, compiled to WASM by
 * @viz-js/viz: no system package) lays it out; dot places edge labels as part of the layout, so labels
 * never overlap nodes or each other.
 */
import { Stack, Stage } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../lib/create-app';
import type { EnvConfig } from '../lib/config-schema/schema';
import { resolverName } from '../lib/host-config/unbound/metrics';
import { shardTopology, type RedisShard } from '../lib/model/redis-topology';
import type { PlatformEnvironment } from '../lib/platform/environment';
import { parseCli } from './lib/cli';

const ROOT = path.resolve(__dirname, '..');
export const DIAGRAM_PATH = path.join(ROOT, 'docs', 'architecture.svg');
const ENVIRONMENT = 'production';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** What the picture shows, read from one built environment. */
export interface ArchitectureFacts {
  readonly environment: string;
  readonly availabilityZones: readonly string[];
  readonly shards: readonly RedisShard[];
  readonly resolvers: ReadonlyArray<{ readonly name: string; readonly az: string; readonly address: string }>;
  readonly streamShards: string;
  readonly retentionHours: number;
  readonly domains: { readonly api: string; readonly web: string };
}

/** One arrow of the data flow and the check that the app really has it. */
interface Claim {
  readonly what: string;
  readonly holds: boolean;
}

const json = (value: unknown) => JSON.stringify(value);

/** Logical ids of the resources of `type` whose id starts with `prefix`. */
function idsOf(resources: Resources, type: string, prefix = ''): string[] {
  return Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix)).map(([id]) => id);
}

/** Does an IAM policy attached to the role of function/task `roleHolder` allow `action`? */
function roleAllows(resources: Resources, rolePrefix: string, action: string): boolean {
  return Object.values(resources).some((r) => r.Type === 'AWS::IAM::Policy'
    && json(r.Properties?.Roles).includes(`"${rolePrefix}`)
    && json(r.Properties?.PolicyDocument).includes(`"${action}"`));
}

/** The data-flow arrows, each checked against the templates of `env`. */
export function checkClaims(env: PlatformEnvironment): Claim[] {
  // One synthesis for all stacks (Stage.synth caches its assembly; Template.fromStack would synthesize per stack).
  const assembly = Stage.of(env.services)!.synth();
  const t = (stack: Stack) => assembly.getStackArtifact(stack.artifactId).template.Resources as Resources;
  const services = t(env.services);
  const tsdb = t(env.tsdb);
  const data = t(env.data);
  const redis = t(env.redis);
  const dns = t(env.dns);
  const mapping = (prefix: string) => Object.entries(tsdb).find(([id, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && id.startsWith(prefix))?.[1];
  const writer = tsdb[idsOf(tsdb, 'AWS::Lambda::Function', 'WriterHandlerFunction')[0]!];
  const shards = shardTopology(env.config);
  const [table] = idsOf(data, 'AWS::DynamoDB::GlobalTable', 'TsdbSeriesTable').map((id) => data[id]!);
  return [
    { what: 'NLBs forward to the api and web services', holds: ['ApiService', 'WebService'].every((p) => idsOf(services, 'AWS::ECS::Service', p).some((id) => json(services[id]!.Properties?.LoadBalancers).includes('TargetGroup'))) },
    { what: 'the api puts points into the stream', holds: roleAllows(services, 'ApiTaskTaskRole', 'kinesis:PutRecords') },
    { what: 'the stream feeds the writer (event source mapping, partial batch responses)', holds: json(mapping('WriterHandlerFunctionKinesisEventSource')).includes('ReportBatchItemFailures') },
    { what: 'the writer knows every shard VIP', holds: shards.every((s) => json(writer?.Properties?.Environment).includes(s.vip)) },
    { what: 'each VIP is a /32 route to its shard\'s node', holds: shards.every((s) => Object.values(redis).some((r) => r.Type === 'AWS::EC2::Route' && r.Properties?.DestinationCidrBlock === `${s.vip}/32`)) },
    { what: 'the nodes may replace their VIP routes (failover agent)', holds: json(redis).includes('ec2:ReplaceRoute') },
    { what: 'the writer and flusher write the series table', holds: ['WriterHandlerFunctionServiceRole', 'FlusherHandlerFunctionServiceRole'].every((p) => roleAllows(tsdb, p, 'dynamodb:BatchWriteItem') || roleAllows(tsdb, p, 'dynamodb:PutItem') || roleAllows(tsdb, p, 'dynamodb:UpdateItem')) },
    { what: 'a schedule runs the flusher', holds: idsOf(tsdb, 'AWS::Events::Rule', 'FlusherSchedule').length === 1 },
    { what: 'the table expires items by TTL onto its stream', holds: !!table && json(table.Properties?.TimeToLiveSpecification).includes('"Enabled":true') && json(table.Properties?.StreamSpecification).includes('StreamViewType') },
    { what: 'the table\'s stream feeds the exporter', holds: mapping('ExporterHandlerFunctionDynamoDBEventSource') !== undefined },
    { what: 'the exporter writes the archive bucket', holds: roleAllows(tsdb, 'ExporterHandlerFunctionServiceRole', 's3:PutObject') },
    { what: 'the api invokes the reader', holds: roleAllows(services, 'ApiTaskTaskRole', 'lambda:InvokeFunction') },
    { what: 'the reader reads the table and the archive', holds: roleAllows(tsdb, 'ReaderHandlerFunctionServiceRole', 'dynamodb:BatchGetItem') && roleAllows(tsdb, 'ReaderHandlerFunctionServiceRole', 's3:GetObject') },
    // The resolvers first; the VPC resolver after them is the last resort if all of them are down.
    { what: 'DHCP options hand every host the resolvers', holds: Object.values(dns).some((r) => r.Type === 'AWS::EC2::DHCPOptions'
      && json((r.Properties?.DomainNameServers as string[] | undefined)?.slice(0, env.config.resolvers.addresses.length)) === json(env.config.resolvers.addresses)) },
  ];
}

/** The facts the picture is drawn from, after checking every arrow. */
export function architectureFacts(env: PlatformEnvironment): ArchitectureFacts {
  const failed = checkClaims(env).filter((c) => !c.holds);
  if (failed.length) throw new Error(`the app no longer has what the diagram draws: ${failed.map((c) => c.what).join('; ')}`);
  const config: EnvConfig = env.config;
  const stream = config.tsdb.stream;
  return {
    environment: config.name,
    availabilityZones: config.availabilityZones,
    shards: shardTopology(config),
    resolvers: config.resolvers.addresses.map((address, i) => ({
      name: resolverName(i), az: config.availabilityZones[i % config.availabilityZones.length]!, address,
    })),
    streamShards: stream.mode === 'PROVISIONED' ? `${stream.shardCount} shards` : 'on demand',
    retentionHours: stream.retentionHours,
    domains: { api: env.services.apiEndpoint.domainName, web: env.services.webEndpoint.domainName },
  };
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
/** A node: a bold first line and smaller detail lines (an HTML-like label, escaped). */
function node(id: string, title: string, detail: string[], style: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines = [`<B>${esc(title)}</B>`, ...detail.map((d) => `<FONT POINT-SIZE="10">${esc(d)}</FONT>`)].join('<BR/>');
  return `  ${q(id)} [label=<${lines}> ${style}];`;
}
const edge = (from: string, to: string, label: string, style = '') =>
  `  ${q(from)} -> ${q(to)} [label=${q(label)}${style ? ` ${style}` : ''}];`;

const STYLE = {
  edge: 'shape=box style="rounded,filled" fillcolor="#fdf2e9" color="#c0622d"',
  compute: 'shape=box style="rounded,filled" fillcolor="#eef4fb" color="#3d6a99"',
  store: 'shape=cylinder style=filled fillcolor="#eaf6ee" color="#2e7d4f"',
  redis: 'shape=box style="rounded,filled" fillcolor="#fbeaea" color="#b03a3a"',
  control: 'shape=box style="rounded,filled,dashed" fillcolor="#f5f5f5" color="#666666"',
};

/**
 * The Graphviz source, top to bottom in the order a point travels: ingest, the stream, the writer, the
 * shard VIPs and the route tables that steer them, then the hosts inside their AZs (stacked per AZ, so
 * the picture stays narrow), with DynamoDB, the exporter and S3 beside them.
 */
export function architectureDot(f: ArchitectureFacts): string {
  const red = 'color="#b03a3a" fontcolor="#b03a3a"';
  const out: string[] = [
    'digraph architecture {',
    `  graph [rankdir=TB nodesep=0.25 ranksep=0.4 fontname="Helvetica" fontsize=12 labelloc=t label=<<B>monsaas ${f.environment}: how a metric point flows</B><BR/><FONT POINT-SIZE="9">Generated from the CDK app by scripts/diagram.ts (npm run diagram); every arrow is checked against the synthesized templates.</FONT>>];`,
    // Generous side margins: viewers substitute fonts wider than Graphviz's Helvetica metrics.
    '  node [fontname="Helvetica" fontsize=11 margin="0.2,0.04"];',
    '  edge [fontname="Helvetica" fontsize=9 color="#5b6b7f" fontcolor="#34495e" arrowsize=0.7];',
    node('agents', 'Monitored hosts (agents)', ['post metrics over HTTPS'], STYLE.edge),
    node('users', 'Users', ['graphs, alerts'], STYLE.edge),
    node('nlb', 'NLB, TLS on 443', [f.domains.api, f.domains.web], STYLE.edge),
    node('api', 'ECS Fargate: api, web', ['tasks in every AZ'], STYLE.compute),
    node('stream', 'Kinesis stream', ['write-ahead log', `${f.streamShards}, ${f.retentionHours} h replay`], STYLE.store),
    node('reader', 'reader Lambda', ['Redis, then DynamoDB, then S3'], STYLE.compute),
    node('writer', 'writer Lambda', ['series hash -> shard VIP', 'failed records retried'], STYLE.compute),
    node('flusher', 'flusher Lambda', ['scheduled: idle series'], STYLE.compute),
    node('routes', 'VPC route tables', ['VIP/32 -> master\'s ENI', 'keepalived (VRRP) elects', 'the master; its agent', 'calls ReplaceRoute'], STYLE.control),
    node('table', 'DynamoDB series table', ['windows of N points', 'TTL expires old windows'], STYLE.store),
    node('exporter', 'exporter Lambda', ['TTL deletions, via', 'the table stream'], STYLE.compute),
    node('archive', 'S3 archive', ['Gorilla-compressed'], STYLE.store),
    node('dhcp', 'DHCP options', ['every host resolves', 'through Unbound'], STYLE.control),
    ...f.shards.map((shard) => node(`vip${shard.index}`, `shard ${shard.index} VIP`, [shard.vip], STYLE.redis)),
  ];
  // Hosts inside their AZ, stacked (invisible edges) so three AZs sit side by side.
  f.availabilityZones.forEach((az, i) => {
    const hosts = [
      ...f.shards.flatMap((shard) => shard.nodes.filter((n) => n.availabilityZone === az).map((n) => ({
        id: n.name, text: node(n.name, `shard ${n.shard} node ${n.role}`, [n.role === 'a' ? 'preferred master' : 'standby replica', n.privateIp], STYLE.redis),
      }))),
      ...f.resolvers.filter((r) => r.az === az).map((r) => ({ id: r.name, text: node(r.name, `Unbound ${r.name}`, [r.address], STYLE.compute) })),
    ];
    out.push(`  subgraph ${q(`cluster_az${i}`)} {`, `    label=${q(`AZ ${az}`)} style="rounded,dashed" color="#8a9bb0" fontcolor="#5b6b7f";`);
    out.push(...hosts.map((h) => `  ${h.text}`));
    out.push(...hosts.slice(1).map((h, k) => `    ${q(hosts[k]!.id)} -> ${q(h.id)} [style=invis];`));
    out.push('  }');
  });
  const first = f.shards[0]!;
  out.push(
    '  { rank=same; "agents"; "users"; }',
    '  { rank=same; "stream"; "reader"; }',
    '  { rank=same; "writer"; "flusher"; "dhcp"; }',
    `  { rank=same; "routes"; ${f.shards.map((s) => q(`vip${s.index}`)).join('; ')}; }`,
    edge('agents', 'nlb', 'HTTPS'),
    edge('users', 'nlb', 'HTTPS'),
    edge('nlb', 'api', 'TCP 443'),
    edge('api', 'stream', '1. PutRecords'),
    edge('stream', 'writer', '2. batches'),
    ...f.shards.map((s) => edge('writer', `vip${s.index}`, s.index === 0 ? '3. points' : '')),
    ...f.shards.flatMap((s) => [
      edge(`vip${s.index}`, s.nodes[0].name, s === first ? 'routed to master' : '', red),
      edge(`vip${s.index}`, s.nodes[1].name, s === first ? 'after failover' : '', `style=dashed ${red}`),
    ]),
    edge('routes', `vip${first.index}`, 'steers', `style=dashed ${red}`),
    edge('writer', 'table', '4. full windows'),
    edge('flusher', 'table', '4. idle series'),
    edge('table', 'exporter', '5. TTL expiry'),
    edge('exporter', 'archive', '6. put'),
    edge('api', 'reader', 'queries'),
    edge('reader', 'writer', '', 'style=invis'),
    edge('reader', 'table', 'reads older', 'style=dashed constraint=false'),
    edge('reader', `vip${first.index}`, 'reads newest (every VIP)', 'style=dashed constraint=false'),
    ...f.resolvers.map((r, i) => edge('dhcp', r.name, i === 0 ? 'DNS' : '', 'style=dotted')),
    '}',
  );
  return `${out.join('\n')}\n`;
}

/** Graphviz (dot) to SVG, in-process: the same output on every machine with the same package version. */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}

/** Builds the environment as bin/app.ts would (without bundling Lambda code) and draws it. */
export async function renderArchitectureSvg(): Promise<string> {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
  const { environments: [environment] } = createApp({ appProps: { context: { ...context, 'aws:cdk:bundling-stacks': [], env: ENVIRONMENT } } });
  return renderSvg(architectureDot(architectureFacts(environment!)));
}

if (require.main === module) {
  const { values } = parseCli({
    command: 'npm run diagram --',
    usage: ['[--check]', `(no option)  draws the production environment into ${path.relative(ROOT, DIAGRAM_PATH)}`, '--check      exits 1 when the committed picture is out of date (writes nothing)'],
    options: { check: { type: 'boolean' } },
  });
  void renderArchitectureSvg().then((svg) => {
    if (values.check) {
      const current = fs.existsSync(DIAGRAM_PATH) ? fs.readFileSync(DIAGRAM_PATH, 'utf8') : '';
      if (current !== svg) {
        console.error(`${path.relative(ROOT, DIAGRAM_PATH)} is out of date: run npm run diagram and commit it`);
        process.exit(1);
      }
      console.log(`${path.relative(ROOT, DIAGRAM_PATH)} is up to date`);
    } else {
      fs.mkdirSync(path.dirname(DIAGRAM_PATH), { recursive: true });
      fs.writeFileSync(DIAGRAM_PATH, svg);
      console.log(`wrote ${path.relative(ROOT, DIAGRAM_PATH)}`);
    }
  });
}
