import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort, spawnServer, stopProcess, waitForPort } from '../../../support/processes';

const run = promisify(execFile);

/** A local authoritative server (nsd) for one zone on 127.0.0.1:port. */
export interface LocalNsd {
  readonly port: number;
  readonly child: ChildProcess;
  /** Rewrites the zone file and reloads it (SIGHUP). */
  setZone(records: string): void;
  output(): string;
}

export function zoneFile(origin: string, negativeTtlS: number, records: string): string {
  return [
    `$ORIGIN ${origin}.`,
    `$TTL ${negativeTtlS}`,
    `@ IN SOA ns.${origin}. hostmaster.${origin}. ${Math.floor(Date.now() / 1000)} 3600 600 86400 ${negativeTtlS}`,
    `@ IN NS ns.${origin}.`,
    'ns IN A 127.0.0.1',
    records,
    '',
  ].join('\n');
}

export async function startNsd(dir: string, origin: string, negativeTtlS: number, records: string): Promise<LocalNsd> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const zonePath = path.join(dir, `${origin}.zone`);
  fs.writeFileSync(zonePath, zoneFile(origin, negativeTtlS, records));
  const conf = path.join(dir, 'nsd.conf');
  fs.writeFileSync(conf, [
    'server:',
    '  ip-address: 127.0.0.1',
    `  port: ${port}`,
    '  server-count: 1',
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${dir}"`,
    '  database: ""',
    `  pidfile: "${dir}/nsd.pid"`,
    `  xfrdfile: "${dir}/xfrd.state"`,
    `  zonelistfile: "${dir}/zone.list"`,
    `  xfrdir: "${dir}"`,
    '  verbosity: 1',
    'remote-control:',
    '  control-enable: no',
    'zone:',
    `  name: ${origin}`,
    `  zonefile: ${zonePath}`,
    '',
  ].join('\n'));
  const server = spawnServer('nsd', ['-d', '-c', conf]);
  await waitForPort(port).catch((error: Error) => { throw new Error(`${error.message}\n${server.output()}`); });
  return {
    port,
    child: server.child,
    output: server.output,
    setZone(newRecords) {
      fs.writeFileSync(zonePath, zoneFile(origin, negativeTtlS, newRecords));
      server.child.kill('SIGHUP');
    },
  };
}

export async function stopAll(children: Array<ChildProcess | undefined>): Promise<void> {
  await Promise.all(children.map((child) => stopProcess(child)));
}

export interface DigAnswer {
  readonly status: string;
  /** Answer section: "name ttl class type data" lines. */
  readonly answers: string[];
  /** TTL of the SOA record in the authority section (the negative-caching TTL), if any. */
  readonly soaTtl?: number;
}

/** One query with dig from a chosen source address (so access control can be exercised on loopback). */
export async function dig(server: { port: number }, name: string, options: { source?: string; type?: string } = {}): Promise<DigAnswer> {
  const { stdout } = await run('dig', [
    '@127.0.0.1', '-p', String(server.port), '-b', options.source ?? '127.0.0.1',
    '+tries=1', '+time=3', '+nocmd', '+noall', '+comments', '+answer', '+authority', name, options.type ?? 'A',
  ]);
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? `no status in: ${stdout}`;
  // +comments labels the sections (";; ANSWER SECTION:", ";; AUTHORITY SECTION:").
  const sections: Record<string, string[]> = {};
  let current = '';
  for (const line of stdout.split('\n')) {
    const header = /^;; ([A-Z]+) SECTION:/.exec(line);
    if (header) current = header[1]!;
    else if (line && !line.startsWith(';')) (sections[current] ??= []).push(line.split(/\s+/).join(' '));
  }
  const soa = (sections.AUTHORITY ?? []).find((l) => l.split(' ')[3] === 'SOA');
  return { status, answers: sections.ANSWER ?? [], soaTtl: soa ? Number(soa.split(' ')[1]) : undefined };
}

/** Polls `probe` until it returns true (readiness, not a timing assertion). */
export async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * What the rendered unbound settings change to run as this user out of `dir`: one thread, no chroot
 * user, control socket, pid and log files in `dir`, and queries to local authoritative servers allowed.
 */
export function localRunSettings(dir: string) {
  return {
    threads: 1,
    controlSocket: path.join(dir, 'control.sock'),
    username: '',
    directory: dir,
    pidFile: path.join(dir, 'unbound.pid'),
    logFile: path.join(dir, 'unbound.log'),
    queryLocalhost: true,
  } as const;
}
