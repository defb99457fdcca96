/**
 * The writer's Redis payload: many `HSET key field value` packed into a few script calls. A command
 * (or a script argument) per point makes the client the bottleneck: ioredis builds an object and
 * encodes a RESP header per argument, and the garbage of 200k keys per batch dominates the profile.
 * Instead the keys and values of a run of points that share one field (the aligned timestamp) are
 * written as bytes into one Buffer, "key\tvalue\n" per point, and the script splits them.
 *
 * ARGV of one call: field, packed lines, field, packed lines, ... Keys, timestamps and values are
 * ASCII without tabs or newlines (record.ts validates names and host ids; numbers print as ASCII), so
 * one byte per character is exact. The same bytes journal and replay unchanged (latin1 round-trips).
 */
export const HSET_PACKED = `
local call, gmatch = redis.call, string.gmatch
local n = 0
for g = 1, #ARGV, 2 do
  local field = ARGV[g]
  for key, value in gmatch(ARGV[g + 1], '([^\\t]+)\\t([^\\n]+)\\n') do
    call('HSET', key, field, value)
    n = n + 1
  end
end
return n`;

/** Points per script call: bounds how long one call holds the shard (and its replication burst). */
export const POINTS_PER_CALL = 4096;
/** Bytes of each packing buffer (a point is about 60): a few allocations per batch, none per point. */
const BUFFER_BYTES = 1 << 20;
const TAB = 0x09;
const NEWLINE = 0x0a;

/** Copies an ASCII string into b at o; returns the end. A loop beats Buffer#write for strings this short (measured 2x). */
function putAscii(b: Buffer, o: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[o + i] = text.charCodeAt(i);
  return o + text.length;
}

/** One shard's packed HSETs for one batch. Append points, then `finish()` for the calls' arguments. */
export class PackedHsets {
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private offset = 0;
  private groupStart = 0;
  private field: string | undefined;
  private args: Array<string | Buffer> = [];
  private callPoints = 0;
  private readonly calls: Array<Array<string | Buffer>> = [];
  points = 0;

  /**
   * Queues HSET (keyHead + name + keyTail) field value. The key is given in parts so the parts shared
   * by a record's points (prefix, window suffix) are never concatenated into a string per point.
   */
  add(field: string, keyHead: string, name: string, keyTail: string, value: string): void {
    if (field !== this.field) {
      this.closeGroup();
      this.field = field;
    }
    const bytes = keyHead.length + name.length + keyTail.length + value.length + 2;
    if (this.offset + bytes > this.buffer.length) {
      // Earlier groups keep views into the old buffer, so it is replaced, never reused.
      this.closeGroup();
      this.buffer = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, bytes));
      this.offset = this.groupStart = 0;
    }
    const b = this.buffer;
    let o = this.offset;
    o = putAscii(b, o, keyHead);
    o = putAscii(b, o, name);
    o = putAscii(b, o, keyTail);
    b[o++] = TAB;
    o = putAscii(b, o, value);
    b[o++] = NEWLINE;
    this.offset = o;
    this.points += 1;
    if (++this.callPoints >= POINTS_PER_CALL) this.closeCall();
  }

  /** The arguments of each script call (after the key count), in the order the points were added. */
  finish(): Array<Array<string | Buffer>> {
    this.closeCall();
    return this.calls;
  }

  private closeGroup(): void {
    if (this.offset === this.groupStart) return;
    this.args.push(this.field!, this.buffer.subarray(this.groupStart, this.offset));
    this.groupStart = this.offset;
  }

  private closeCall(): void {
    this.closeGroup();
    if (this.args.length > 0) this.calls.push(this.args);
    this.args = [];
    this.callPoints = 0;
  }
}
