import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { mlpForward, seededMlp } from "../../src/runtime/neural/mlp.ts";
import { mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import {
  ChunkCursor,
  argmax,
  chunkStep,
  clip,
  denormalise,
  normalise,
  refineBatch,
  sampleCategorical,
  sampleGaussian,
  sampleGaussianVector,
  sampleLogits,
  softmax,
} from "../../src/runtime/neural/processing.ts";
import { Xoshiro128 } from "../../src/runtime/rng.ts";
import { randomRows, writeOnnxModels } from "./models.ts";

describe("normalise, denormalise, clip", () => {
  it("normalises with scalar or per-element statistics and inverts exactly enough", () => {
    expect(Array.from(normalise([1, 2, 3], 2, 0.5))).toEqual([-2, 0, 2]);
    expect(Array.from(normalise([1, 2, 3], [1, 1, 1], [1, 2, 0]))).toEqual([0, 0.5, 0]);
    const x = [0.25, -3, 7.5];
    const back = denormalise(normalise(x, [1, 2, 3], [2, 4, 8]), [1, 2, 3], [2, 4, 8]);
    back.forEach((v, i) => expect(v).toBeCloseTo(x[i], 6));
  });

  it("clips into range and maps NaN to the lower bound", () => {
    expect(Array.from(clip([-5, 0.5, 5, Number.NaN], -1, 1))).toEqual([-1, 0.5, 1, -1]);
    expect(Array.from(clip([3, 3], [0, 4], [2, 6]))).toEqual([2, 4]);
  });

  it("writes into a given buffer instead of allocating", () => {
    const out = new Float32Array(2);
    expect(clip([9, -9], 0, 1, out)).toBe(out);
    expect(normalise([1, 1], 0, 1, out)).toBe(out);
  });
});

describe("argmax and softmax", () => {
  it("returns the first index on ties, ignores NaN, honours a sub-range", () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([Number.NaN, 0, -1])).toBe(1);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
    expect(argmax([9, 1, 5, 2], 1, 3)).toBe(1);
    expect(argmax([])).toBe(-1);
  });

  it("softmax sums to one, survives huge logits and is one-hot at temperature 0", () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(argmax(p)).toBe(1);
    expect(Array.from(softmax([0.1, 0.7, 0.2], 0))).toEqual([0, 1, 0]);
  });
});

describe("seeded sampling", () => {
  const draws = (seed: number, f: (rng: Xoshiro128) => number, n = 200) => {
    const rng = new Xoshiro128(seed);
    return Array.from({ length: n }, () => f(rng));
  };

  it("is deterministic per seed and differs across seeds", () => {
    const cat = (rng: Xoshiro128) => sampleCategorical([0.2, 0.5, 0.3], rng);
    expect(draws(7, cat)).toEqual(draws(7, cat));
    expect(draws(7, cat)).not.toEqual(draws(8, cat));
    const gauss = (rng: Xoshiro128) => sampleGaussian(1, 2, rng);
    expect(draws(7, gauss)).toEqual(draws(7, gauss));
    expect(draws(7, gauss)).not.toEqual(draws(8, gauss));
    const logits = (rng: Xoshiro128) => sampleLogits([0, 1, 2], rng, 0.5);
    expect(draws(3, logits)).toEqual(draws(3, logits));
  });

  it("draws categories in proportion to their weights", () => {
    const counts = [0, 0, 0, 0];
    for (const i of draws(99, (rng) => sampleCategorical([1, 0, 3, -2], rng), 20000)) counts[i]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(counts[0] / 20000).toBeGreaterThan(0.23);
    expect(counts[0] / 20000).toBeLessThan(0.27);
  });

  it("draws uniformly when no weight is positive, and never returns an out-of-range index", () => {
    const seen = new Set(draws(5, (rng) => sampleCategorical([0, Number.NaN, -1], rng), 300));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(sampleCategorical([], new Xoshiro128(1))).toBe(-1);
  });

  it("consumes a fixed number of draws whatever the weights, keeping streams aligned", () => {
    const a = new Xoshiro128(11);
    const b = new Xoshiro128(11);
    sampleCategorical([1, 2, 3], a);
    sampleCategorical([0, 0, 0], b);
    expect(a.next()).toBe(b.next());
    const c = new Xoshiro128(12);
    const d = new Xoshiro128(12);
    sampleGaussian(0, 1, c);
    sampleGaussian(5, 0, d);
    expect(c.next()).toBe(d.next());
  });

  it("gaussian draws have the requested mean and spread", () => {
    const xs = draws(21, (rng) => sampleGaussian(3, 0.5, rng), 20000);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.02);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    expect(Array.from(sampleGaussianVector([1, 2], 0, new Xoshiro128(1)))).toEqual([1, 2]);
  });
});

describe("action chunks", () => {
  const output = Float32Array.from([0, 1, 10, 11, 20, 21]);

  it("slices one step of a chunked output without copying", () => {
    const step = chunkStep(output, 3, 1);
    expect(Array.from(step)).toEqual([10, 11]);
    expect(step.buffer).toBe(output.buffer);
    expect(() => chunkStep(output, 4, 0)).toThrow(RangeError);
    expect(() => chunkStep(output, 3, 3)).toThrow(RangeError);
  });

  it("plays a chunk one step per call, and drops it on preemption", () => {
    const cursor = new ChunkCursor();
    expect(cursor.exhausted).toBe(true);
    cursor.load([output], 3);
    expect(cursor.remaining).toBe(3);
    expect(cursor.next()!.map((o) => Array.from(o))).toEqual([[0, 1]]);
    expect(cursor.next()!.map((o) => Array.from(o))).toEqual([[10, 11]]);
    cursor.drop();
    expect(cursor.exhausted).toBe(true);
    expect(cursor.next()).toBeUndefined();
    cursor.load([output], 2);
    expect(cursor.next()!.map((o) => Array.from(o))).toEqual([[0, 1, 10]]);
    expect(cursor.next()!.map((o) => Array.from(o))).toEqual([[11, 20, 21]]);
    expect(cursor.exhausted).toBe(true);
  });
});

describe("iterative refinement", () => {
  const models = writeOnnxModels();
  afterAll(() => models.cleanup());
  const denoiser = seededMlp([4, 12, 4], 31, { hiddenActivation: "tanh", outputActivation: "tanh" });
  const path = join(models.dir, "denoiser.onnx");
  writeFileSync(path, mlpOnnx(denoiser));

  it("feeds the output back k times, batched, matching the reference and per-agent runs exactly", async () => {
    const rows = randomRows(9, 4, 17);
    const refine = { times: 3, from: 0, to: 0 };
    const host = new BatchingNeuralHost([{ name: "Denoise", path, backend: "onnx" }]);
    const batched = await refineBatch(host, 0, rows.map((r) => [r]), refine);
    expect(host.stats.batches).toBe(4);
    for (let a = 0; a < rows.length; a++) {
      let x: ArrayLike<number> = rows[a];
      for (let k = 0; k <= refine.times; k++) x = mlpForward(denoiser, x, 1);
      const r = batched[a];
      expect(r.ok).toBe(true);
      if (r.ok) r.outputs[0].forEach((v, i) => expect(Math.abs(v - x[i])).toBeLessThan(1e-5));
    }
    const single = [];
    for (const row of rows) single.push((await refineBatch(host, 0, [[row]], refine))[0]);
    expect(single).toEqual(batched);
    await host.close();
  });

  it("stops an agent at its first failure and carries on with the others", async () => {
    const host = new BatchingNeuralHost([{ name: "Denoise", path, backend: "onnx" }]);
    const rows = randomRows(2, 4, 3);
    const results = await refineBatch(host, 0, [[rows[0]], [rows[1].subarray(1)]], { times: 2, from: 0, to: 0 });
    expect(results.map((r) => (r.ok ? "ok" : r.code))).toEqual(["ok", "HP8104"]);
    expect(host.stats.rows).toBe(3);
    await host.close();
  });
});
