import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stack as the stand-in's CloudFormation knows it. */
export interface StandInStack {
  status: string;
  parameters?: Record<string, string>;
  outputs?: Record<string, string>;
  /** Resource drifts DescribeStackResourceDrifts returns once drift detection ran. */
  drifts?: StandInDrift[];
}

export interface StandInDrift {
  logicalId: string;
  type: string;
  status: 'MODIFIED' | 'DELETED' | 'IN_SYNC' | 'NOT_CHECKED';
  /** Property differences: path, expected, actual. */
  differences?: Array<{ path: string; expected: string; actual: string }>;
}

/** What one AWS account holds, as far as preflight and drift detection look. Tests edit it directly. */
export interface AccountState {
  account: string;
  certificates: Record<string, { status: string; domainName: string; sans: string[] }>;
  hostedZones: Record<string, { name: string; private?: boolean }>;
  images: Record<string, { state: string; architecture: string; name: string }>;
  parameters: Record<string, 'String' | 'SecureString' | 'StringList'>;
  secrets: string[];
  /** region -> stack name -> stack */
  stacks: Record<string, Record<string, StandInStack>>;
  availabilityZones: Record<string, string>;
  /** instance type -> AZs offering it */
  offerings: Record<string, string[]>;
  /** "service/quota-code" -> value */
  quotas: Record<string, number>;
  vpcs: number;
  addresses: number;
  natGateways: Array<{ subnetId: string; az: string }>;
  kinesis: { shardLimit: number; openShards: number };
  /** ECR repository -> image tags it holds */
  repositories?: Record<string, string[]>;
  /** "cluster/service" -> the ECS service's counts */
  ecsServices?: Record<string, { status: string; desiredCount: number; runningCount: number }>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const items = (tag: string, rows: string[]) => `<${tag}>${rows.map((r) => `<item>${r}</item>`).join('')}</${tag}>`;
const members = (rows: string[]) => rows.map((r) => `<member>${r}</member>`).join('');

/**
 * A local stand-in for the read-only AWS APIs preflight and drift detection call, on one port: JSON
 * services by X-Amz-Target (ACM, SSM, Secrets Manager, Service Quotas, Kinesis), Query services by
 * Action and Version (EC2's and CloudFormation's XML), Route 53's REST XML by path. The region of a
 * CloudFormation call is read from the request's SigV4 credential scope. Calls are recorded.
 */
export class AwsAccountStandIn {
  readonly calls: string[] = [];
  private server?: http.Server;
  private detections = new Map<string, { region: string; stack: string }>();

  constructor(readonly state: AccountState) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk) => { body += String(chunk); });
    req.on('end', () => {
      const send = (status: number, text: string, type: string) => { res.writeHead(status, { 'content-type': type }); res.end(text); };
      const target = req.headers['x-amz-target'];
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      if (typeof target === 'string') {
        this.calls.push(target);
        const [status, json] = this.json(target, body ? JSON.parse(body) : {});
        return send(status, JSON.stringify(json), 'application/x-amz-json-1.1');
      }
      if ((req.url ?? '').startsWith('/2013-04-01/')) {
        this.calls.push(`route53 ${req.method} ${req.url}`);
        const [status, xml] = this.route53(req.url!);
        return send(status, xml, 'text/xml');
      }
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      this.calls.push(`${params.get('Version') === '2010-05-15' ? 'cloudformation' : 'ec2'}:${action}${region ? `@${region}` : ''}`);
      const [status, xml] = params.get('Version') === '2010-05-15' ? this.cloudFormation(action, params, region) : this.ec2(action, params);
      send(status, `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, 'text/xml');
    });
  }

  private json(target: string, input: Record<string, unknown>): [number, unknown] {
    const s = this.state;
    const notFound = (type: string, message: string): [number, unknown] => [400, { __type: type, message }];
    switch (target) {
      case 'CertificateManager.DescribeCertificate': {
        const cert = s.certificates[String(input.CertificateArn)];
        if (!cert) return notFound('ResourceNotFoundException', `Could not find certificate ${String(input.CertificateArn)}.`);
        return [200, { Certificate: { CertificateArn: input.CertificateArn, Status: cert.status, DomainName: cert.domainName, SubjectAlternativeNames: [cert.domainName, ...cert.sans] } }];
      }
      case 'AmazonSSM.GetParameter': {
        const type = s.parameters[String(input.Name)];
        if (!type) return notFound('ParameterNotFound', '');
        return [200, { Parameter: { Name: input.Name, Type: type, Value: type === 'SecureString' ? 'AQICAH...' : 'value', Version: 1 } }];
      }
      case 'secretsmanager.DescribeSecret':
        return s.secrets.includes(String(input.SecretId)) ? [200, { Name: input.SecretId, ARN: `arn:aws:secretsmanager:x:${s.account}:secret:${String(input.SecretId)}` }] : notFound('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      case 'ServiceQuotasV20190624.GetServiceQuota': {
        const value = s.quotas[`${String(input.ServiceCode)}/${String(input.QuotaCode)}`];
        if (value === undefined) return notFound('NoSuchResourceException', 'quota not found');
        return [200, { Quota: { ServiceCode: input.ServiceCode, QuotaCode: input.QuotaCode, Value: value } }];
      }
      case 'AmazonEC2ContainerRegistry_V20150921.DescribeImages': {
        const tags = s.repositories?.[String(input.repositoryName)];
        if (!tags) return notFound('RepositoryNotFoundException', `The repository with name '${String(input.repositoryName)}' does not exist`);
        const wanted = ((input.imageIds ?? []) as Array<{ imageTag?: string }>).map((i) => i.imageTag ?? '');
        const missing = wanted.find((tag) => !tags.includes(tag));
        if (missing !== undefined) return notFound('ImageNotFoundException', `The image with imageId {imageTag:'${missing}'} does not exist within the repository`);
        return [200, { imageDetails: wanted.map((tag) => ({ repositoryName: input.repositoryName, imageTags: [tag], imageDigest: 'sha256:0' })) }];
      }
      case 'AmazonEC2ContainerServiceV20141113.DescribeServices': {
        const names = (input.services ?? []) as string[];
        const found = names.filter((n) => s.ecsServices?.[`${String(input.cluster)}/${n}`]);
        return [200, {
          services: found.map((n) => ({ serviceName: n, ...s.ecsServices![`${String(input.cluster)}/${n}`] })),
          failures: names.filter((n) => !found.includes(n)).map((n) => ({ arn: `arn:aws:ecs:x:${s.account}:service/${String(input.cluster)}/${n}`, reason: 'MISSING' })),
        }];
      }
      case 'Kinesis_20131202.DescribeLimits':
        return [200, { ShardLimit: s.kinesis.shardLimit, OpenShardCount: s.kinesis.openShards, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 }];
      default:
        return [400, { __type: 'UnknownOperationException', message: target }];
    }
  }

  private route53(url: string): [number, string] {
    const id = /^\/2013-04-01\/hostedzone\/([^/?]+)/.exec(url)?.[1] ?? '';
    const zone = this.state.hostedZones[id];
    if (!zone) return [404, `<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: ${esc(id)}</Message></Error><RequestId>r</RequestId></ErrorResponse>`];
    return [200, `<?xml version="1.0"?>\n<GetHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZone><Id>/hostedzone/${id}</Id><Name>${zone.name}.</Name><CallerReference>ref</CallerReference><Config><PrivateZone>${zone.private ? 'true' : 'false'}</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone><DelegationSet><NameServers><NameServer>ns-1.awsdns-00.com</NameServer></NameServers></DelegationSet></GetHostedZoneResponse>`];
  }

  private ec2(action: string, params: URLSearchParams): [number, string] {
    const s = this.state;
    const response = (inner: string) => [200, `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>${inner}</${action}Response>`] as [number, string];
    const list = (prefix: string) => [...params].filter(([k]) => new RegExp(`^${prefix}\\.\\d+$`).test(k)).map(([, v]) => v);
    const filter = (name: string) => {
      const index = [...params].find(([k, v]) => /^Filter\.\d+\.Name$/.test(k) && v === name)?.[0].split('.')[1];
      return index ? list(`Filter\\.${index}\\.Value`) : undefined;
    };
    switch (action) {
      case 'DescribeImages': {
        const found = list('ImageId').filter((id) => s.images[id]).map((id) => `<imageId>${id}</imageId><imageState>${s.images[id]!.state}</imageState><architecture>${s.images[id]!.architecture}</architecture><name>${s.images[id]!.name}</name>`);
        if (found.length === 0) return [400, `<Response><Errors><Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[${list('ImageId').join(',')}]' does not exist</Message></Error></Errors><RequestID>r</RequestID></Response>`];
        return response(items('imagesSet', found));
      }
      case 'DescribeAvailabilityZones':
        return response(items('availabilityZoneInfo', Object.entries(s.availabilityZones).map(([name, state]) => `<zoneName>${name}</zoneName><zoneState>${state}</zoneState>`)));
      case 'DescribeInstanceTypeOfferings': {
        const types = filter('instance-type') ?? Object.keys(s.offerings);
        const locations = filter('location');
        const rows = types.flatMap((type) => (s.offerings[type] ?? []).filter((az) => !locations || locations.includes(az))
          .map((az) => `<instanceType>${type}</instanceType><locationType>availability-zone</locationType><location>${az}</location>`));
        return response(items('instanceTypeOfferingSet', rows));
      }
      case 'DescribeVpcs':
        return response(items('vpcSet', Array.from({ length: s.vpcs }, (_, i) => `<vpcId>vpc-${i}</vpcId>`)));
      case 'DescribeAddresses':
        return response(items('addressesSet', Array.from({ length: s.addresses }, (_, i) => `<publicIp>198.51.100.${i}</publicIp>`)));
      case 'DescribeNatGateways':
        return response(items('natGatewaySet', s.natGateways.map((n, i) => `<natGatewayId>nat-${i}</natGatewayId><subnetId>${n.subnetId}</subnetId><state>available</state>`)));
      case 'DescribeSubnets': {
        const ids = list('SubnetId');
        return response(items('subnetSet', s.natGateways.filter((n) => ids.includes(n.subnetId)).map((n) => `<subnetId>${n.subnetId}</subnetId><availabilityZone>${n.az}</availabilityZone>`)));
      }
      default:
        return [400, `<Response><Errors><Error><Code>InvalidAction</Code><Message>${esc(action)}</Message></Error></Errors><RequestID>r</RequestID></Response>`];
    }
  }

  private cloudFormation(action: string, params: URLSearchParams, region: string): [number, string] {
    const ns = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
    const ok = (result: string) => [200, `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`] as [number, string];
    const error = (message: string) => [400, `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${esc(message)}</Message></Error><RequestId>r</RequestId></ErrorResponse>`] as [number, string];
    const stacks = this.state.stacks[region] ?? {};
    const name = params.get('StackName') ?? '';
    const stack = stacks[name];
    switch (action) {
      case 'DescribeStacks': {
        if (!stack) return error(`Stack with id ${name} does not exist`);
        const kv = (rows: Record<string, string> | undefined, k: string, v: string) => members(Object.entries(rows ?? {}).map(([key, value]) => `<${k}>${esc(key)}</${k}><${v}>${esc(value)}</${v}>`));
        return ok(`<Stacks><member><StackId>arn:aws:cloudformation:${region}:${this.state.account}:stack/${name}/0f0e0d0c</StackId><StackName>${name}</StackName><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>${stack.status}</StackStatus><Parameters>${kv(stack.parameters, 'ParameterKey', 'ParameterValue')}</Parameters><Outputs>${kv(stack.outputs, 'OutputKey', 'OutputValue')}</Outputs></member></Stacks>`);
      }
      case 'DetectStackDrift': {
        if (!stack) return error(`Stack [${name}] does not exist`);
        const id = `detection-${this.detections.size}`;
        this.detections.set(id, { region, stack: name });
        return ok(`<StackDriftDetectionId>${id}</StackDriftDetectionId>`);
      }
      case 'DescribeStackDriftDetectionStatus': {
        const detection = this.detections.get(params.get('StackDriftDetectionId') ?? '');
        if (!detection) return error('detection not found');
        const drifted = (this.state.stacks[detection.region]?.[detection.stack]?.drifts ?? []).some((d) => d.status === 'MODIFIED' || d.status === 'DELETED');
        return ok(`<StackId>arn:aws:cloudformation:${detection.region}:${this.state.account}:stack/${detection.stack}/0f0e0d0c</StackId><StackDriftDetectionId>${params.get('StackDriftDetectionId')}</StackDriftDetectionId><StackDriftStatus>${drifted ? 'DRIFTED' : 'IN_SYNC'}</StackDriftStatus><DetectionStatus>DETECTION_COMPLETE</DetectionStatus><Timestamp>2026-01-01T00:00:00Z</Timestamp>`);
      }
      case 'DescribeStackResourceDrifts': {
        if (!stack) return error(`Stack [${name}] does not exist`);
        const wanted = [...params].filter(([k]) => /^StackResourceDriftStatusFilters\.member\.\d+$/.test(k)).map(([, v]) => v);
        const rows = (stack.drifts ?? []).filter((d) => wanted.length === 0 || wanted.includes(d.status)).map((d) => `<StackId>x</StackId><LogicalResourceId>${d.logicalId}</LogicalResourceId><PhysicalResourceId>p-${d.logicalId}</PhysicalResourceId><ResourceType>${d.type}</ResourceType><StackResourceDriftStatus>${d.status}</StackResourceDriftStatus><Timestamp>2026-01-01T00:00:00Z</Timestamp><PropertyDifferences>${members((d.differences ?? []).map((p) => `<PropertyPath>${esc(p.path)}</PropertyPath><ExpectedValue>${esc(p.expected)}</ExpectedValue><ActualValue>${esc(p.actual)}</ActualValue><DifferenceType>NOT_EQUAL</DifferenceType>`))}</PropertyDifferences>`);
        return ok(`<StackResourceDrifts>${members(rows)}</StackResourceDrifts>`);
      }
      default:
        return error(`unsupported action ${action}`);
    }
  }
}
