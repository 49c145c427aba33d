// Writes MLPs with known weights as TF.js layers models (model.json + weights.bin), through TF.js's own
// serialisation and our file IO handler, so the files are exactly what TF.js produces and loads.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Activation, MlpDefinition } from "./mlp.ts";
import { mlpInputSize } from "./mlp.ts";
import { tfjsFileSaveHandler } from "./tfjs-files.ts";
import type { Tfjs } from "./tfjs-platform.ts";

const tfjsActivation: Record<Activation, "relu" | "tanh" | "sigmoid" | "linear"> = {
  relu: "relu",
  tanh: "tanh",
  sigmoid: "sigmoid",
  linear: "linear",
};

export interface MlpTfjsOptions {
  /** Name of the model input (an explicit InputLayer); default "<first layer>_input", TF.js's own. */
  readonly inputName?: string;
  /** Name of the last layer, which names the model output; default "layer<n-1>". */
  readonly outputName?: string;
}

/** Builds the Sequential model in memory. The caller owns it and must dispose it. */
export function mlpTfjsModel(tf: Tfjs, mlp: MlpDefinition, options: MlpTfjsOptions = {}): ReturnType<Tfjs["sequential"]> {
  const model = tf.sequential({ name: "mlp" });
  const layerName = (l: number) => (l === mlp.layers.length - 1 && options.outputName ? options.outputName : `layer${l}`);
  if (options.inputName) model.add(tf.layers.inputLayer({ name: options.inputName, batchInputShape: [null, mlpInputSize(mlp)] }));
  mlp.layers.forEach((layer, l) => {
    const last = l === mlp.layers.length - 1;
    model.add(
      tf.layers.dense({
        name: layerName(l),
        units: layer.outputSize,
        activation: tfjsActivation[last ? mlp.outputActivation : mlp.hiddenActivation],
        useBias: true,
        ...(l === 0 && !options.inputName ? { batchInputShape: [null, mlpInputSize(mlp)] } : {}),
      }),
    );
  });
  mlp.layers.forEach((layer, l) => {
    const kernel = tf.tensor2d(layer.weights, [layer.inputSize, layer.outputSize], "float32");
    const bias = tf.tensor1d(layer.bias, "float32");
    model.getLayer(layerName(l)).setWeights([kernel, bias]);
    kernel.dispose();
    bias.dispose();
  });
  return model;
}

/** Saves the MLP as `dir`/model.json and `dir`/weights.bin. */
export async function saveMlpTfjs(tf: Tfjs, mlp: MlpDefinition, dir: string, options: MlpTfjsOptions = {}): Promise<void> {
  const model = mlpTfjsModel(tf, mlp, options);
  try {
    await model.save(tfjsFileSaveHandler(dir));
  } finally {
    model.dispose();
  }
}

export interface MlpGraphModelOptions {
  readonly inputName?: string;
  readonly outputName?: string;
}

const tfActivationOp: Record<Activation, string | null> = { relu: "Relu", tanh: "Tanh", sigmoid: "Sigmoid", linear: null };

/**
 * The MLP as a TF.js graph model (the format tfjs-converter produces from a TensorFlow SavedModel): a GraphDef in
 * JSON (Placeholder, Const weights, MatMul, BiasAdd, activations, Identity), a weights manifest naming the Const
 * nodes, and a signature naming the input and output. Written directly, without TF.js.
 */
export function mlpTfjsGraphModel(mlp: MlpDefinition, options: MlpGraphModelOptions = {}): { modelJson: object; weights: Uint8Array } {
  const inputName = options.inputName ?? "input";
  const outputName = options.outputName ?? "output";
  const float = { type: "DT_FLOAT" };
  const dims = (shape: readonly number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
  const nodes: object[] = [
    { name: inputName, op: "Placeholder", attr: { dtype: float, shape: { shape: dims([-1, mlpInputSize(mlp)]) } } },
  ];
  const specs: { name: string; shape: number[]; dtype: "float32" }[] = [];
  const parts: Float32Array[] = [];
  let current = inputName;
  mlp.layers.forEach((layer, l) => {
    const kind = l === mlp.layers.length - 1 ? mlp.outputActivation : mlp.hiddenActivation;
    const kernel = `layer${l}/kernel`;
    const bias = `layer${l}/bias`;
    for (const [name, shape, data] of [
      [kernel, [layer.inputSize, layer.outputSize], layer.weights],
      [bias, [layer.outputSize], layer.bias],
    ] as const) {
      nodes.push({ name, op: "Const", attr: { dtype: float, value: { tensor: { dtype: "DT_FLOAT", tensorShape: dims(shape) } } } });
      specs.push({ name, shape: [...shape], dtype: "float32" });
      parts.push(data);
    }
    nodes.push({ name: `layer${l}/MatMul`, op: "MatMul", input: [current, kernel], attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } } });
    nodes.push({ name: `layer${l}/BiasAdd`, op: "BiasAdd", input: [`layer${l}/MatMul`, bias], attr: { T: float } });
    current = `layer${l}/BiasAdd`;
    const op = tfActivationOp[kind];
    if (op) {
      nodes.push({ name: `layer${l}/${op}`, op, input: [current], attr: { T: float } });
      current = `layer${l}/${op}`;
    }
  });
  nodes.push({ name: "Identity", op: "Identity", input: [current], attr: { T: float } });
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  const tensorInfo = (name: string, shape: readonly number[]) => ({ name, dtype: "DT_FLOAT", tensorShape: dims(shape) });
  const modelJson = {
    format: "graph-model",
    generatedBy: "hpol",
    convertedBy: "hpol",
    modelTopology: { node: nodes, library: {}, versions: { producer: 1 } },
    weightsManifest: [{ paths: ["weights.bin"], weights: specs }],
    // Signature keys are the logical port names; `name` is the graph tensor that carries each one.
    signature: {
      inputs: { [inputName]: tensorInfo(`${inputName}:0`, [-1, mlpInputSize(mlp)]) },
      outputs: { [outputName]: tensorInfo("Identity:0", [-1, mlp.layers[mlp.layers.length - 1].outputSize]) },
    },
  };
  // Float32Array bytes are little-endian on every platform Node supports, as TF.js weight files are.
  return { modelJson, weights: new Uint8Array(all.buffer) };
}

/** Writes the graph model as `dir`/model.json and `dir`/weights.bin. */
export function saveMlpTfjsGraph(mlp: MlpDefinition, dir: string, options: MlpGraphModelOptions = {}): void {
  const { modelJson, weights } = mlpTfjsGraphModel(mlp, options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.json"), JSON.stringify(modelJson));
  writeFileSync(join(dir, "weights.bin"), weights);
}
