import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

export type VrrpState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

/** Parses one keepalived notify_fifo line, e.g. `INSTANCE "shard_0" MASTER 150`. */
export function parseNotifyLine(line: string): { instance: string; state: VrrpState } | undefined {
  const match = /^INSTANCE "([^"]+)" (MASTER|BACKUP|FAULT|STOP)\b/.exec(line.trim());
  return match ? { instance: match[1]!, state: match[2] as VrrpState } : undefined;
}

/**
 * Follows keepalived's notify FIFO for the life of the agent: keepalived writes each state change as a
 * line, so a failover costs a pipe read instead of a process start. End of file means every keepalived
 * process closed the FIFO (it died or stopped): reported as `onGone`, then the FIFO is reopened;
 * `onOpen` runs each time a writer has it open (the agent then learns the current state itself).
 *
 * keepalived holds the FIFO open read-write, so lines written while no agent read it wait in the pipe:
 * the first read after opening is history, of which only the newest state is reported (replaying
 * BACKUP, MASTER, ... from minutes ago would make the agent demote and promote for nothing).
 */
export function followNotifyFifo(path: string, onState: (state: VrrpState, line: string) => void, onGone: () => void, onOpen?: () => void): () => void {
  if (!fs.existsSync(path)) execFileSync('mkfifo', ['-m', '0600', path]);
  let stopped = false;
  let stream: fs.ReadStream | undefined;
  const open = () => {
    if (stopped) return;
    stream = fs.createReadStream(path, { encoding: 'utf8' });
    // A FIFO's open completes once a writer (keepalived) has it open too.
    if (onOpen) stream.once('ready', onOpen);
    let partial = '';
    let first = true;
    stream.on('data', (chunk) => {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      const states = lines.flatMap((line) => { const parsed = parseNotifyLine(line); return parsed ? [{ parsed, line }] : []; });
      for (const { parsed, line } of first ? states.slice(-1) : states) onState(parsed.state, line);
      first = false;
    });
    stream.on('end', () => { if (!stopped) { onGone(); setImmediate(open); } });
    stream.on('error', () => { if (!stopped) setTimeout(open, 200); });
  };
  open();
  return () => { stopped = true; stream?.destroy(); };
}
