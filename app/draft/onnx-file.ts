import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { FEATURE_DIM, SECTION_CLASSES } from './features.ts';

/**
 * Writing and reading the section classifier as an ONNX model (used by the trainer and the tests; the app
 * itself only runs the file with onnxruntime-node). The bytes depend only on the weights: no timestamps.
 */
const { onnx } = onnxProto;

export interface SectionWeights {
  /** Row-major [FEATURE_DIM, classes]. */
  weights: Float32Array;
  bias: Float32Array;
}

function floatBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export function encodeSectionModel(w: SectionWeights, docString: string): Uint8Array {
  const k = SECTION_CLASSES.length;
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const dim = (v: string | number): OnnxTypes.TensorShapeProto.IDimension => (typeof v === 'string' ? { dimParam: v } : { dimValue: v });
  const valueInfo = (name: string, elemType: number, dims: Array<string | number>): OnnxTypes.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } },
  });
  const graph: OnnxTypes.IGraphProto = {
    name: 'section_classifier',
    node: [
      {
        opType: 'Gather',
        input: ['W', 'feature_ids'],
        output: ['rows'],
        name: 'gather_rows',
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
      },
      { opType: 'Unsqueeze', input: ['feature_weights', 'axis2'], output: ['weights3'], name: 'unsqueeze_weights' },
      { opType: 'Mul', input: ['rows', 'weights3'], output: ['weighted'], name: 'weigh_rows' },
      {
        opType: 'ReduceSum',
        input: ['weighted', 'axis1'],
        output: ['summed'],
        name: 'sum_rows',
        attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
      },
      { opType: 'Add', input: ['summed', 'b'], output: ['logits'], name: 'add_bias' },
      {
        opType: 'Softmax',
        input: ['logits'],
        output: ['probabilities'],
        name: 'softmax',
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      },
    ],
    initializer: [
      { name: 'W', dataType: F, dims: [FEATURE_DIM, k], rawData: floatBytes(w.weights) },
      { name: 'b', dataType: F, dims: [k], rawData: floatBytes(w.bias) },
      { name: 'axis1', dataType: I64, dims: [1], int64Data: [1] },
      { name: 'axis2', dataType: I64, dims: [1], int64Data: [2] },
    ],
    input: [valueInfo('feature_ids', I64, ['n', 'l']), valueInfo('feature_weights', F, ['n', 'l'])],
    output: [valueInfo('probabilities', F, ['n', k])],
  };
  const model: OnnxTypes.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'scribe train-drafter',
    producerVersion: '1',
    docString,
    graph,
    metadataProps: [
      { key: 'classes', value: SECTION_CLASSES.join(',') },
      { key: 'feature_dim', value: String(FEATURE_DIM) },
    ],
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Reads W and b back from the model bytes (for the TypeScript reference computation). */
export function decodeSectionModel(bytes: Uint8Array): SectionWeights {
  const model = onnx.ModelProto.decode(bytes);
  const get = (name: string): Float32Array => {
    const t = model.graph?.initializer?.find((x) => x.name === name);
    if (!t?.rawData) throw new Error(`initializer ${name} missing`);
    const raw = t.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(raw.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  };
  return { weights: get('W'), bias: get('b') };
}
