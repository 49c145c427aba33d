// Multi-layer perceptrons with known weights: the models hpol generates for its tests, examples and benchmarks.
// The same definition is written to ONNX and TF.js, and `mlpForward` is the plain TypeScript reference that
// both backends' outputs are checked against.
import { Xoshiro128 } from "../rng.ts";

export type Activation = "relu" | "tanh" | "sigmoid" | "linear";

/** A fully connected layer computing y = x · W + b. */
export interface DenseLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  /** inputSize × outputSize, row-major (row i holds the weights leaving input i). */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export interface MlpDefinition {
  readonly layers: readonly DenseLayer[];
  /** Applied after every layer but the last. */
  readonly hiddenActivation: Activation;
  readonly outputActivation: Activation;
}

export interface SeededMlpOptions {
  readonly hiddenActivation?: Activation;
  readonly outputActivation?: Activation;
}

/**
 * An MLP with layer sizes `dims` (e.g. [32, 128, 128, 8]) and weights drawn from a seeded RNG, scaled like
 * Glorot-uniform so activations stay in a range where float32 rounding stays far below test tolerances.
 */
export function seededMlp(dims: readonly number[], seed: number, options: SeededMlpOptions = {}): MlpDefinition {
  if (dims.length < 2) throw new RangeError("an MLP needs at least an input and an output size");
  const rng = new Xoshiro128(seed, 0x6d6c70);
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    const inputSize = dims[l];
    const outputSize = dims[l + 1];
    const limit = Math.sqrt(6 / (inputSize + outputSize));
    const weights = new Float32Array(inputSize * outputSize);
    for (let i = 0; i < weights.length; i++) weights[i] = (rng.next() * 2 - 1) * limit;
    const bias = new Float32Array(outputSize);
    for (let i = 0; i < bias.length; i++) bias[i] = (rng.next() * 2 - 1) * 0.1;
    layers.push({ inputSize, outputSize, weights, bias });
  }
  return {
    layers,
    hiddenActivation: options.hiddenActivation ?? "relu",
    outputActivation: options.outputActivation ?? "linear",
  };
}

export function mlpInputSize(mlp: MlpDefinition): number {
  return mlp.layers[0].inputSize;
}

export function mlpOutputSize(mlp: MlpDefinition): number {
  return mlp.layers[mlp.layers.length - 1].outputSize;
}

function activate(kind: Activation, x: number): number {
  switch (kind) {
    case "relu":
      return x > 0 ? x : 0;
    case "tanh":
      return Math.tanh(x);
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "linear":
      return x;
  }
}

/**
 * Reference forward pass in float64 over `batch` rows of `input` (batch × inputSize, row-major).
 * Returns batch × outputSize. Backends compute in float32, so compare with a tolerance.
 */
export function mlpForward(mlp: MlpDefinition, input: ArrayLike<number>, batch: number): Float64Array {
  let current = Float64Array.from(input);
  if (current.length !== batch * mlpInputSize(mlp)) {
    throw new RangeError(`input has ${current.length} values, expected ${batch} × ${mlpInputSize(mlp)}`);
  }
  mlp.layers.forEach((layer, index) => {
    const kind = index === mlp.layers.length - 1 ? mlp.outputActivation : mlp.hiddenActivation;
    const next = new Float64Array(batch * layer.outputSize);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < layer.outputSize; o++) {
        let sum = layer.bias[o];
        for (let i = 0; i < layer.inputSize; i++) {
          sum += current[r * layer.inputSize + i] * layer.weights[i * layer.outputSize + o];
        }
        next[r * layer.outputSize + o] = activate(kind, sum);
      }
    }
    current = next;
  });
  return current;
}
