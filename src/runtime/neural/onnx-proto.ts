// A minimal ONNX protobuf schema, built with protobufjs's reflection API. It covers only what hpol writes
// (generated test and example models) and reads (graph inputs and outputs for signature checks). Field numbers
// are those of the public ONNX IR specification; fields we do not model are skipped by the decoder, so files
// produced by other exporters still decode.
import protobuf from "protobufjs";

/** ONNX TensorProto.DataType values that hpol reads or writes. */
export const OnnxDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

/** ONNX AttributeProto.AttributeType values. */
export const OnnxAttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

// Plain-object views of the messages. int64 fields decode as numbers or Long objects depending on the value
// (see `int64ToNumber`); on encode, numbers are accepted.
export type Int64 = number | { toNumber(): number };

export interface OperatorSetIdMessage {
  domain?: string;
  version?: Int64;
}

export interface DimensionMessage {
  dim_value?: Int64;
  dim_param?: string;
  denotation?: string;
}

export interface TensorShapeMessage {
  dim?: DimensionMessage[];
}

export interface TypeMessage {
  tensor_type?: { elem_type?: number; shape?: TensorShapeMessage };
  denotation?: string;
}

export interface ValueInfoMessage {
  name?: string;
  type?: TypeMessage;
  doc_string?: string;
}

export interface TensorMessage {
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  name?: string;
  raw_data?: Uint8Array;
  doc_string?: string;
}

export interface AttributeMessage {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorMessage;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  doc_string?: string;
}

export interface NodeMessage {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeMessage[];
  doc_string?: string;
}

export interface GraphMessage {
  node?: NodeMessage[];
  name?: string;
  initializer?: TensorMessage[];
  doc_string?: string;
  input?: ValueInfoMessage[];
  output?: ValueInfoMessage[];
  value_info?: ValueInfoMessage[];
}

export interface ModelMessage {
  ir_version?: Int64;
  opset_import?: OperatorSetIdMessage[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphMessage;
}

type FieldRule = "optional" | "repeated";

interface FieldDef {
  readonly name: string;
  readonly id: number;
  readonly type: string;
  readonly rule?: FieldRule;
  readonly packed?: boolean;
  readonly oneof?: string;
}

function messageType(name: string, fields: readonly FieldDef[]): protobuf.Type {
  const type = new protobuf.Type(name);
  const oneofs = new Map<string, string[]>();
  for (const f of fields) {
    const options = f.packed === undefined ? undefined : { packed: f.packed };
    type.add(new protobuf.Field(f.name, f.id, f.type, f.rule ?? "optional", undefined, options));
    if (f.oneof) oneofs.set(f.oneof, [...(oneofs.get(f.oneof) ?? []), f.name]);
  }
  for (const [oneofName, members] of oneofs) type.add(new protobuf.OneOf(oneofName, members));
  return type;
}

function buildRoot(): protobuf.Root {
  const onnx = new protobuf.Namespace("onnx");

  onnx.add(
    messageType("OperatorSetIdProto", [
      { name: "domain", id: 1, type: "string" },
      { name: "version", id: 2, type: "int64" },
    ]),
  );

  // Dense payloads are written packed, as the ONNX schema declares them; the decoder accepts both encodings.
  onnx.add(
    messageType("TensorProto", [
      { name: "dims", id: 1, type: "int64", rule: "repeated", packed: true },
      { name: "data_type", id: 2, type: "int32" },
      { name: "float_data", id: 4, type: "float", rule: "repeated", packed: true },
      { name: "int32_data", id: 5, type: "int32", rule: "repeated", packed: true },
      { name: "string_data", id: 6, type: "bytes", rule: "repeated" },
      { name: "int64_data", id: 7, type: "int64", rule: "repeated", packed: true },
      { name: "name", id: 8, type: "string" },
      { name: "raw_data", id: 9, type: "bytes" },
      { name: "double_data", id: 10, type: "double", rule: "repeated", packed: true },
      { name: "doc_string", id: 12, type: "string" },
    ]),
  );

  const shape = messageType("TensorShapeProto", [{ name: "dim", id: 1, type: "Dimension", rule: "repeated" }]);
  shape.add(
    messageType("Dimension", [
      { name: "dim_value", id: 1, type: "int64", oneof: "value" },
      { name: "dim_param", id: 2, type: "string", oneof: "value" },
      { name: "denotation", id: 3, type: "string" },
    ]),
  );
  onnx.add(shape);

  const typeProto = messageType("TypeProto", [
    { name: "tensor_type", id: 1, type: "Tensor", oneof: "value" },
    { name: "denotation", id: 6, type: "string" },
  ]);
  typeProto.add(
    messageType("Tensor", [
      { name: "elem_type", id: 1, type: "int32" },
      { name: "shape", id: 2, type: "TensorShapeProto" },
    ]),
  );
  onnx.add(typeProto);

  onnx.add(
    messageType("ValueInfoProto", [
      { name: "name", id: 1, type: "string" },
      { name: "type", id: 2, type: "TypeProto" },
      { name: "doc_string", id: 3, type: "string" },
    ]),
  );

  // Repeated attribute scalars are not declared packed in the ONNX schema, so they are written expanded.
  onnx.add(
    messageType("AttributeProto", [
      { name: "name", id: 1, type: "string" },
      { name: "f", id: 2, type: "float" },
      { name: "i", id: 3, type: "int64" },
      { name: "s", id: 4, type: "bytes" },
      { name: "t", id: 5, type: "TensorProto" },
      { name: "g", id: 6, type: "GraphProto" },
      { name: "floats", id: 7, type: "float", rule: "repeated", packed: false },
      { name: "ints", id: 8, type: "int64", rule: "repeated", packed: false },
      { name: "strings", id: 9, type: "bytes", rule: "repeated" },
      { name: "tensors", id: 10, type: "TensorProto", rule: "repeated" },
      { name: "graphs", id: 11, type: "GraphProto", rule: "repeated" },
      { name: "doc_string", id: 13, type: "string" },
      { name: "type", id: 20, type: "int32" },
    ]),
  );

  onnx.add(
    messageType("NodeProto", [
      { name: "input", id: 1, type: "string", rule: "repeated" },
      { name: "output", id: 2, type: "string", rule: "repeated" },
      { name: "name", id: 3, type: "string" },
      { name: "op_type", id: 4, type: "string" },
      { name: "attribute", id: 5, type: "AttributeProto", rule: "repeated" },
      { name: "doc_string", id: 6, type: "string" },
      { name: "domain", id: 7, type: "string" },
    ]),
  );

  onnx.add(
    messageType("GraphProto", [
      { name: "node", id: 1, type: "NodeProto", rule: "repeated" },
      { name: "name", id: 2, type: "string" },
      { name: "initializer", id: 5, type: "TensorProto", rule: "repeated" },
      { name: "doc_string", id: 10, type: "string" },
      { name: "input", id: 11, type: "ValueInfoProto", rule: "repeated" },
      { name: "output", id: 12, type: "ValueInfoProto", rule: "repeated" },
      { name: "value_info", id: 13, type: "ValueInfoProto", rule: "repeated" },
    ]),
  );

  onnx.add(
    messageType("ModelProto", [
      { name: "ir_version", id: 1, type: "int64" },
      { name: "producer_name", id: 2, type: "string" },
      { name: "producer_version", id: 3, type: "string" },
      { name: "domain", id: 4, type: "string" },
      { name: "model_version", id: 5, type: "int64" },
      { name: "doc_string", id: 6, type: "string" },
      { name: "graph", id: 7, type: "GraphProto" },
      { name: "opset_import", id: 8, type: "OperatorSetIdProto", rule: "repeated" },
    ]),
  );

  const root = new protobuf.Root();
  root.add(onnx);
  root.resolveAll();
  return root;
}

const root = buildRoot();

/** The resolved message types. Built once at module load; reflection types are immutable after resolveAll. */
export const OnnxProto = {
  ModelProto: root.lookupType("onnx.ModelProto"),
  GraphProto: root.lookupType("onnx.GraphProto"),
  TensorProto: root.lookupType("onnx.TensorProto"),
} as const;

export function encodeModel(model: ModelMessage): Uint8Array {
  const type = OnnxProto.ModelProto;
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}

/** Decodes a model; throws on malformed protobuf wire data (callers turn that into a diagnostic). */
export function decodeModel(bytes: Uint8Array): ModelMessage {
  const type = OnnxProto.ModelProto;
  return type.toObject(type.decode(bytes), { longs: Number }) as ModelMessage;
}

export function int64ToNumber(value: Int64 | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" ? value : value.toNumber();
}
