import { writeFileSync } from 'node:fs';

/**
 * A minimal GGUF (version 3) writer for tests: metadata key/values and F32 tensors, laid out the way
 * llama.cpp reads them (header, key/values, tensor infos, padding to the alignment, tensor data).
 * Written from the format description in llama.cpp's docs; nothing here is copied from it.
 */

const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
const GGUF_VERSION = 3;
const ALIGNMENT = 32;

enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}
const TENSOR_F32 = 0;

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'i32s'; value: number[] }
  | { type: 'f32s'; value: number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] varies fastest (for a weight matrix: [inputs, outputs]). */
  dims: number[];
  data: Float32Array;
}

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(to: number): void {
    const rem = this.length % to;
    if (rem !== 0) this.push(Buffer.alloc(to - rem));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case 'u32':
      out.u32(ValueType.UINT32);
      out.u32(v.value);
      return;
    case 'i32':
      out.u32(ValueType.INT32);
      out.i32(v.value);
      return;
    case 'f32':
      out.u32(ValueType.FLOAT32);
      out.f32(v.value);
      return;
    case 'bool':
      out.u32(ValueType.BOOL);
      out.push(Buffer.from([v.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(ValueType.STRING);
      out.str(v.value);
      return;
    case 'strings':
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.STRING);
      out.u64(v.value.length);
      for (const s of v.value) out.str(s);
      return;
    case 'i32s':
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.INT32);
      out.u64(v.value.length);
      for (const n of v.value) out.i32(n);
      return;
    case 'f32s':
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.FLOAT32);
      out.u64(v.value.length);
      for (const n of v.value) out.f32(n);
      return;
  }
}

/** Serialises a GGUF file. */
export function encodeGguf(metadata: ReadonlyArray<[string, GgufValue]>, tensors: readonly GgufTensor[]): Buffer {
  const head = new ByteSink();
  head.u32(GGUF_MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(metadata.length);
  for (const [key, value] of metadata) {
    head.str(key);
    writeValue(head, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} do not match ${t.data.length} values`);
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(TENSOR_F32);
    head.u64(offset);
    offsets.push(offset);
    offset += Math.ceil((count * 4) / ALIGNMENT) * ALIGNMENT;
  }
  head.pad(ALIGNMENT);
  for (const t of tensors) {
    head.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    head.pad(ALIGNMENT);
  }
  return head.concat();
}

export function writeGguf(file: string, metadata: ReadonlyArray<[string, GgufValue]>, tensors: readonly GgufTensor[]): void {
  writeFileSync(file, encodeGguf(metadata, tensors));
}
