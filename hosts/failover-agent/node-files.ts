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

/**
 * The replication ids this node's Redis served and the run_ids of its Redis processes that held the
 * lease, newest last (bounded): proof material after a Redis restart, and which journal entries are
 * this node's own.
 */
export class ReplicationHistory {
  private ids: string[];
  private runs: string[];
  constructor(private readonly file: string, private readonly keep = 8) {
    let saved: { replids?: string[]; runIds?: string[] } = {};
    try { saved = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof saved; } catch { /* first start */ }
    this.ids = saved.replids ?? [];
    this.runs = saved.runIds ?? [];
  }
  all(): readonly string[] { return this.ids; }
  runIds(): readonly string[] { return this.runs; }
  record(replid: string, leasedRunId?: string): void {
    const add = (list: string[], id: string | undefined) =>
      (!id || /^0+$/.test(id) || list[list.length - 1] === id ? list : [...list.filter((x) => x !== id), id].slice(-this.keep));
    const ids = add(this.ids, replid);
    const runs = add(this.runs, leasedRunId);
    if (ids === this.ids && runs === this.runs) return;
    this.ids = ids;
    this.runs = runs;
    writeAtomically(this.file, `${JSON.stringify({ replids: this.ids, runIds: this.runs })}\n`);
  }
}
