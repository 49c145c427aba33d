import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { Activation } from "../../src/runtime/neural/mlp.ts";
import { mlpForward, seededMlp } from "../../src/runtime/neural/mlp.ts";
import { faultyOnnx, mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import { Xoshiro128 } from "../../src/runtime/rng.ts";

const quiet = { logSeverityLevel: 4 as const };

function randomInput(length: number, seed: number): Float32Array {
  const rng = new Xoshiro128(seed);
  return Float32Array.from({ length }, () => rng.next() * 4 - 2);
}

async function run(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes, quiet);
  try {
    const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", input, dims) });
    return outputs[session.outputNames[0]];
  } finally {
    await session.release();
  }
}

describe("ONNX MLPs written from TypeScript", () => {
  const cases: [string, number[], Activation, Activation, "gemm" | "matmul"][] = [
    ["relu gemm", [32, 128, 128, 8], "relu", "linear", "gemm"],
    ["relu matmul", [32, 128, 128, 8], "relu", "linear", "matmul"],
    ["tanh with tanh output", [5, 7, 3], "tanh", "tanh", "gemm"],
    ["sigmoid single layer", [4, 2], "relu", "sigmoid", "matmul"],
  ];

  it.each(cases)("%s matches the TypeScript reference forward pass", async (_name, dims, hidden, output, style) => {
    const mlp = seededMlp(dims, 42, { hiddenActivation: hidden, outputActivation: output });
    const batch = 9;
    const input = randomInput(batch * dims[0], 5);
    const result = await run(mlpOnnx(mlp, { style }), input, [batch, dims[0]]);
    expect(result.dims).toEqual([batch, dims[dims.length - 1]]);
    const expected = mlpForward(mlp, input, batch);
    const actual = result.data as Float32Array;
    expect(actual.length).toBe(expected.length);
    let maxError = 0;
    for (let i = 0; i < expected.length; i++) maxError = Math.max(maxError, Math.abs(actual[i] - expected[i]));
    expect(maxError).toBeLessThan(1e-5);
  });

  it("gives different weights for different seeds and the same for the same seed", () => {
    expect(seededMlp([3, 4], 1).layers[0].weights).toEqual(seededMlp([3, 4], 1).layers[0].weights);
    expect(seededMlp([3, 4], 1).layers[0].weights).not.toEqual(seededMlp([3, 4], 2).layers[0].weights);
  });

  it("fixed-batch models accept only their batch size", async () => {
    const mlp = seededMlp([3, 2], 9);
    const bytes = mlpOnnx(mlp, { batch: 1 });
    await expect(run(bytes, randomInput(3, 1), [1, 3])).resolves.toBeDefined();
    await expect(run(bytes, randomInput(6, 1), [2, 3])).rejects.toThrow();
  });
});

describe("faulty ONNX models", () => {
  const input = new Float32Array([1, 2, 3, -1, 2, 3, 0, 1, 1]);

  it("log gives NaN for rows with a negative entry and -Inf for a zero", async () => {
    const out = (await run(faultyOnnx("log", 3), input, [3, 3])).data as Float32Array;
    expect(Array.from(out.subarray(0, 3)).every(Number.isFinite)).toBe(true);
    expect(Number.isNaN(out[3])).toBe(true);
    expect(out[6]).toBe(-Infinity);
  });

  it("div-zero gives no finite value", async () => {
    const out = (await run(faultyOnnx("div-zero", 3), input, [3, 3])).data as Float32Array;
    expect(Array.from(out).some(Number.isFinite)).toBe(false);
  });

  it("collapse-batch returns a single row for any batch", async () => {
    expect((await run(faultyOnnx("collapse-batch", 3), input, [3, 3])).dims).toEqual([1, 3]);
  });

  it("misdeclared-output computes fewer columns than it declares", async () => {
    expect((await run(faultyOnnx("misdeclared-output", 3), input, [3, 3])).dims).toEqual([3, 3]);
  });

  it("reshape-error loads but fails when run", async () => {
    const session = await ort.InferenceSession.create(faultyOnnx("reshape-error", 3), quiet);
    await expect(session.run({ input: new ort.Tensor("float32", input, [3, 3]) })).rejects.toThrow(/reshape/i);
    await session.release();
  });
});
