import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as path from 'node:path';
import type { AgentConfig } from '../../hosts/failover-agent/config';
import { renderCheckScript } from '../../lib/host-config/redis/check-script';
import { renderKeepalivedConf } from '../../lib/host-config/redis/keepalived-conf';
import { renderRedisConf } from '../../lib/host-config/redis/redis-conf';
import { renderSwitchoverScript } from '../../lib/host-config/redis/switchover-script';

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
  readonly agentConfig: Pick<AgentConfig, 'shard' | 'vip' | 'region' | 'routeTableIds' | 'reconcileIntervalMs' | 'ec2Endpoint' | 'imdsEndpoint'>;
}

/** The pid in `file` names a live (not zombie) process. */
function livePid(file: string): boolean {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch { return false; }
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
  /** Every agent log entry (parsed), for the scenarios' assertions. */
  readonly agentEvents: Array<{ at: number; message: string; entry: Record<string, unknown> }> = [];
  keepalivedState: ObservedState = { state: 'UNKNOWN', at: 0 };
  private agentStarted = false;
  readonly files: Record<string, string>;

  constructor(readonly options: PairNodeOptions) {
    const d = path.join(options.dir, options.name);
    fs.mkdirSync(path.join(d, 'data'), { recursive: true, mode: 0o700 });
    this.files = {
      dir: d,
      data: path.join(d, 'data'),
      redisConf: path.join(d, 'redis.conf'),
      authConf: path.join(d, 'auth.conf'),
      password: path.join(d, 'password'),
      keepalivedConf: path.join(d, 'keepalived.conf'),
      check: path.join(d, 'check-redis'),
      switchover: path.join(d, 'redis-switchover'),
      fifo: path.join(d, 'keepalived.fifo'),
      agentConfig: path.join(d, 'agent.json'),
      eligible: path.join(d, 'redis-eligible'),
      history: path.join(d, 'replication-history.json'),
      pid: path.join(d, 'keepalived.pid'),
      vrrpPid: path.join(d, 'vrrp.pid'),
    };
    const f = this.files;
    fs.writeFileSync(f.password!, options.password, { mode: 0o600 });
    fs.writeFileSync(f.authConf!, `requirepass "${options.password}"\nmasterauth "${options.password}"\n`, { mode: 0o600 });
    fs.writeFileSync(f.redisConf!, renderRedisConf({
      bind: ['0.0.0.0'], port: options.port, dataDir: f.data!, authInclude: f.authConf!,
      maxmemory: { bytes: 256 * 1024 * 1024 }, maxmemoryPolicy: 'noeviction', logFile: '',
    }));
    fs.writeFileSync(f.check!, renderCheckScript({ redisCli: 'redis-cli', port: options.port, passwordFile: f.password!, eligibilityFile: f.eligible! }), { mode: 0o755 });
    // The drill's keepalived is a child of the drill: the script stops it, the drill starts it again.
    fs.writeFileSync(f.switchover!, renderSwitchoverScript({
      redisCli: 'redis-cli', port: options.port, passwordFile: f.password!, vip: options.vip,
      stopKeepalived: `kill -TERM "$(cat ${f.pid})"`, startKeepalived: 'true', timeoutS: 15,
    }), { mode: 0o755 });
    fs.writeFileSync(f.keepalivedConf!, renderKeepalivedConf({
      routerId: `drill-${options.name}`, instanceName: 'shard_0', interface: options.interface, virtualRouterId: 51,
      priority: options.priority, advertIntervalMs: options.advertIntervalMs, srcIp: options.ip, peerIp: options.peerIp,
      vip: options.vip, checkScript: f.check!, notifyFifo: f.fifo!,
    }));
    const agentConfig: AgentConfig = {
      ...options.agentConfig, nodeName: `drill-${options.name}`, environment: 'drill', nodeRole: options.name,
      preferred: options.name === 'a', peerIp: options.peerIp,
      redis: { host: '127.0.0.1', port: options.port, passwordFile: f.password! }, notifyFifo: f.fifo!,
      keepalivedPidFile: f.vrrpPid!, interface: options.interface, eligibilityFile: f.eligible!, historyFile: f.history!,
      metricsNamespace: 'MonSaaS/Hosts',
    };
    fs.writeFileSync(f.agentConfig!, JSON.stringify(agentConfig, null, 2));
  }

  get name(): 'a' | 'b' { return this.options.name; }

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
      if (this.log.length > 6000) this.log.splice(0, 1000);
    };
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', keep);
    }
    return child;
  }

  private observe(line: string): void {
    try {
      const entry = JSON.parse(line) as Record<string, unknown> & { message?: string; state?: string };
      if (!entry.message) return;
      this.agentEvents.push({ at: Date.now(), message: entry.message, entry });
      if (this.agentEvents.length > 4000) this.agentEvents.splice(0, 1000);
      if (entry.message === 'keepalived state' && entry.state) this.keepalivedState = { state: entry.state, at: Date.now() };
      if (entry.message === 'failover agent started') this.agentStarted = true;
    } catch { /* not JSON */ }
  }

  /** Agent log entries with this message since `since` (ms epoch). */
  events(message: string | RegExp, since = 0): Array<{ at: number; entry: Record<string, unknown> }> {
    return this.agentEvents.filter((e) => e.at >= since && (typeof message === 'string' ? e.message === message : message.test(e.message)));
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
  startAgent(): void {
    this.agentStarted = false;
    this.keepalivedState = { state: 'UNKNOWN', at: Date.now() };
    this.agent = this.spawnIn('agent', process.execPath, ['--enable-source-maps', this.options.agentBundle, this.files.agentConfig!]);
  }
  startKeepalived(): void {
    const f = this.files;
    // A killed keepalived's VRRP child can linger as a zombie (reparented to an init that does not reap,
    // unlike systemd on a host): keepalived would read its pid file and refuse, "daemon is already running".
    for (const file of [f.pid!, f.vrrpPid!]) if (!livePid(file)) fs.rmSync(file, { force: true });
    this.keepalived = this.spawnIn('keepalived', 'keepalived', ['-n', '-l', '-D', '-f', f.keepalivedConf!, '-p', f.pid!, '-r', f.vrrpPid!]);
  }

  /** Redis, then the agent, then keepalived once the agent listens: no state change is missed. */
  async startAll(): Promise<void> {
    this.startRedis();
    this.startAgent();
    await this.agentReady();
    this.startKeepalived();
  }

  /** Stops a child process and waits for it to exit (SIGKILL after 3 s). */
  async stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // `ip netns exec` execs the program, so the child's pid is the program's.
    try { process.kill(child.pid!, signal); } catch { return; }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited; }
  }

  /** The runbook's bootstrap command, as an operator runs it on this node. */
  bootstrap(force: boolean): string {
    return execFileSync('ip', ['netns', 'exec', this.options.namespace, process.execPath, this.options.agentBundle, '--bootstrap', ...(force ? ['--force'] : []), this.files.agentConfig!], { timeout: 10_000 }).toString().trim();
  }

  /** The planned switchover script, as SSM runs it on this node (must be the master). */
  switchover(): { switchover: string; ms?: number; newMaster?: string; reason?: string } {
    let out: string;
    try {
      out = execFileSync('ip', ['netns', 'exec', this.options.namespace, this.files.switchover!], { timeout: 30_000 }).toString();
    } catch (error) {
      out = String((error as { stdout?: Buffer }).stdout ?? '');
    }
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { switchover: string; ms?: number; newMaster?: string };
  }

  /** redis-cli against this node's Redis (empty string when it does not answer). */
  cli(...args: string[]): string {
    try {
      return execFileSync('ip', ['netns', 'exec', this.options.namespace, 'redis-cli', '-p', String(this.options.port), '--no-auth-warning', '-a', this.options.password, ...args], { timeout: 2000 }).toString();
    } catch { return ''; }
  }

  /** keepalived holds the VIP here (it is MASTER), whatever the agent knows. */
  holdsVip(): boolean {
    try {
      return execFileSync('ip', ['-n', this.options.namespace, '-o', '-4', 'addr', 'show'], { timeout: 2000 }).toString().includes(` ${this.options.vip}/`);
    } catch { return false; }
  }

  /** iptables in this node's namespace (-A to add, -D to delete the same rule). */
  iptables(args: string[]): void {
    execFileSync('ip', ['netns', 'exec', this.options.namespace, 'iptables', ...args]);
  }

  /** Empties the data directory (a replacement node: new instance, empty volume). Redis must be stopped. */
  wipeData(): void {
    fs.rmSync(this.files.data!, { recursive: true, force: true });
    fs.mkdirSync(this.files.data!, { recursive: true, mode: 0o700 });
    fs.rmSync(this.files.eligible!, { force: true });
    fs.rmSync(this.files.history!, { force: true });
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
    const send = (pid: number, sig: NodeJS.Signals) => { try { process.kill(pid, sig); } catch { /* gone */ } };
    const [child, parent] = this.keepalivedPids();
    // A running parent respawns a killed VRRP child at once, and the new child would outlive the
    // parent's own kill: freeze the parent first (as a host crash would).
    if (signal === 'SIGKILL' && parent) send(parent, 'SIGSTOP');
    for (const pid of this.keepalivedPids()) send(pid, signal);
    if (signal === 'SIGKILL' && child) send(child, 'SIGKILL');
  }

  signalAll(signal: NodeJS.Signals): void {
    this.signalKeepalived(signal);
    for (const child of [this.redis, this.agent]) { if (child?.pid && child.exitCode === null) { try { process.kill(child.pid, signal); } catch { /* gone */ } } }
  }

  async stopAll(): Promise<void> {
    this.signalAll('SIGCONT');
    this.signalKeepalived('SIGKILL');
    for (const child of [this.keepalived, this.agent, this.redis]) await this.stopChild(child);
  }
}
