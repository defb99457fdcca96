/**
 * Gorilla-style compression of a series' points (Pelkonen et al., VLDB 2015):
 * timestamps as delta-of-delta in variable-length buckets, values as the XOR with the previous value,
 * storing only the meaningful bits. Lossless for any float64 (NaN payloads, -0, Infinity) and any
 * integer timestamps (equal, decreasing, far apart).
 *
 * Layout (bit stream, big-endian within bytes):
 *   u8 version (1) | u32 count | i64 t0 | f64 v0 | then per point: dod code, value code
 *   dod: '0' = 0 | '10'+7 bits | '110'+9 | '1110'+12 | '1111'+64 (two's complement)
 *   value: '0' = same as previous | '10' + meaningful bits in the previous window |
 *          '11' + 5 bits leading zeros + 6 bits length (0 = 64) + meaningful bits
 */
export const GORILLA_VERSION = 1;

export type SeriesPoint = readonly [timestamp: number, value: number];

class BitWriter {
  private bytes = new Uint8Array(256);
  private bit = 0;

  writeBit(b: number): void {
    const byte = this.bit >>> 3;
    if (byte >= this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    if (b) this.bytes[byte]! |= 0x80 >>> (this.bit & 7);
    this.bit++;
  }

  write(value: bigint, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.writeBit(Number((value >> BigInt(i)) & 1n));
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, Math.ceil(this.bit / 8));
  }
}

class BitReader {
  private bit = 0;
  constructor(private readonly bytes: Uint8Array) {}

  readBit(): number {
    const byte = this.bit >>> 3;
    if (byte >= this.bytes.length) throw new Error('gorilla: truncated stream');
    const b = (this.bytes[byte]! >>> (7 - (this.bit & 7))) & 1;
    this.bit++;
    return b;
  }

  read(n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 1n) | BigInt(this.readBit());
    return v;
  }
}

const f64 = new DataView(new ArrayBuffer(8));
function floatBits(v: number): bigint {
  f64.setFloat64(0, v);
  return f64.getBigUint64(0);
}
function bitsFloat(b: bigint): number {
  f64.setBigUint64(0, b);
  return f64.getFloat64(0);
}

function leadingZeros(x: bigint): number {
  let n = 0;
  for (let i = 63; i >= 0 && ((x >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
}
function trailingZeros(x: bigint): number {
  let n = 0;
  for (let i = 0; i < 64 && ((x >> BigInt(i)) & 1n) === 0n; i++) n++;
  return n;
}

const DOD_BUCKETS: ReadonlyArray<{ prefix: bigint; prefixBits: number; bits: number }> = [
  { prefix: 0b10n, prefixBits: 2, bits: 7 },
  { prefix: 0b110n, prefixBits: 3, bits: 9 },
  { prefix: 0b1110n, prefixBits: 4, bits: 12 },
];
const MASK64 = (1n << 64n) - 1n;

export function encodeGorilla(points: readonly SeriesPoint[]): Uint8Array {
  const w = new BitWriter();
  w.write(BigInt(GORILLA_VERSION), 8);
  w.write(BigInt(points.length), 32);
  if (points.length === 0) return w.finish();
  for (const [t] of points) if (!Number.isSafeInteger(t)) throw new Error(`gorilla: timestamp ${t} is not a safe integer`);
  const [t0, v0] = points[0]!;
  w.write(BigInt.asUintN(64, BigInt(t0)), 64);
  w.write(floatBits(v0), 64);
  let prevT = BigInt(t0);
  let prevDelta = 0n;
  let prevV = floatBits(v0);
  let prevLeading = -1;
  let prevTrailing = 0;
  for (let i = 1; i < points.length; i++) {
    const [t, v] = points[i]!;
    const delta = BigInt(t) - prevT;
    const dod = delta - prevDelta;
    if (dod === 0n) w.writeBit(0);
    else {
      const bucket = DOD_BUCKETS.find(({ bits }) => dod >= -((1n << BigInt(bits - 1)) - 1n) && dod <= 1n << BigInt(bits - 1));
      if (bucket) {
        w.write(bucket.prefix, bucket.prefixBits);
        w.write(dod + (1n << BigInt(bucket.bits - 1)) - 1n, bucket.bits);
      } else {
        w.write(0b1111n, 4);
        w.write(BigInt.asUintN(64, dod), 64);
      }
    }
    prevT = BigInt(t);
    prevDelta = delta;

    const bits = floatBits(v);
    const xor = bits ^ prevV;
    if (xor === 0n) w.writeBit(0);
    else {
      w.writeBit(1);
      const leading = Math.min(leadingZeros(xor), 31);
      const trailing = trailingZeros(xor);
      if (prevLeading >= 0 && leading >= prevLeading && trailing >= prevTrailing) {
        w.writeBit(0);
        w.write(xor >> BigInt(prevTrailing), 64 - prevLeading - prevTrailing);
      } else {
        const length = 64 - leading - trailing;
        w.writeBit(1);
        w.write(BigInt(leading), 5);
        w.write(BigInt(length & 63), 6);
        w.write(xor >> BigInt(trailing), length);
        prevLeading = leading;
        prevTrailing = trailing;
      }
    }
    prevV = bits;
  }
  return w.finish();
}

export function decodeGorilla(bytes: Uint8Array): SeriesPoint[] {
  const r = new BitReader(bytes);
  const version = Number(r.read(8));
  if (version !== GORILLA_VERSION) throw new Error(`gorilla: unsupported version ${version}`);
  const count = Number(r.read(32));
  if (count === 0) return [];
  let t = BigInt.asIntN(64, r.read(64));
  let vBits = r.read(64);
  const out: SeriesPoint[] = [[Number(t), bitsFloat(vBits)]];
  let delta = 0n;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    let dod = 0n;
    if (r.readBit() === 1) {
      let ones = 1;
      while (ones < 4 && r.readBit() === 1) ones++;
      const bucket = DOD_BUCKETS[ones - 1];
      dod = bucket ? r.read(bucket.bits) - (1n << BigInt(bucket.bits - 1)) + 1n : BigInt.asIntN(64, r.read(64));
    }
    delta += dod;
    t += delta;
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = Number(r.read(5));
        const length = Number(r.read(6)) || 64;
        trailing = 64 - leading - length;
      }
      vBits = (vBits ^ (r.read(64 - leading - trailing) << BigInt(trailing))) & MASK64;
    }
    out.push([Number(t), bitsFloat(vBits)]);
  }
  return out;
}
