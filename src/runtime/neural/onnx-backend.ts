// onnxruntime-node on the CPU: one InferenceSession per model.
import * as ort from "onnxruntime-node";
import type { DenseTensor, InferenceBackend } from "./backend.ts";
import type { ModelInfo } from "./host.ts";

export interface OnnxBackendOptions {
  /**
   * Threads inside one operator; 0 lets onnxruntime decide (one per core). Default 1: a policy runs its trees in
   * JavaScript between inference calls, so a worker thread must be woken for every call, and on the shared
   * 2-core machines waking it cost far more than it saved on a 1,000-row batch of a small MLP (docs/neural.md).
   * Larger models may gain from more.
   */
  readonly intraOpNumThreads?: number;
  /**
   * With more than one thread: let the workers spin after a run, waiting for the next one. Off by default:
   * spinning workers compete with the tree's JavaScript for the cores.
   */
  readonly allowSpinning?: boolean;
}

/** onnxruntime session options for a backend's options; benchmarks use them too, so engine meets engine. */
export function onnxSessionOptions(options: OnnxBackendOptions = {}): ort.InferenceSession.SessionOptions {
  const spin = options.allowSpinning === true ? "1" : "0";
  return {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    // Errors reach callers as rejected runs; onnxruntime's own console logging would only duplicate them.
    logSeverityLevel: 4,
    extra: { session: { "intra_op.allow_spinning": spin, "inter_op.allow_spinning": spin } },
  };
}

type OrtInputType = "float32" | "float64" | "int32" | "int64" | "bool";

const ortTypeOf: Record<string, OrtInputType> = { f32: "float32", f64: "float64", i32: "int32", i64: "int64", bool: "bool" };

function toOrtTensor(tensor: DenseTensor, dtype: string): ort.Tensor {
  const dims = [...tensor.dims];
  switch (ortTypeOf[dtype] ?? "float32") {
    case "float32":
      return new ort.Tensor("float32", tensor.data, dims);
    case "float64":
      return new ort.Tensor("float64", Float64Array.from(tensor.data), dims);
    case "int32":
      return new ort.Tensor("int32", Int32Array.from(tensor.data, Math.round), dims);
    case "int64":
      return new ort.Tensor("int64", BigInt64Array.from(tensor.data, (v) => BigInt(Math.round(v))), dims);
    case "bool":
      return new ort.Tensor("bool", Uint8Array.from(tensor.data, (v) => (v !== 0 ? 1 : 0)), dims);
  }
}

function toDense(tensor: ort.Tensor): DenseTensor {
  const data = tensor.data;
  let floats: Float32Array;
  if (data instanceof Float32Array) floats = data;
  else if (data instanceof BigInt64Array || data instanceof BigUint64Array) floats = Float32Array.from(data, Number);
  else if (Array.isArray(data)) throw new Error(`output of type ${tensor.type} is not numeric`);
  else floats = Float32Array.from(data as ArrayLike<number>);
  return { data: floats, dims: tensor.dims };
}

export class OnnxBackend implements InferenceBackend {
  readonly kind = "onnx" as const;
  private session: ort.InferenceSession | undefined;

  private constructor(
    session: ort.InferenceSession,
    readonly info: ModelInfo,
  ) {
    this.session = session;
  }

  static async open(path: string, info: ModelInfo, options: OnnxBackendOptions = {}): Promise<OnnxBackend> {
    const session = await ort.InferenceSession.create(path, onnxSessionOptions(options));
    return new OnnxBackend(session, info);
  }

  // Not an async function: the frame awaits this call, and an async wrapper would add a microtask turn to it.
  run(inputs: readonly DenseTensor[]): Promise<DenseTensor[]> {
    const session = this.session;
    if (!session) return Promise.reject(new Error("the ONNX session was closed"));
    const feeds: Record<string, ort.Tensor> = {};
    try {
      const names = session.inputNames;
      for (let i = 0; i < names.length; i++) feeds[names[i]] = toOrtTensor(inputs[i], this.info.inputs[i]?.dtype ?? "f32");
    } catch (error) {
      return Promise.reject(error);
    }
    return session.run(feeds).then((results) => session.outputNames.map((name) => toDense(results[name])));
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await session.release();
  }
}
