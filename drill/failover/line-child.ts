import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

const ROOT = path.resolve(__dirname, '../..');

/** A JSON-lines child process (stand-in, client): events by predicate, commands by line. */
export class LineChild {
  readonly events: unknown[] = [];
  private readonly waiters: Array<{ match: (e: unknown) => boolean; resolve: (e: unknown) => void }> = [];
  stderr = '';
  constructor(readonly child: ChildProcess, onEvent?: (e: unknown) => void) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: unknown;
      try { event = JSON.parse(line); } catch { return; }
      onEvent?.(event);
      if (this.waiters.length > 0) {
        for (const w of [...this.waiters]) if (w.match(event)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(event); }
      }
    });
    child.stderr?.on('data', (d) => { this.stderr = (this.stderr + String(d)).slice(-4000); });
  }
  send(value: unknown): void { this.child.stdin!.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`); }
  next<T>(match: (e: unknown) => boolean, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for an event; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e as T); } });
    });
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin?.end();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** A TypeScript program of this repository, run with tsx inside a network namespace. */
export function tsNode(namespace: string, script: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
}
