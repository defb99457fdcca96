import * as fs from 'node:fs';
import * as os from 'node:os';
import type { VrrpState } from './notify-fifo';

/** keepalived removes stale VIPs and announces its first state within this long of starting. */
const SETTLE_MS = 3000;
/** USER_HZ: the unit of /proc/<pid>/stat's start time (100 on every Linux build the hosts run). */
const CLOCK_TICKS_PER_S = 100;

/**
 * The VRRP state without waiting for keepalived's next transition (after the agent's own restart, or
 * when the FIFO is reopened): keepalived holds the VIP on the interface exactly while MASTER. A
 * keepalived killed with -9 leaves the address behind, so the VIP counts only while keepalived's VRRP
 * process is alive, and only once that process is old enough to have removed a predecessor's stale
 * VIP (a younger one reports its own state through the FIFO): undefined = "do not guess".
 * BACKUP stands for "not MASTER" (the agent treats BACKUP and FAULT alike).
 */
export function learnVrrpState(options: { interface: string; vip: string; keepalivedPidFile: string }, proc = '/proc'): VrrpState | 'GONE' | undefined {
  const age = keepalivedAgeMs(options.keepalivedPidFile, proc);
  if (age === undefined) return 'GONE';
  if (age < SETTLE_MS) return undefined;
  const addresses = os.networkInterfaces()[options.interface] ?? [];
  return addresses.some((a) => a.family === 'IPv4' && a.address === options.vip) ? 'MASTER' : 'BACKUP';
}

/** How long keepalived's VRRP process has been running, or undefined when it is not. */
function keepalivedAgeMs(pidFile: string, proc: string): number | undefined {
  let pid: number;
  try { pid = Number(fs.readFileSync(pidFile, 'utf8').trim()); } catch { return undefined; }
  if (!(pid > 0)) return undefined;
  try {
    // Field 22 (starttime) counts from boot; fields after the "(comm)" are space separated.
    const stat = fs.readFileSync(`${proc}/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie is a dead keepalived (its VIP may be left behind)
    const startTicks = Number(fields[19]);
    const uptimeS = Number(fs.readFileSync(`${proc}/uptime`, 'utf8').split(' ')[0]);
    return Math.max(0, (uptimeS - startTicks / CLOCK_TICKS_PER_S) * 1000);
  } catch {
    return undefined;
  }
}
