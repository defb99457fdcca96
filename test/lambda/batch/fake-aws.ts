import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording stand-in on 127.0.0.1 for the AWS APIs no npm package emulates here (SNS Publish,
 * SQS SendMessage, CloudWatch Logs Insights, SSM GetParameter), plus HTTP endpoints for webhooks and
 * the service-metric API. Tests check what it recorded, not merely that calls resolved.
 */
export interface FakeAws {
  readonly endpoint: string;
  readonly published: { topicArn: string; subject?: string; message: string }[];
  readonly sqsMessages: { queueUrl: string; body: string }[];
  readonly webhooks: { path: string; body: unknown }[];
  readonly metricPosts: { path: string; apiKey?: string; body: unknown }[];
  readonly logQueries: { logGroupName: string; queryString: string; startTime: number; endTime: number }[];
  readonly stoppedQueries: string[];
  /** Parameter name -> value. */
  readonly parameters: Map<string, string>;
  /** What GetQueryResults answers, in order (the last one repeats). */
  queryResults: { status: string; results?: { field: string; value: string }[][] }[];
  close(): Promise<void>;
}

const xml = (res: ServerResponse, status: number, body: string) => { res.writeHead(status, { 'content-type': 'text/xml' }); res.end(body); };
const json = (res: ServerResponse, status: number, body: unknown, type = 'application/x-amz-json-1.1') => {
  res.writeHead(status, { 'content-type': type }); res.end(JSON.stringify(body));
};

export async function startFakeAws(): Promise<FakeAws> {
  const fake: Omit<FakeAws, 'endpoint' | 'close'> = {
    published: [], sqsMessages: [], webhooks: [], metricPosts: [], logQueries: [], stoppedQueries: [], parameters: new Map(), queryResults: [],
  };
  let polls = 0;
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const path = req.url ?? '/';
    if (path.startsWith('/hook/')) {
      fake.webhooks.push({ path, body: JSON.parse(raw || 'null') });
      if (path.startsWith('/hook/fail')) return json(res, 500, { error: 'down' }, 'application/json');
      if (path.startsWith('/hook/slow')) return setTimeout(() => json(res, 200, {}, 'application/json'), 2_000);
      return json(res, 200, { ok: true }, 'application/json');
    }
    if (path.startsWith('/api/v0/services/')) {
      fake.metricPosts.push({ path, apiKey: req.headers['x-api-key'] as string | undefined, body: JSON.parse(raw) });
      return json(res, 200, { success: true }, 'application/json');
    }
    if (target.startsWith('AmazonSQS.')) {
      const body = JSON.parse(raw) as { QueueUrl: string; MessageBody: string };
      fake.sqsMessages.push({ queueUrl: body.QueueUrl, body: body.MessageBody });
      return json(res, 200, { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(body.MessageBody).digest('hex') }, 'application/x-amz-json-1.0');
    }
    if (target === 'AmazonSSM.GetParameter') {
      const { Name } = JSON.parse(raw) as { Name: string };
      const value = fake.parameters.get(Name);
      if (value === undefined) return json(res, 400, { __type: 'ParameterNotFound', message: `${Name} not found` });
      return json(res, 200, { Parameter: { Name, Type: 'SecureString', Value: value, Version: 1 } });
    }
    if (target === 'Logs_20140328.StartQuery') {
      fake.logQueries.push(JSON.parse(raw));
      polls = 0;
      return json(res, 200, { queryId: `q-${fake.logQueries.length}` });
    }
    if (target === 'Logs_20140328.GetQueryResults') {
      const answer = fake.queryResults[Math.min(polls, fake.queryResults.length - 1)] ?? { status: 'Complete', results: [] };
      polls += 1;
      return json(res, 200, { status: answer.status, results: answer.results ?? [], statistics: {} });
    }
    if (target === 'Logs_20140328.StopQuery') {
      fake.stoppedQueries.push((JSON.parse(raw) as { queryId: string }).queryId);
      return json(res, 200, { success: true });
    }
    const form = new URLSearchParams(raw);
    if (form.get('Action') === 'Publish') {
      const topicArn = form.get('TopicArn') ?? '';
      if (topicArn.includes('missing')) {
        return xml(res, 404, '<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>');
      }
      fake.published.push({ topicArn, subject: form.get('Subject') ?? undefined, message: form.get('Message') ?? '' });
      return xml(res, 200, `<PublishResponse><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`);
    }
    json(res, 400, { __type: 'UnknownOperation', message: `fake-aws: nothing handles ${target || form.get('Action') || path}` });
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += String(d); });
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    get queryResults() { return fake.queryResults; },
    set queryResults(v) { fake.queryResults = v; },
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export const LOCAL_AWS = { region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
