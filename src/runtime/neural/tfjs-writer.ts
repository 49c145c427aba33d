// Writes MLPs with known weights as TF.js layers models (model.json + weights.bin), through TF.js's own
// serialisation and our file IO handler, so the files are exactly what TF.js produces and loads.
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
