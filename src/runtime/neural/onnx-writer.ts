// Builds ONNX models from TypeScript: a small graph builder, MLPs with known weights, and deliberately broken
// models for fault tests. Everything hpol runs in tests and examples comes from here; nothing is downloaded.
import { writeFileSync } from "node:fs";
import type { Activation, MlpDefinition } from "./mlp.ts";
import { mlpInputSize, mlpOutputSize } from "./mlp.ts";
import type { AttributeMessage, NodeMessage, TensorMessage, ValueInfoMessage } from "./onnx-proto.ts";
import { OnnxAttributeType, OnnxDataType, encodeModel } from "./onnx-proto.ts";

/** A dimension: a fixed size, a symbolic name (dim_param, e.g. "batch"), or null for an unnamed unknown size. */
export type OnnxDim = number | string | null;

export interface OnnxValueSpec {
  readonly name: string;
  /** An OnnxDataType value; FLOAT by default. */
  readonly dataType?: number;
  readonly shape: readonly OnnxDim[];
}

export type InitializerData = Float32Array | Float64Array | Int32Array | BigInt64Array;

export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: InitializerData;
}

export type OnnxAttribute =
  | { readonly name: string; readonly kind: "int"; readonly value: number }
  | { readonly name: string; readonly kind: "float"; readonly value: number }
  | { readonly name: string; readonly kind: "ints"; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: "floats"; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: "string"; readonly value: string };

export interface OnnxNodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: readonly OnnxAttribute[];
}

export interface OnnxGraphSpec {
  readonly name?: string;
  readonly inputs: readonly OnnxValueSpec[];
  readonly outputs: readonly OnnxValueSpec[];
  readonly initializers?: readonly OnnxInitializer[];
  readonly nodes: readonly OnnxNodeSpec[];
  /** Default-domain opset; 13 by default (every operator used here is stable since then). */
  readonly opset?: number;
  /** ONNX IR version; 8 by default, which every onnxruntime release since 1.10 reads. */
  readonly irVersion?: number;
  /**
   * List the initializers among the graph inputs too, as exporters targeting IR version < 4 do. Readers must
   * skip them; tests use this to check that they do.
   */
  readonly initializersAsInputs?: boolean;
}

function dataTypeOf(data: InitializerData): number {
  if (data instanceof Float32Array) return OnnxDataType.FLOAT;
  if (data instanceof Float64Array) return OnnxDataType.DOUBLE;
  if (data instanceof Int32Array) return OnnxDataType.INT32;
  return OnnxDataType.INT64;
}

/** ONNX raw_data is little-endian; copy through a DataView so the bytes are right on any host. */
function rawBytes(data: InitializerData): Uint8Array {
  const out = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i], true);
    else if (data instanceof Float64Array) view.setFloat64(i * 8, data[i], true);
    else if (data instanceof Int32Array) view.setInt32(i * 4, data[i], true);
    else view.setBigInt64(i * 8, data[i], true);
  }
  return out;
}

function tensorMessage(init: OnnxInitializer): TensorMessage {
  return { name: init.name, dims: [...init.dims], data_type: dataTypeOf(init.data), raw_data: rawBytes(init.data) };
}

function valueInfo(spec: OnnxValueSpec): ValueInfoMessage {
  return {
    name: spec.name,
    type: {
      tensor_type: {
        elem_type: spec.dataType ?? OnnxDataType.FLOAT,
        shape: {
          dim: spec.shape.map((d) => (d === null ? {} : typeof d === "number" ? { dim_value: d } : { dim_param: d })),
        },
      },
    },
  };
}

function attributeMessage(attr: OnnxAttribute): AttributeMessage {
  switch (attr.kind) {
    case "int":
      return { name: attr.name, type: OnnxAttributeType.INT, i: attr.value };
    case "float":
      return { name: attr.name, type: OnnxAttributeType.FLOAT, f: attr.value };
    case "ints":
      return { name: attr.name, type: OnnxAttributeType.INTS, ints: [...attr.value] };
    case "floats":
      return { name: attr.name, type: OnnxAttributeType.FLOATS, floats: [...attr.value] };
    case "string":
      return { name: attr.name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(attr.value) };
  }
}

function nodeMessage(node: OnnxNodeSpec, index: number): NodeMessage {
  return {
    name: node.name ?? `${node.op.toLowerCase()}_${index}`,
    op_type: node.op,
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: (node.attributes ?? []).map(attributeMessage),
  };
}

/** Serialises a graph description to ONNX protobuf bytes. */
export function buildOnnxModel(spec: OnnxGraphSpec): Uint8Array {
  const initializers = spec.initializers ?? [];
  const inputs = spec.inputs.map(valueInfo);
  if (spec.initializersAsInputs) {
    for (const init of initializers) {
      inputs.push(valueInfo({ name: init.name, dataType: dataTypeOf(init.data), shape: init.dims }));
    }
  }
  return encodeModel({
    ir_version: spec.irVersion ?? 8,
    producer_name: "hpol",
    producer_version: "0.1.0",
    opset_import: [{ domain: "", version: spec.opset ?? 13 }],
    graph: {
      name: spec.name ?? "hpol_model",
      node: spec.nodes.map(nodeMessage),
      initializer: initializers.map(tensorMessage),
      input: inputs,
      output: spec.outputs.map(valueInfo),
    },
  });
}

export interface MlpOnnxOptions {
  /** Leading dimension of input and output: a symbol such as "batch" (the default), a fixed size, or null. */
  readonly batch?: OnnxDim;
  /** "gemm" emits one Gemm per layer; "matmul" emits MatMul followed by Add. */
  readonly style?: "gemm" | "matmul";
  readonly inputName?: string;
  readonly outputName?: string;
}

const activationOp: Record<Exclude<Activation, "linear">, string> = { relu: "Relu", tanh: "Tanh", sigmoid: "Sigmoid" };

/** The graph of an MLP; `mlpOnnx` serialises it. Exposed so fault models can extend a working graph. */
export function mlpGraph(mlp: MlpDefinition, options: MlpOnnxOptions = {}): OnnxGraphSpec {
  const batch = options.batch === undefined ? "batch" : options.batch;
  const inputName = options.inputName ?? "input";
  const outputName = options.outputName ?? "output";
  const nodes: OnnxNodeSpec[] = [];
  const initializers: OnnxInitializer[] = [];
  let current = inputName;
  mlp.layers.forEach((layer, l) => {
    const last = l === mlp.layers.length - 1;
    const kind = last ? mlp.outputActivation : mlp.hiddenActivation;
    const w = `layer${l}.weight`;
    const b = `layer${l}.bias`;
    initializers.push({ name: w, dims: [layer.inputSize, layer.outputSize], data: layer.weights });
    initializers.push({ name: b, dims: [layer.outputSize], data: layer.bias });
    const affine = last && kind === "linear" ? outputName : `layer${l}.affine`;
    if ((options.style ?? "gemm") === "gemm") {
      nodes.push({ op: "Gemm", inputs: [current, w, b], outputs: [affine], name: `layer${l}.gemm` });
    } else {
      nodes.push({ op: "MatMul", inputs: [current, w], outputs: [`layer${l}.matmul`], name: `layer${l}.matmul` });
      nodes.push({ op: "Add", inputs: [`layer${l}.matmul`, b], outputs: [affine], name: `layer${l}.add` });
    }
    current = affine;
    if (kind !== "linear") {
      const activated = last ? outputName : `layer${l}.${kind}`;
      nodes.push({ op: activationOp[kind], inputs: [current], outputs: [activated], name: `layer${l}.${kind}` });
      current = activated;
    }
  });
  return {
    name: "mlp",
    inputs: [{ name: inputName, shape: [batch, mlpInputSize(mlp)] }],
    outputs: [{ name: outputName, shape: [batch, mlpOutputSize(mlp)] }],
    initializers,
    nodes,
  };
}

export function mlpOnnx(mlp: MlpDefinition, options: MlpOnnxOptions = {}): Uint8Array {
  return buildOnnxModel(mlpGraph(mlp, options));
}

/**
 * Models that misbehave on purpose, for fault tests. Each takes `features` inputs per row under a dynamic
 * "batch" dimension.
 *
 * - "log": output = Log(input). Rows with a negative entry give NaN, rows with a zero give -Inf, so one batch can
 *   mix good and bad rows.
 * - "div-zero": output = input / 0 (a zero initializer): every row is ±Inf or NaN.
 * - "collapse-batch": output = ReduceMean over the batch axis, shape [1, features]: wrong batch dimension.
 * - "misdeclared-output": the graph declares output [batch, features + 1] but computes [batch, features].
 * - "reshape-error": a Reshape to rows of a prime length P > features, which no batch smaller than P fills
 *   exactly, so every realistic run fails inside the inference runtime (not at load time).
 */
/** A prime: batch × features is a multiple of it only when batch is, as long as features < UNFILLABLE_ROW. */
const UNFILLABLE_ROW = 1_000_003;

export type FaultKind = "log" | "div-zero" | "collapse-batch" | "misdeclared-output" | "reshape-error";

export function faultyOnnxGraph(kind: FaultKind, features: number): OnnxGraphSpec {
  const input: OnnxValueSpec = { name: "input", shape: ["batch", features] };
  const output: OnnxValueSpec = { name: "output", shape: ["batch", features] };
  switch (kind) {
    case "log":
      return { name: kind, inputs: [input], outputs: [output], nodes: [{ op: "Log", inputs: ["input"], outputs: ["output"] }] };
    case "div-zero":
      return {
        name: kind,
        inputs: [input],
        outputs: [output],
        initializers: [{ name: "zero", dims: [], data: new Float32Array([0]) }],
        nodes: [{ op: "Div", inputs: ["input", "zero"], outputs: ["output"] }],
      };
    case "collapse-batch":
      return {
        name: kind,
        inputs: [input],
        outputs: [{ name: "output", shape: [1, features] }],
        nodes: [
          {
            op: "ReduceMean",
            inputs: ["input"],
            outputs: ["output"],
            attributes: [
              { name: "axes", kind: "ints", value: [0] },
              { name: "keepdims", kind: "int", value: 1 },
            ],
          },
        ],
      };
    case "misdeclared-output":
      return {
        name: kind,
        inputs: [input],
        outputs: [{ name: "output", shape: ["batch", features + 1] }],
        nodes: [{ op: "Relu", inputs: ["input"], outputs: ["output"] }],
      };
    case "reshape-error":
      return {
        name: kind,
        inputs: [input],
        outputs: [output],
        initializers: [{ name: "bad_shape", dims: [2], data: new BigInt64Array([-1n, BigInt(UNFILLABLE_ROW)]) }],
        nodes: [
          { op: "Relu", inputs: ["input"], outputs: ["relu"] },
          { op: "Reshape", inputs: ["relu", "bad_shape"], outputs: ["output"] },
        ],
      };
  }
}

export function faultyOnnx(kind: FaultKind, features: number): Uint8Array {
  return buildOnnxModel(faultyOnnxGraph(kind, features));
}

export function writeOnnxFile(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
}
