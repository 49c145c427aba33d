// Reads a model file's input and output signature: the one model-reading code shared by the compiler's
// signature check (issue 3 §5) and the runtime's neural backends. Synchronous, so the checker can call it
// inline; it reads only the small graph description (ONNX protobuf or TF.js model.json), never runs a model.
//
// Shapes: a number is a fixed size, a string a symbolic size (ONNX dim_param, e.g. "batch"), null an unknown
// size (an ONNX dim with neither value nor param, a TF.js -1 or null).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ModelInfo, TensorInfo } from "./host.ts";
import type { ModelMessage, TypeMessage, ValueInfoMessage } from "./onnx-proto.ts";
import { OnnxDataType, decodeModel, int64ToNumber } from "./onnx-proto.ts";

export type ModelBackend = "onnx" | "tfjs";

export type ModelInfoFailureKind = "missing" | "unreadable" | "invalid";

export type ModelInfoResult =
  | { readonly ok: true; readonly info: ModelInfo }
  | { readonly ok: false; readonly kind: ModelInfoFailureKind; readonly message: string };

/**
 * Reads the graph inputs and outputs of `absPath`. For "onnx" the path is an .onnx file; for "tfjs" it is a
 * model.json (or a directory holding one). Never throws: every problem is a `{ ok: false }` result.
 */
export function readModelInfo(absPath: string, backend: ModelBackend): ModelInfoResult {
  const file = read(absPath, backend);
  if (!file.ok) return file;
  try {
    return backend === "onnx" ? onnxInfo(file.bytes) : tfjsInfo(file.bytes);
  } catch (error) {
    return invalid(`cannot decode ${backend === "onnx" ? "ONNX model" : "TF.js model.json"}: ${messageOf(error)}`);
  }
}

function read(
  absPath: string,
  backend: ModelBackend,
): { ok: true; bytes: Uint8Array } | { ok: false; kind: ModelInfoFailureKind; message: string } {
  let path = absPath;
  try {
    if (backend === "tfjs" && statSync(absPath).isDirectory()) path = join(absPath, "model.json");
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, kind: "missing", message: `no such file: ${path}` };
    return { ok: false, kind: "unreadable", message: `cannot read ${path}: ${messageOf(error)}` };
  }
}

function invalid(message: string): { ok: false; kind: "invalid"; message: string } {
  return { ok: false, kind: "invalid", message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------------- ONNX

const onnxDTypeNames: Record<number, string> = {
  [OnnxDataType.FLOAT]: "f32",
  [OnnxDataType.DOUBLE]: "f64",
  [OnnxDataType.INT32]: "i32",
  [OnnxDataType.INT64]: "i64",
  [OnnxDataType.BOOL]: "bool",
  [OnnxDataType.UINT8]: "u8",
  [OnnxDataType.INT8]: "i8",
  [OnnxDataType.UINT16]: "u16",
  [OnnxDataType.INT16]: "i16",
  [OnnxDataType.UINT32]: "u32",
  [OnnxDataType.UINT64]: "u64",
  [OnnxDataType.FLOAT16]: "f16",
  [OnnxDataType.BFLOAT16]: "bf16",
  [OnnxDataType.STRING]: "string",
};

function onnxInfo(bytes: Uint8Array): ModelInfoResult {
  if (bytes.length === 0) return invalid("the file is empty");
  const model: ModelMessage = decodeModel(bytes);
  // Arbitrary bytes sometimes decode as a valid-looking message; a real model has an IR version and a graph
  // with at least one output.
  const irVersion = int64ToNumber(model.ir_version);
  const graph = model.graph;
  if (irVersion === undefined || irVersion <= 0 || !graph) return invalid("not an ONNX model (no IR version or graph)");
  if (!graph.output || graph.output.length === 0) return invalid("the ONNX graph declares no outputs");
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs: TensorInfo[] = [];
  for (const value of graph.input ?? []) {
    if (value.name !== undefined && initializerNames.has(value.name)) continue;
    inputs.push(onnxTensorInfo(value));
  }
  return { ok: true, info: { inputs, outputs: graph.output.map(onnxTensorInfo) } };
}

function onnxTensorInfo(value: ValueInfoMessage): TensorInfo {
  const tensor = (value.type as TypeMessage | undefined)?.tensor_type;
  const elemType = tensor?.elem_type ?? OnnxDataType.UNDEFINED;
  const shape = (tensor?.shape?.dim ?? []).map((d) => {
    const size = int64ToNumber(d.dim_value);
    if (size !== undefined) return size;
    if (d.dim_param !== undefined && d.dim_param !== "") return d.dim_param;
    return null;
  });
  return { name: value.name ?? "", dtype: onnxDTypeNames[elemType] ?? `onnx-type-${elemType}`, shape };
}

// ---------------------------------------------------------------------------------------------------- TF.js

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const tfjsDTypeNames: Record<string, string> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  int64: "i64",
  bool: "bool",
  string: "string",
  DT_FLOAT: "f32",
  DT_DOUBLE: "f64",
  DT_INT32: "i32",
  DT_INT64: "i64",
  DT_BOOL: "bool",
  DT_STRING: "string",
};

function tfjsDType(name: Json | undefined): string {
  return typeof name === "string" ? (tfjsDTypeNames[name] ?? name) : "f32";
}

function tfjsInfo(bytes: Uint8Array): ModelInfoResult {
  let json: Json;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as Json;
  } catch (error) {
    return invalid(`model.json is not valid JSON: ${messageOf(error)}`);
  }
  if (!isObject(json)) return invalid("model.json is not a JSON object");
  const topology = json["modelTopology"];
  if (!isObject(topology)) return invalid("model.json has no modelTopology object");
  const format = json["format"];
  const looksLikeGraph = Array.isArray(topology["node"]);
  if (format === "graph-model" || (format === undefined && looksLikeGraph)) return graphModelInfo(json, topology);
  if (format !== undefined && format !== "layers-model") return invalid(`unsupported TF.js model format "${String(format)}"`);
  // Keras exports nest the model under model_config; TF.js exports put it at the top.
  const modelConfig = isObject(topology["model_config"]) ? topology["model_config"] : topology;
  return layersModelInfo(modelConfig);
}

// Layers models: only the topology is stored, so input shapes come from the input layers' batch_input_shape and
// output shapes are derived by propagating shapes through the layers. Layer kinds whose output shape we do not
// derive give unknown (null) dimensions rather than a wrong guess.

type Shape = (number | null)[];

interface LayerJson {
  readonly className: string;
  readonly config: JsonObject;
  readonly name: string;
  /** Names of the layers feeding this one (first inbound node only: shared layers are not modelled). */
  readonly inbound: string[];
}

function toShape(value: Json | undefined): Shape | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((d) => (typeof d === "number" && d >= 0 ? d : null));
}

function parseLayer(value: Json): LayerJson | undefined {
  if (!isObject(value)) return undefined;
  const config = isObject(value["config"]) ? value["config"] : {};
  const className = typeof value["class_name"] === "string" ? value["class_name"] : "";
  const name = typeof value["name"] === "string" ? value["name"] : typeof config["name"] === "string" ? config["name"] : "";
  const inbound: string[] = [];
  const nodes = value["inbound_nodes"];
  if (Array.isArray(nodes) && nodes.length > 0) {
    const first = nodes[0];
    // Keras 2 style: [[layerName, nodeIndex, tensorIndex, kwargs], ...]; Keras 3 style: {args: [...]} objects.
    if (Array.isArray(first)) {
      for (const entry of first) if (Array.isArray(entry) && typeof entry[0] === "string") inbound.push(entry[0]);
    } else if (isObject(first) && Array.isArray(first["args"])) {
      collectKerasHistory(first["args"], inbound);
    }
  }
  return { className, config, name, inbound };
}

function collectKerasHistory(value: Json, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectKerasHistory(v, out);
  } else if (isObject(value)) {
    const history = isObject(value["config"]) ? value["config"]["keras_history"] : undefined;
    if (Array.isArray(history) && typeof history[0] === "string") out.push(history[0]);
  }
}

function declaredInputShape(config: JsonObject): Shape | undefined {
  return (
    toShape(config["batch_input_shape"]) ??
    toShape(config["batchInputShape"]) ??
    toShape(config["batch_shape"]) ??
    (Array.isArray(config["input_shape"]) ? [null, ...(toShape(config["input_shape"]) ?? [])] : undefined) ??
    (Array.isArray(config["inputShape"]) ? [null, ...(toShape(config["inputShape"]) ?? [])] : undefined)
  );
}

/** The output shape of one layer given its input shapes; unknown dims where the layer kind is not modelled. */
function layerOutputShape(layer: LayerJson, inputs: Shape[]): Shape {
  const input = inputs[0] ?? [null];
  const c = layer.config;
  switch (layer.className) {
    case "InputLayer":
      return declaredInputShape(c) ?? input;
    case "Dense":
      return [...input.slice(0, -1), typeof c["units"] === "number" ? c["units"] : null];
    case "Activation":
    case "ReLU":
    case "LeakyReLU":
    case "ELU":
    case "Softmax":
    case "Dropout":
    case "GaussianNoise":
    case "GaussianDropout":
    case "AlphaDropout":
    case "BatchNormalization":
    case "LayerNormalization":
      return input;
    case "Flatten": {
      const rest = input.slice(1);
      const size = rest.every((d): d is number => d !== null) ? rest.reduce((a, b) => a * b, 1) : null;
      return [input[0], size];
    }
    case "Reshape": {
      const target = toShape(c["target_shape"] ?? c["targetShape"]);
      return target ? [input[0], ...target] : [input[0], null];
    }
    case "RepeatVector":
      return [input[0], typeof c["n"] === "number" ? c["n"] : null, ...input.slice(1)];
    case "Add":
    case "Subtract":
    case "Multiply":
    case "Average":
    case "Maximum":
    case "Minimum":
      return input;
    case "Concatenate": {
      const axisRaw = typeof c["axis"] === "number" ? c["axis"] : -1;
      const axis = axisRaw < 0 ? input.length + axisRaw : axisRaw;
      const out = [...input];
      let total: number | null = 0;
      for (const s of inputs) total = total !== null && s[axis] !== null && s[axis] !== undefined ? total + (s[axis] as number) : null;
      out[axis] = total;
      return out;
    }
    default:
      return input.map((_d, i) => (i === 0 ? input[0] : null));
  }
}

function layersModelInfo(modelConfig: JsonObject): ModelInfoResult {
  const className = modelConfig["class_name"];
  const config = modelConfig["config"];
  // Sequential configs are {name, layers} in TF.js and modern Keras, a bare layer list in old Keras.
  const layerList = Array.isArray(config) ? config : isObject(config) ? config["layers"] : undefined;
  if (!Array.isArray(layerList) || layerList.length === 0) return invalid("the layers model has no layers");
  const layers = layerList.map(parseLayer);
  if (layers.some((l) => l === undefined)) return invalid("a layer in the model topology is not an object");
  const parsed = layers as LayerJson[];
  const dtypeOf = (l: LayerJson): string => tfjsDType(l.config["dtype"]);

  if (className === "Sequential") {
    const first = parsed[0];
    let shape: Shape | undefined = declaredInputShape(first.config);
    if (!shape) return invalid("the first layer of the Sequential model declares no input shape");
    const inputName = first.className === "InputLayer" ? first.name : `${first.name}_input`;
    const input: TensorInfo = { name: inputName, dtype: dtypeOf(first), shape };
    for (const layer of parsed) shape = layerOutputShape(layer, [shape]);
    const last = parsed[parsed.length - 1];
    return { ok: true, info: { inputs: [input], outputs: [{ name: last.name, dtype: dtypeOf(last), shape }] } };
  }

  if (className === "Model" || className === "Functional") {
    if (!isObject(config)) return invalid("the functional model has no config object");
    const byName = new Map(parsed.map((l) => [l.name, l]));
    const shapes = new Map<string, Shape>();
    const visiting = new Set<string>();
    const shapeOf = (name: string): Shape => {
      const known = shapes.get(name);
      if (known) return known;
      const layer = byName.get(name);
      if (!layer || visiting.has(name)) return [null];
      visiting.add(name);
      const shape = layerOutputShape(layer, layer.inbound.map(shapeOf));
      visiting.delete(name);
      shapes.set(name, shape);
      return shape;
    };
    const endpoints = (key: string): string[] => {
      const list = config[key];
      if (!Array.isArray(list)) return [];
      // Either [[name, node, tensor], ...] or a single [name, node, tensor].
      const entries = list.length > 0 && typeof list[0] === "string" ? [list] : list;
      return entries.flatMap((e) => (Array.isArray(e) && typeof e[0] === "string" ? [e[0]] : []));
    };
    const inputNames = endpoints("input_layers");
    const outputNames = endpoints("output_layers");
    if (outputNames.length === 0) return invalid("the functional model declares no output_layers");
    const info = (name: string): TensorInfo => {
      const layer = byName.get(name);
      return { name, dtype: layer ? dtypeOf(layer) : "f32", shape: shapeOf(name) };
    };
    return { ok: true, info: { inputs: inputNames.map(info), outputs: outputNames.map(info) } };
  }

  return invalid(`unsupported layers model class "${String(className)}"`);
}

// Graph models (converted TF SavedModels): the signature, when present, names every input and output with its
// dtype and shape. Without it, inputs are the Placeholder nodes and outputs the nodes nothing consumes.

function tensorShapeJson(value: Json | undefined): Shape | undefined {
  if (!isObject(value)) return undefined;
  if (value["unknownRank"] === true) return undefined;
  const dims = value["dim"];
  if (!Array.isArray(dims)) return [];
  return dims.map((d) => {
    const size = isObject(d) ? Number(d["size"]) : NaN;
    return Number.isInteger(size) && size >= 0 ? size : null;
  });
}

function graphModelInfo(json: JsonObject, topology: JsonObject): ModelInfoResult {
  const signature = json["signature"] ?? (isObject(json["userDefinedMetadata"]) ? json["userDefinedMetadata"]["signature"] : undefined);
  if (isObject(signature) && isObject(signature["inputs"]) && isObject(signature["outputs"])) {
    const entries = (map: JsonObject): TensorInfo[] =>
      // The key is the port's logical name (what a spec declares); `name` is the graph tensor carrying it.
      Object.entries(map).map(([key, value]) => {
        const v = isObject(value) ? value : {};
        return { name: key, dtype: tfjsDType(v["dtype"]), shape: tensorShapeJson(v["tensorShape"]) ?? [] };
      });
    return { ok: true, info: { inputs: entries(signature["inputs"]), outputs: entries(signature["outputs"]) } };
  }
  const nodes = (topology["node"] as Json[]).filter(isObject);
  const consumed = new Set<string>();
  for (const node of nodes) {
    const inputs = node["input"];
    if (Array.isArray(inputs)) {
      for (const i of inputs) if (typeof i === "string") consumed.add(i.replace(/^\^/, "").split(":")[0]);
    }
  }
  const attr = (node: JsonObject, key: string): JsonObject | undefined => {
    const attrs = node["attr"];
    const value = isObject(attrs) ? attrs[key] : undefined;
    return isObject(value) ? value : undefined;
  };
  const inputs: TensorInfo[] = nodes
    .filter((n) => n["op"] === "Placeholder")
    .map((n) => ({
      name: String(n["name"]),
      dtype: tfjsDType(attr(n, "dtype")?.["type"]),
      shape: tensorShapeJson(attr(n, "shape")?.["shape"]) ?? [],
    }));
  const outputs: TensorInfo[] = nodes
    .filter((n) => typeof n["name"] === "string" && !consumed.has(n["name"]) && n["op"] !== "Const" && n["op"] !== "Placeholder")
    .map((n) => ({ name: String(n["name"]), dtype: tfjsDType(attr(n, "T")?.["type"]), shape: [] }));
  if (outputs.length === 0) return invalid("the graph model has no output nodes and no signature");
  return { ok: true, info: { inputs, outputs } };
}

/**
 * True when a per-agent shape (batch dimension removed) holds exactly one element: `[]`, `[1]`, `[1, 1]`, ….
 * The language reads such an output as a scalar, and the spec, the model file and the engine may each spell
 * it any of these ways: they hold the same one number per agent. The checker's signature check and port
 * types and the batching host's output check all decide it here.
 */
export function isSingleElement(perAgent: readonly (number | string | null)[]): boolean {
  return perAgent.every((d) => d === 1);
}
