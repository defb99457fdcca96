import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes a file so a reader (keepalived's check script, the next agent) never sees half of it. */
function writeAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

/**
 * The eligibility marker: the run_id of the local Redis process once its dataset may serve as the
 * shard's master (it completed a sync from the leased master since it started, it is the leased
 * master, or an operator bootstrapped it). keepalived's check script compares it with the live
 * run_id, so a restarted (new run_id) or replaced Redis is out of the election until it synced again.
 */
export class EligibilityMarker {
  constructor(private readonly file: string) {}
  read(): string | undefined {
    try { return fs.readFileSync(this.file, 'utf8').trim() || undefined; } catch { return undefined; }
  }
  write(runId: string): void { if (this.read() !== runId) writeAtomically(this.file, `${runId}\n`); }
  clear(): void { fs.rmSync(this.file, { force: true }); }
}

/** The replication ids this node's Redis served, newest last (bounded): proof material after a Redis restart. */
export class ReplicationHistory {
  private ids: string[];
  constructor(private readonly file: string, private readonly keep = 8) {
    try { this.ids = (JSON.parse(fs.readFileSync(file, 'utf8')) as { replids?: string[] }).replids ?? []; } catch { this.ids = []; }
  }
  all(): readonly string[] { return this.ids; }
  record(replid: string): void {
    if (!replid || /^0+$/.test(replid) || this.ids[this.ids.length - 1] === replid) return;
    this.ids = [...this.ids.filter((id) => id !== replid), replid].slice(-this.keep);
    writeAtomically(this.file, `${JSON.stringify({ replids: this.ids })}\n`);
  }
}
