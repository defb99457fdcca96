import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-local';

export interface StoredObject {
  readonly body: Buffer;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * A minimal S3 on 127.0.0.1: path-style PUT stores the body in memory, GET serves it (404 NoSuchKey
 * otherwise). Enough for PutObject/GetObject with `forcePathStyle: true`; tests inspect `objects`.
 */
export async function startS3StandIn(): Promise<{ endpoint: string; clientConfig: object; objects: Map<string, StoredObject>; close: () => Promise<void> }> {
  const objects = new Map<string, StoredObject>();
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        objects.set(path, { body: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(200, { ETag: '"standin"' }).end();
      } else if (req.method === 'GET' && objects.has(path)) {
        const { body } = objects.get(path)!;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
      } else if (req.method === 'GET') {
        res.writeHead(404, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      } else {
        res.writeHead(501).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    objects,
    clientConfig: { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
