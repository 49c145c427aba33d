// TensorFlow.js: one LayersModel or GraphModel per model file, loaded through our file IO handler. Every run
// computes inside tf.tidy and reads its outputs back synchronously right after, so no tensor outlives a batch.
import type * as TF from "@tensorflow/tfjs";
import { join } from "node:path";
import { statSync } from "node:fs";
import type { DenseTensor, InferenceBackend } from "./backend.ts";
import type { ModelInfo } from "./host.ts";
import { tfjsFileLoadHandler } from "./tfjs-files.ts";
import type { Tfjs, TfjsPlatform, TfjsPlatformOptions } from "./tfjs-platform.ts";
import { loadTfjs } from "./tfjs-platform.ts";

type LoadedModel = TF.LayersModel | TF.GraphModel;

const tfDTypeOf: Record<string, "float32" | "int32" | "bool"> = { f32: "float32", f64: "float32", i32: "int32", i64: "int32", bool: "bool" };

function modelJsonPath(path: string): string {
  return statSync(path).isDirectory() ? join(path, "model.json") : path;
}

export class TfjsBackend implements InferenceBackend {
  readonly kind = "tfjs" as const;
  private model: LoadedModel | undefined;
  /** A layers model's output tensor names, in output order, as `execute` wants them; graph models use their own. */
  private readonly outputNames: string[] | undefined;

  private constructor(
    private readonly platform: TfjsPlatform,
    model: LoadedModel,
    readonly info: ModelInfo,
  ) {
    this.model = model;
    this.outputNames = "layers" in model ? model.outputs.map((o) => o.name) : undefined;
  }

  static async open(path: string, info: ModelInfo, options: TfjsPlatformOptions = {}): Promise<TfjsBackend> {
    const platform = await loadTfjs(options);
    const jsonPath = modelJsonPath(path);
    const handler = tfjsFileLoadHandler(jsonPath);
    const artifacts = await handler.load!();
    const fixed: TF.io.IOHandler = { load: async () => artifacts };
    const model: LoadedModel =
      artifacts.format === "graph-model" || (artifacts.format === undefined && Array.isArray((artifacts.modelTopology as { node?: unknown }).node))
        ? await platform.tf.loadGraphModel(fixed)
        : await platform.tf.loadLayersModel(fixed);
    return new TfjsBackend(platform, model, info);
  }

  /** The TF.js backend in use ("tensorflow", "wasm" or "cpu"). */
  get engine(): string {
    return this.platform.backend;
  }

  async run(inputs: readonly DenseTensor[]): Promise<DenseTensor[]> {
    const model = this.model;
    if (!model) throw new Error("the TF.js model was closed");
    const tf = this.platform.tf;
    return tidyRead(tf, () => {
      const xs = inputs.map((input, i) => tf.tensor(input.data, [...input.dims], tfDTypeOf[this.info.inputs[i]?.dtype ?? "f32"] ?? "float32"));
      // execute, not predict: LayersModel.predict splits its input into batches of 32 by default, which for a
      // 1,000-agent batch costs several times the work of one pass over the whole batch.
      const feed = xs.length === 1 ? xs[0] : xs;
      const raw = this.outputNames ? (model as TF.LayersModel).execute(feed, this.outputNames) : (model as TF.GraphModel).execute(feed);
      return raw instanceof tf.Tensor ? [raw] : Array.isArray(raw) ? raw : this.info.outputs.map((o) => (raw as TF.NamedTensorMap)[o.name]);
    });
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    model?.dispose();
  }
}

/**
 * Runs `compute` inside tf.tidy, which disposes every tensor it makes except the ones it returns, then reads
 * those back and disposes them. The values are read after the scope closes on purpose: tf.tidy walks whatever
 * its function returns, element by element, looking for tensors, so returning the read values from inside it
 * cost a pass over every output number (about 0.8 ms for a 1000×8 output on wasm, as long as the MLP itself).
 */
export function tidyRead(tf: Tfjs, compute: () => readonly TF.Tensor[]): DenseTensor[] {
  const ys = tf.tidy(() => [...compute()]);
  try {
    return ys.map((y) => {
      const values = y.dataSync();
      return { data: values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>), dims: y.shape };
    });
  } finally {
    tf.dispose(ys);
  }
}
