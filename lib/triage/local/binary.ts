/**
 * Compact binary container for the model artifact.
 *
 * Layout (little-endian):
 *   bytes 0..7   magic "SBLCM\0\0\1"
 *   bytes 8..11  u32 header length H
 *   bytes 12..   UTF-8 JSON header { meta, sections: [{name, dtype, offset, length}] }
 *   then each section's raw bytes, 8-byte aligned, offsets relative to the data start.
 * Supported dtypes: f32, f16 (IEEE half, stored as u16), i32, i8, u8 (UTF-8 text).
 */

const MAGIC = Uint8Array.from([0x53, 0x42, 0x4c, 0x43, 0x4d, 0, 0, 1]);

export type SectionData =
  | { dtype: "f32"; data: Float32Array }
  | { dtype: "f16"; data: Float32Array }
  | { dtype: "i32"; data: Int32Array }
  | { dtype: "i8"; data: Int8Array }
  | { dtype: "text"; data: string };

interface SectionEntry {
  name: string;
  dtype: SectionData["dtype"];
  offset: number;
  byteLength: number;
  length: number;
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** Convert a float to IEEE-754 half precision bits (round-to-nearest-even). */
export function toHalf(x: number): number {
  f32buf[0] = x;
  const f = u32buf[0];
  const sign = (f >>> 16) & 0x8000;
  const exp = (f >>> 23) & 0xff;
  let mant = f & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** Convert IEEE half bits to a float. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Serialise named sections plus a JSON-able meta object into one buffer. */
export function writeContainer(meta: unknown, sections: Record<string, SectionData>): Uint8Array {
  const enc = new TextEncoder();
  const blobs: Uint8Array[] = [];
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const [name, s] of Object.entries(sections)) {
    let bytes: Uint8Array;
    let length: number;
    if (s.dtype === "text") {
      bytes = enc.encode(s.data);
      length = bytes.length;
    } else if (s.dtype === "f16") {
      const u = new Uint16Array(s.data.length);
      for (let i = 0; i < u.length; i++) u[i] = toHalf(s.data[i]);
      bytes = new Uint8Array(u.buffer);
      length = u.length;
    } else {
      bytes = new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength);
      length = s.data.length;
    }
    entries.push({ name, dtype: s.dtype, offset, byteLength: bytes.length, length });
    blobs.push(bytes);
    offset += bytes.length;
    const pad = (8 - (offset % 8)) % 8;
    if (pad) {
      blobs.push(new Uint8Array(pad));
      offset += pad;
    }
  }
  let header = enc.encode(JSON.stringify({ meta, sections: entries }));
  // pad header so that data starts 8-byte aligned
  const headPad = (8 - ((12 + header.length) % 8)) % 8;
  if (headPad) header = enc.encode(JSON.stringify({ meta, sections: entries }) + " ".repeat(headPad));
  const total = 12 + header.length + offset;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  let p = 12 + header.length;
  for (const b of blobs) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

/** Parsed container: meta + lazily decoded sections. */
export interface Container {
  meta: unknown;
  has(name: string): boolean;
  f32(name: string): Float32Array;
  i32(name: string): Int32Array;
  i8(name: string): Int8Array;
  text(name: string): string;
}

/**
 * Parse a container produced by {@link writeContainer}.
 * @throws Error on bad magic, truncated data or unknown/mistyped sections.
 */
export function readContainer(buf: Uint8Array): Container {
  if (buf.length < 12) throw new Error("model artifact: file too short");
  for (let i = 0; i < MAGIC.length; i++) if (buf[i] !== MAGIC[i]) throw new Error("model artifact: bad magic (not a Switchboard local model)");
  const hl = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + hl))) as { meta: unknown; sections: SectionEntry[] };
  const base = 12 + hl;
  // copy into an aligned buffer once so typed views are valid
  const data = buf.slice(base);
  if (data.length < header.sections.reduce((m, s) => Math.max(m, s.offset + s.byteLength), 0)) throw new Error("model artifact: truncated");
  const byName = new Map(header.sections.map((s) => [s.name, s]));
  const get = (name: string, dtype: SectionEntry["dtype"]): SectionEntry => {
    const s = byName.get(name);
    if (!s) throw new Error(`model artifact: missing section ${name}`);
    if (s.dtype !== dtype && !(dtype === "f32" && s.dtype === "f16")) throw new Error(`model artifact: section ${name} is ${s.dtype}, expected ${dtype}`);
    return s;
  };
  return {
    meta: header.meta,
    has: (name) => byName.has(name),
    f32(name) {
      const s = get(name, "f32");
      if (s.dtype === "f32") return new Float32Array(data.buffer, s.offset, s.length);
      const u = new Uint16Array(data.buffer, s.offset, s.length);
      const lut = halfTable();
      const out = new Float32Array(s.length);
      for (let i = 0; i < u.length; i++) out[i] = lut[u[i]];
      return out;
    },
    i32(name) {
      const s = get(name, "i32");
      return new Int32Array(data.buffer, s.offset, s.length);
    },
    i8(name) {
      const s = get(name, "i8");
      return new Int8Array(data.buffer, s.offset, s.length);
    },
    text(name) {
      const s = get(name, "text");
      return new TextDecoder().decode(data.subarray(s.offset, s.offset + s.byteLength));
    },
  };
}

let HALF_LUT: Float32Array | null = null;
function halfTable(): Float32Array {
  if (!HALF_LUT) {
    HALF_LUT = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) HALF_LUT[i] = fromHalf(i);
  }
  return HALF_LUT;
}
