// The tiny ONNX models random neural policies run, written by the project's own ONNX writer into a directory at
// test time. Each is declared in a policy's IR with the same name, sizes and port names (IRBuilder.model names
// ports in0, in1, … and out0, …), so the batching host checks real outputs against the declaration.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededMlp } from "../../../src/runtime/neural/mlp.ts";
import { buildOnnxModel, mlpOnnx } from "../../../src/runtime/neural/onnx-writer.ts";
import { Xoshiro128 } from "../../../src/runtime/index.ts";

export interface RandomModel {
  readonly name: string;
  /** Per-agent element count of each input and output. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** policy: a plain MLP; logits: scores for argmax/sample; chunked: 3 steps of 2 values; refiner: fed back. */
export const RANDOM_MODELS = {
  policy: { name: "policy", inputs: [3], outputs: [2] },
  logits: { name: "logits", inputs: [2], outputs: [4] },
  chunked: { name: "chunked", inputs: [2], outputs: [6] },
  refiner: { name: "refiner", inputs: [2, 4], outputs: [4] },
} as const satisfies Record<string, RandomModel>;

export const CHUNK_STEPS = 3;

/** Writes every model of RANDOM_MODELS as `<name>.onnx` into `dir`. */
export function writeRandomModels(dir: string): void {
  const names = { inputName: "in0", outputName: "out0" };
  writeFileSync(join(dir, "policy.onnx"), mlpOnnx(seededMlp([3, 8, 2], 11, { outputActivation: "tanh" }), names));
  writeFileSync(join(dir, "logits.onnx"), mlpOnnx(seededMlp([2, 6, 4], 12), names));
  writeFileSync(join(dir, "chunked.onnx"), mlpOnnx(seededMlp([2, 6], 13, { outputActivation: "tanh" }), { ...names, style: "matmul" }));
  writeFileSync(join(dir, "refiner.onnx"), refinerOnnx());
}

/** out0 = tanh(concat(in0, in1) · W + b): two inputs, so refinement keeps in0 and feeds out0 back into in1. */
function refinerOnnx(): Uint8Array {
  const rng = new Xoshiro128(14, 1);
  const weights = Float32Array.from({ length: 6 * 4 }, () => (rng.next() * 2 - 1) * 0.8);
  const bias = Float32Array.from({ length: 4 }, () => (rng.next() * 2 - 1) * 0.1);
  return buildOnnxModel({
    name: "refiner",
    inputs: [
      { name: "in0", shape: ["batch", 2] },
      { name: "in1", shape: ["batch", 4] },
    ],
    outputs: [{ name: "out0", shape: ["batch", 4] }],
    initializers: [
      { name: "w", dims: [6, 4], data: weights },
      { name: "b", dims: [4], data: bias },
    ],
    nodes: [
      { op: "Concat", inputs: ["in0", "in1"], outputs: ["x"], attributes: [{ name: "axis", kind: "int", value: 1 }] },
      { op: "MatMul", inputs: ["x", "w"], outputs: ["xw"] },
      { op: "Add", inputs: ["xw", "b"], outputs: ["z"] },
      { op: "Tanh", inputs: ["z"], outputs: ["out0"] },
    ],
  });
}
