/**
 * Draws docs/architecture.svg from the app itself (offline, deterministic):
 *   npm run diagram            writes the picture
 *   npm run diagram -- --check exits 1 when the committed picture is out of date
 * The production environment is built through createApp exactly as bin/app.ts does (bundling
 * skipped), its construct tree is walked, and each stack becomes a box listing its main resources.
 * Arrows are the references between stacks found in the resources' properties (a function reading the
 * stream, a service in the VPC, an alarm on a table), labelled with what is referenced.
 */
import {
  CfnResource, DefaultTokenResolver, Reference, Stack, StringConcat, Tokenization,
  type IPostProcessor, type IResolvable, type IResolveContext,
} from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../lib/create-app';

const ROOT = path.resolve(__dirname, '..');
export const DIAGRAM_PATH = path.join(ROOT, 'docs', 'architecture.svg');
const ENVIRONMENT = 'production';

/** Resource types worth naming in a box, with the words a reader knows them by. Others are counted. */
const MAIN_RESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['AWS::EC2::VPC', 'VPC'],
  ['AWS::EC2::Subnet', 'subnet'],
  ['AWS::EC2::NatGateway', 'NAT gateway'],
  ['AWS::EC2::VPCEndpoint', 'VPC endpoint'],
  ['AWS::EC2::SecurityGroup', 'security group'],
  ['AWS::EC2::FlowLog', 'flow log'],
  ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'load balancer (NLB)'],
  ['AWS::ElasticLoadBalancingV2::Listener', 'listener'],
  ['AWS::ECS::Cluster', 'ECS cluster'],
  ['AWS::ECS::Service', 'ECS service'],
  ['AWS::ECS::TaskDefinition', 'task definition'],
  ['AWS::RDS::DBInstance', 'RDS instance'],
  ['AWS::RDS::DBCluster', 'RDS cluster'],
  ['AWS::EC2::Instance', 'EC2 instance'],
  ['AWS::AutoScaling::AutoScalingGroup', 'auto scaling group'],
  ['AWS::EC2::LaunchTemplate', 'launch template'],
  ['AWS::EC2::NetworkInterface', 'network interface'],
  ['AWS::Kinesis::Stream', 'Kinesis stream'],
  ['AWS::DynamoDB::GlobalTable', 'DynamoDB table'],
  ['AWS::DynamoDB::Table', 'DynamoDB table'],
  ['AWS::S3::Bucket', 'S3 bucket'],
  ['AWS::KMS::Key', 'KMS key'],
  ['AWS::Lambda::Function', 'Lambda function'],
  ['AWS::Lambda::EventSourceMapping', 'event source mapping'],
  ['AWS::Events::Rule', 'EventBridge rule'],
  ['AWS::Scheduler::Schedule', 'EventBridge schedule'],
  ['AWS::SecretsManager::Secret', 'secret'],
  ['AWS::SSM::Parameter', 'SSM parameter'],
  ['AWS::Route53::RecordSet', 'DNS record'],
  ['AWS::Route53::HealthCheck', 'Route 53 health check'],
  ['AWS::SNS::Topic', 'SNS topic'],
  ['AWS::SNS::Subscription', 'subscription'],
  ['AWS::CloudWatch::Alarm', 'alarm'],
  ['AWS::CloudWatch::CompositeAlarm', 'composite alarm'],
  ['AWS::CloudWatch::Dashboard', 'dashboard'],
  ['AWS::Logs::LogGroup', 'log group'],
  ['AWS::Logs::MetricFilter', 'metric filter'],
  ['AWS::IAM::OIDCProvider', 'OIDC provider'],
  ['AWS::IAM::Role', 'IAM role'],
];
const LABELS = new Map(MAIN_RESOURCES);
const ORDER = new Map(MAIN_RESOURCES.map(([type], i) => [type, i]));

export interface StackSummary {
  readonly name: string;
  readonly part: string;
  readonly description: string;
  /** Main resources as "label × count", in a fixed order. */
  readonly resources: string[];
  /** Supporting resources (policies, routes, permissions, ...) not listed by name. */
  readonly others: number;
}

export interface StackEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface ArchitectureModel {
  readonly environment: string;
  readonly stacks: StackSummary[];
  readonly edges: StackEdge[];
}

function plural(label: string, count: number): string {
  return count === 1 ? label : `${count} ${label.endsWith('s') ? label : `${label}s`}`;
}

/** Resolves a value with the CDK's own resolver, noting every reference to another resource on the way. */
class ReferenceRecorder extends DefaultTokenResolver {
  readonly found: Reference[] = [];
  constructor() {
    super(new StringConcat());
  }
  override resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (token instanceof Reference) {
      this.found.push(token);
      return 'REF';
    }
    return super.resolveToken(token, context, postProcessor);
  }
}

function referencesOf(resource: CfnResource): Reference[] {
  const recorder = new ReferenceRecorder();
  try {
    // The resource as CloudFormation would see it, tokens still unresolved (so references keep their target).
    const cfn = (resource as unknown as { _toCloudFormation(): unknown })._toCloudFormation();
    Tokenization.resolve(cfn, { scope: resource, resolver: recorder, preparing: false });
  } catch {
    // A resource that cannot be resolved outside synthesis simply contributes no arrows.
  }
  return recorder.found;
}

/** Reads the model (stacks, main resources, references between stacks) from a built app. */
export function architectureModel(stacks: readonly Stack[], environment: string): ArchitectureModel {
  const names = new Set(stacks.map((s) => s.stackName));
  const edgeLabels = new Map<string, Set<string>>();
  const summaries = stacks.map((stack) => {
    const counts = new Map<string, number>();
    let others = 0;
    for (const child of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || Stack.of(child) !== stack) continue;
      const type = child.cfnResourceType;
      if (LABELS.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
      else if (type !== 'AWS::CDK::Metadata') others += 1;
      for (const ref of referencesOf(child)) {
        const target = Stack.of(ref.target);
        if (target === stack || !names.has(target.stackName)) continue;
        const key = `${stack.stackName}\u0000${target.stackName}`;
        const label = CfnResource.isCfnResource(ref.target) ? LABELS.get(ref.target.cfnResourceType) : undefined;
        const set = edgeLabels.get(key) ?? new Set<string>();
        if (label) set.add(label);
        edgeLabels.set(key, set);
      }
    }
    for (const dependency of stack.dependencies) {
      const key = `${stack.stackName}\u0000${dependency.stackName}`;
      if (names.has(dependency.stackName) && !edgeLabels.has(key)) edgeLabels.set(key, new Set());
    }
    const resources = [...counts.entries()]
      .sort(([a], [b]) => ORDER.get(a)! - ORDER.get(b)!)
      .map(([type, count]) => plural(LABELS.get(type)!, count));
    const part = stack.stackName.split('-').slice(2).join('-');
    return { name: stack.stackName, part, description: stack.templateOptions.description ?? '', resources, others };
  });
  const edges = [...edgeLabels.entries()]
    .map(([key, labels]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from, to, label: [...labels].sort().slice(0, 3).join(', ') };
    })
    .sort((a, b) => (a.from + a.to).localeCompare(b.from + b.to));
  return { environment, stacks: summaries, edges };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const BOX_W = 300;
const GAP_X = 110;
const GAP_Y = 90;
const LINE = 16;
const COLUMNS = 3;
const MAX_LINES = 9;

/** Lays the stacks out in rows of three, in the environment's build order, and draws the references. */
export function renderSvg(model: ArchitectureModel): string {
  const heights = model.stacks.map((s) => 56 + LINE * (Math.min(s.resources.length, MAX_LINES) + (s.others || s.resources.length > MAX_LINES ? 1 : 0)) + 10);
  const rows = Math.ceil(model.stacks.length / COLUMNS);
  const rowHeight = Array.from({ length: rows }, (_, r) => Math.max(...heights.slice(r * COLUMNS, r * COLUMNS + COLUMNS)));
  const top = 70;
  const rowY = rowHeight.map((_, r) => top + rowHeight.slice(0, r).reduce((a, b) => a + b + GAP_Y, 0));
  const width = 40 + COLUMNS * BOX_W + (COLUMNS - 1) * GAP_X + 40;
  const height = (rowY[rows - 1] ?? top) + (rowHeight[rows - 1] ?? 0) + 60;
  const box = new Map<string, { x: number; y: number; h: number }>();
  model.stacks.forEach((s, i) => {
    box.set(s.name, { x: 40 + (i % COLUMNS) * (BOX_W + GAP_X), y: rowY[Math.floor(i / COLUMNS)]!, h: heights[i]! });
  });

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6b7f"/></marker></defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="40" y="32" font-size="20" font-weight="bold" fill="#1f2d3d">monsaas: stacks of one environment (${esc(model.environment)})</text>`,
    `<text x="40" y="52" font-size="12" fill="#5b6b7f">Generated from the CDK app by scripts/diagram.ts (npm run diagram). Arrows: a stack uses something another stack owns.</text>`,
  ];
  // Edges first, under the boxes: from the border of one box to the border of the other.
  for (const edge of model.edges) {
    const a = box.get(edge.from)!;
    const b = box.get(edge.to)!;
    const [ax, ay] = [a.x + BOX_W / 2, a.y + a.h / 2];
    const [bx, by] = [b.x + BOX_W / 2, b.y + b.h / 2];
    const clip = (cx: number, cy: number, h: number, dx: number, dy: number): [number, number] => {
      const t = Math.min(dx === 0 ? Infinity : BOX_W / 2 / Math.abs(dx), dy === 0 ? Infinity : h / 2 / Math.abs(dy));
      return [cx + dx * t, cy + dy * t];
    };
    const [x1, y1] = clip(ax, ay, a.h, bx - ax, by - ay);
    const [x2, y2] = clip(bx, by, b.h, ax - bx, ay - by);
    const f = (n: number) => n.toFixed(1);
    out.push(`<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="#5b6b7f" stroke-width="1.4" marker-end="url(#arrow)"/>`);
    if (edge.label) {
      const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
      out.push(`<text x="${f(mx)}" y="${f(my - 4)}" font-size="10" fill="#34495e" text-anchor="middle" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(edge.label)}</text>`);
    }
  }
  for (const stack of model.stacks) {
    const { x, y, h } = box.get(stack.name)!;
    out.push(`<g><rect x="${x}" y="${y}" width="${BOX_W}" height="${h}" rx="8" fill="#eef4fb" stroke="#3d6a99" stroke-width="1.5"/>`);
    out.push(`<text x="${x + 12}" y="${y + 22}" font-size="15" font-weight="bold" fill="#1f2d3d">${esc(stack.part)}</text>`);
    out.push(`<text x="${x + 12}" y="${y + 40}" font-size="10" fill="#5b6b7f">${esc(truncate(stack.description, 52))}</text>`);
    const lines = stack.resources.slice(0, MAX_LINES);
    const hidden = stack.resources.length - lines.length;
    lines.forEach((line, i) => out.push(`<text x="${x + 16}" y="${y + 60 + i * LINE}" font-size="12" fill="#1f2d3d">• ${esc(line)}</text>`));
    const extra = hidden + stack.others;
    if (extra > 0) {
      out.push(`<text x="${x + 16}" y="${y + 60 + lines.length * LINE}" font-size="11" fill="#5b6b7f">+ ${extra} supporting resource${extra === 1 ? '' : 's'}</text>`);
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Builds the environment as bin/app.ts would (without bundling Lambda code) and draws it. */
export function renderArchitectureSvg(): string {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
  const { app, environments: [environment] } = createApp({ appProps: { context: { ...context, 'aws:cdk:bundling-stacks': [], env: ENVIRONMENT } } });
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c)).filter((s) => s.stackName.startsWith(`monsaas-${environment!.config.name}-`));
  return renderSvg(architectureModel(stacks, environment!.config.name));
}

if (require.main === module) {
  const svg = renderArchitectureSvg();
  if (process.argv.includes('--check')) {
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
}
