import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as path from 'node:path';
import type { AgentConfig } from '../../hosts/failover-agent/config';
import { renderCheckScript } from '../../lib/host-config/redis/check-script';
import { renderKeepalivedConf } from '../../lib/host-config/redis/keepalived-conf';
import { renderRedisConf } from '../../lib/host-config/redis/redis-conf';

export interface PairNodeOptions {
  readonly name: 'a' | 'b';
  readonly namespace: string;
  readonly dir: string;
  readonly ip: string;
  readonly peerIp: string;
  readonly interface: string;
  readonly priority: number;
  readonly vip: string;
  readonly advertIntervalMs: number;
  readonly password: string;
  readonly port: number;
  readonly agentBundle: string;
  readonly agentConfig: Omit<AgentConfig, 'nodeName' | 'peerIp' | 'redis' | 'notifyFifo'>;
}

/** Last state the agent logged from keepalived, with when it was seen. */
export interface ObservedState { state: string; at: number }

/**
 * One drill node in its namespace: real redis-server, real keepalived and the real (bundled) failover
 * agent, configured by the same renderers as the hosts (paths and interface differ).
 */
export class PairNode {
  redis?: ChildProcess;
  keepalived?: ChildProcess;
  agent?: ChildProcess;
  readonly log: string[] = [];
  keepalivedState: ObservedState = { state: 'UNKNOWN', at: 0 };
  private agentStarted = false;
  private readonly files: Record<string, string>;

  constructor(readonly options: PairNodeOptions) {
    const d = path.join(options.dir, options.name);
    fs.mkdirSync(path.join(d, 'data'), { recursive: true, mode: 0o700 });
    this.files = {
      dir: d,
      redisConf: path.join(d, 'redis.conf'),
      authConf: path.join(d, 'auth.conf'),
      password: path.join(d, 'password'),
      keepalivedConf: path.join(d, 'keepalived.conf'),
      check: path.join(d, 'check-redis'),
      fifo: path.join(d, 'keepalived.fifo'),
      agentConfig: path.join(d, 'agent.json'),
      pid: path.join(d, 'keepalived.pid'),
      vrrpPid: path.join(d, 'vrrp.pid'),
    };
    const f = this.files;
    fs.writeFileSync(f.password!, options.password, { mode: 0o600 });
    fs.writeFileSync(f.authConf!, `requirepass "${options.password}"\nmasterauth "${options.password}"\n`, { mode: 0o600 });
    fs.writeFileSync(f.redisConf!, renderRedisConf({
      bind: ['0.0.0.0'], port: options.port, dataDir: path.join(d, 'data'), authInclude: f.authConf!,
      maxmemory: { bytes: 256 * 1024 * 1024 }, maxmemoryPolicy: 'noeviction', logFile: '',
    }));
    fs.writeFileSync(f.check!, renderCheckScript({ redisCli: 'redis-cli', port: options.port, passwordFile: f.password! }), { mode: 0o755 });
    fs.writeFileSync(f.keepalivedConf!, renderKeepalivedConf({
      routerId: `drill-${options.name}`, instanceName: 'shard_0', interface: options.interface, virtualRouterId: 51,
      priority: options.priority, advertIntervalMs: options.advertIntervalMs, srcIp: options.ip, peerIp: options.peerIp,
      vip: options.vip, checkScript: f.check!, notifyFifo: f.fifo!,
    }));
    const agentConfig: AgentConfig = {
      ...options.agentConfig, nodeName: `drill-${options.name}`, peerIp: options.peerIp,
      redis: { host: '127.0.0.1', port: options.port, passwordFile: f.password! }, notifyFifo: f.fifo!,
    };
    fs.writeFileSync(f.agentConfig!, JSON.stringify(agentConfig, null, 2));
  }

  private spawnIn(label: string, cmd: string, args: string[]): ChildProcess {
    // The agent signs its EC2 calls: the stand-in accepts any credentials, so it gets dummy ones.
    // The drill reads the agent's INFO logs (state changes): never inherit a quieter level.
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'drill', AWS_SECRET_ACCESS_KEY: 'drill', AWS_EC2_METADATA_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'INFO' };
    const child = spawn('ip', ['netns', 'exec', this.options.namespace, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    // Whole lines only: a chunk can end mid-line (more often under load), and a half JSON line is lost.
    const keep = (line: string) => {
      if (!line) return;
      this.log.push(`${new Date().toISOString()} ${label}: ${line}`);
      if (label === 'agent') this.observe(line);
      if (this.log.length > 4000) this.log.splice(0, 1000);
    };
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', keep);
    }
    return child;
  }

  private observe(line: string): void {
    try {
      const entry = JSON.parse(line) as { message?: string; state?: string };
      if (entry.message === 'keepalived state' && entry.state) this.keepalivedState = { state: entry.state, at: Date.now() };
      if (entry.message === 'failover agent started') this.agentStarted = true;
    } catch { /* not JSON */ }
  }

  /** Resolves once the agent follows the notify FIFO (as on a host, where systemd starts it before keepalived). */
  async agentReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.agentStarted) {
      if (Date.now() > deadline) throw new Error(`${this.options.name}: the failover agent did not start within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  startRedis(): void { this.redis = this.spawnIn('redis', 'redis-server', [this.files.redisConf!]); }
  startAgent(): void { this.agentStarted = false; this.agent = this.spawnIn('agent', process.execPath, ['--enable-source-maps', this.options.agentBundle, this.files.agentConfig!]); }
  startKeepalived(): void {
    const f = this.files;
    this.keepalived = this.spawnIn('keepalived', 'keepalived', ['-n', '-l', '-D', '-f', f.keepalivedConf!, '-p', f.pid!, '-r', f.vrrpPid!]);
  }

  /** Redis, then the agent, then keepalived once the agent listens: no state change is missed. */
  async startAll(): Promise<void> {
    this.startRedis();
    this.startAgent();
    await this.agentReady();
    this.startKeepalived();
  }

  /**
   * keepalived's VRRP child and parent (kill -9 of "keepalived" means both, as on a host). The child
   * comes first: killed after its parent, it would notice and resign cleanly (priority 0), which is
   * the fast clean-stop case, not the crash this drill is about.
   */
  keepalivedPids(): number[] {
    return [this.files.vrrpPid!, this.files.pid!].flatMap((file) => {
      try { return [Number(fs.readFileSync(file, 'utf8').trim())].filter((n) => n > 0); } catch { return []; }
    });
  }

  signalKeepalived(signal: NodeJS.Signals): void {
    for (const pid of this.keepalivedPids()) { try { process.kill(pid, signal); } catch { /* gone */ } }
  }

  signalAll(signal: NodeJS.Signals): void {
    this.signalKeepalived(signal);
    for (const child of [this.redis, this.agent]) { if (child?.pid && child.exitCode === null) { try { process.kill(child.pid, signal); } catch { /* gone */ } } }
  }

  async stopAll(): Promise<void> {
    this.signalAll('SIGCONT');
    this.signalKeepalived('SIGKILL');
    for (const child of [this.keepalived, this.agent, this.redis]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      }
    }
  }
}
