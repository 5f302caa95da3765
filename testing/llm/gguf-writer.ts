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

/** How each scalar is written: its GGUF type id and its bytes. */
type Scalar = { u32: number; i32: number; f32: number; bool: boolean; string: string };
const SCALARS: { [K in keyof Scalar]: [ValueType, (out: ByteSink, value: Scalar[K]) => void] } = {
  u32: [ValueType.UINT32, (out, n) => out.u32(n)],
  i32: [ValueType.INT32, (out, n) => out.i32(n)],
  f32: [ValueType.FLOAT32, (out, n) => out.f32(n)],
  bool: [ValueType.BOOL, (out, b) => out.push(Buffer.from([b ? 1 : 0]))],
  string: [ValueType.STRING, (out, s) => out.str(s)],
};
/** An array value: the scalar type of its elements. */
const ARRAY_OF = { strings: 'string', i32s: 'i32', f32s: 'f32' } as const;

function writeScalar<K extends keyof Scalar>(out: ByteSink, type: K, value: Scalar[K], withType: boolean): void {
  const [id, write] = SCALARS[type];
  if (withType) out.u32(id);
  write(out, value);
}

function writeValue(out: ByteSink, v: GgufValue): void {
  if (v.type === 'strings' || v.type === 'i32s' || v.type === 'f32s') {
    const element = ARRAY_OF[v.type];
    out.u32(ValueType.ARRAY);
    out.u32(SCALARS[element][0]);
    out.u64(v.value.length);
    for (const item of v.value) writeScalar(out, element, item as never, false);
    return;
  }
  writeScalar(out, v.type, v.value as never, true);
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
