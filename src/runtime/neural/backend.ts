// One interface over the inference engines. A backend holds one loaded model (one session) and runs whole
// batches: every input carries the batch as its leading dimension. Backends are opened lazily by the host on
// a model's first request and closed with the host.
import type { ModelInfo } from "./host.ts";
import type { ModelBackend, ModelInfoFailureKind } from "./model-info.ts";
import { readModelInfo } from "./model-info.ts";
import type { OnnxBackendOptions } from "./onnx-backend.ts";
import { OnnxBackend } from "./onnx-backend.ts";
import type { TfjsPlatformOptions } from "./tfjs-platform.ts";
import { TfjsBackend } from "./tfjs-backend.ts";

/** A dense row-major float tensor. Inputs are converted to the model's dtype by the backend. */
export interface DenseTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface InferenceBackend {
  readonly kind: ModelBackend;
  /** The model's signature as read from its file by readModelInfo (inputs and outputs in model order). */
  readonly info: ModelInfo;
  /** Runs one batch. Rejects when the engine reports an error; the host turns that into error results. */
  run(inputs: readonly DenseTensor[]): Promise<DenseTensor[]>;
  /** Releases the session. Idempotent. */
  close(): Promise<void>;
}

export interface BackendOptions {
  readonly onnx?: OnnxBackendOptions;
  readonly tfjs?: TfjsPlatformOptions;
}

/** Why a model could not be opened; `kind` follows readModelInfo, plus "load" for engine load errors. */
export class ModelLoadError extends Error {
  readonly kind: ModelInfoFailureKind | "load";
  constructor(kind: ModelInfoFailureKind | "load", message: string) {
    super(message);
    this.name = "ModelLoadError";
    this.kind = kind;
  }
}

/**
 * Opens a model: reads its signature with the same readModelInfo the compiler's check uses, then creates the
 * engine's session. Rejects with a ModelLoadError.
 */
export async function openBackend(path: string, backend: ModelBackend, options: BackendOptions = {}): Promise<InferenceBackend> {
  const read = readModelInfo(path, backend);
  if (!read.ok) throw new ModelLoadError(read.kind, read.message);
  try {
    return backend === "onnx"
      ? await OnnxBackend.open(path, read.info, options.onnx)
      : await TfjsBackend.open(path, read.info, options.tfjs);
  } catch (error) {
    throw new ModelLoadError("load", error instanceof Error ? error.message : String(error));
  }
}
