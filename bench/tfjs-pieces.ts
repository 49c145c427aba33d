// Where the time of TF.js's neural-bench figures goes (issue 6): the batched run on 1,000 rows and the one-row
// call behind the per-agent baseline, taken apart on the MLP of bench/neural-bench.ts (32→128→128→8 ReLU), in one
// process with the variants interleaved.
//
//   batch, tidyRead          — what TfjsBackend does: execute inside tf.tidy, read the output after the scope
//   batch, read inside tidy  — the same with dataSync inside tf.tidy's function (the previous TfjsBackend)
//   batch, graph model       — the same MLP saved as a TF.js graph model, executed and read with tidyRead
//   batch, predict           — LayersModel.predict with a batch size of 1,000, read with tidyRead
//   batch, compute only      — the three fused MatMul+bias(+ReLU) kernels on a prebuilt input, nothing read
//   layer k                  — each kernel alone on a prebuilt input of its size, with its GFLOP/s
//   row, execute             — the per-agent call: a tensor from one row, execute, dataSync, dispose
//   row, fused ops           — the same MLP as three tf.fused.matMul calls instead of the layers model
//
// Run: node bin/run-ts.mjs bench/tfjs-pieces.ts [--tfjs-threads N] [--json]
import type * as TF from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { seededMlp } from "../src/runtime/neural/mlp.ts";
import { tidyRead } from "../src/runtime/neural/tfjs-backend.ts";
import { loadTfjs } from "../src/runtime/neural/tfjs-platform.ts";
import { tfjsFileLoadHandler } from "../src/runtime/neural/tfjs-files.ts";
import { mlpTfjsModel, saveMlpTfjsGraph } from "../src/runtime/neural/tfjs-writer.ts";
import { Xoshiro128 } from "../src/runtime/rng.ts";
import { median } from "./workloads/timing.ts";

const DIMS = [32, 128, 128, 8] as const;
const ROWS = 1000;

export interface TfjsPiece {
  readonly name: string;
  /** Median microseconds per call. */
  readonly us: number;
  /** Fastest sample, microseconds. */
  readonly bestUs: number;
  /** Useful floating-point work per second (multiply and add counted apart), for the kernels. */
  readonly gflops?: number;
}

export async function runTfjsPieces(options: { threads?: number; samples?: number } = {}): Promise<{ backend: string; threads: number; pieces: TfjsPiece[] }> {
  const platform = await loadTfjs({ wasmThreads: options.threads });
  const tf = platform.tf;
  const mlp = seededMlp(DIMS, 1);
  const model = mlpTfjsModel(tf, mlp);
  const dir = mkdtempSync(join(tmpdir(), "hpol-tfjs-pieces-"));
  saveMlpTfjsGraph(mlp, dir);
  const graph = await tf.loadGraphModel(tfjsFileLoadHandler(join(dir, "model.json")));
  rmSync(dir, { recursive: true, force: true });
  const output = model.outputs[0]!.name;
  const rng = new Xoshiro128(7);
  const batch = Float32Array.from({ length: ROWS * DIMS[0] }, () => rng.next() * 4 - 2);
  const row = batch.subarray(0, DIMS[0]);
  const weights = model.layers.map((l) => l.getWeights());
  const layerInputs = DIMS.slice(0, 3).map((d) => tf.randomUniform([ROWS, d], -1, 1));
  const prebuilt = tf.tensor2d(batch, [ROWS, DIMS[0]]);
  const fusedMlp = (x: TF.Tensor2D) =>
    tf.fused.matMul({
      a: tf.fused.matMul({ a: tf.fused.matMul({ a: x, b: weights[0]![0] as TF.Tensor2D, bias: weights[0]![1], activation: "relu" }), b: weights[1]![0] as TF.Tensor2D, bias: weights[1]![1], activation: "relu" }),
      b: weights[2]![0] as TF.Tensor2D,
      bias: weights[2]![1],
    });
  const executeOn = (data: Float32Array, rows: number) => () => [model.execute(tf.tensor2d(data, [rows, DIMS[0]]), output) as TF.Tensor];
  const flops = (l: number) => 2 * ROWS * DIMS[l]! * DIMS[l + 1]!;
  const variants: { name: string; run: () => unknown; gflop?: number }[] = [
    { name: "batch of 1,000, tidyRead (TfjsBackend)", run: () => tidyRead(tf, executeOn(batch, ROWS)) },
    { name: "batch of 1,000, read inside tf.tidy", run: () => tf.tidy(() => (executeOn(batch, ROWS)()[0] as TF.Tensor).dataSync()) },
    { name: "batch of 1,000, graph model, tidyRead", run: () => tidyRead(tf, () => [graph.execute(tf.tensor2d(batch, [ROWS, DIMS[0]])) as TF.Tensor]) },
    { name: "batch of 1,000, predict, tidyRead", run: () => tidyRead(tf, () => [model.predict(tf.tensor2d(batch, [ROWS, DIMS[0]]), { batchSize: ROWS }) as TF.Tensor]) },
    { name: "batch of 1,000, compute only", run: () => tf.tidy(() => void fusedMlp(prebuilt)), gflop: (flops(0) + flops(1) + flops(2)) / 1e9 },
    ...[0, 1, 2].map((l) => ({
      name: `layer ${l + 1} (${ROWS}×${DIMS[l]} · ${DIMS[l]}×${DIMS[l + 1]})`,
      run: () => tf.tidy(() => void tf.fused.matMul({ a: layerInputs[l] as TF.Tensor2D, b: weights[l]![0] as TF.Tensor2D, bias: weights[l]![1], activation: l < 2 ? "relu" : "linear" })),
      gflop: flops(l) / 1e9,
    })),
    {
      name: "one row, execute (per-agent call)",
      run: () => {
        const x = tf.tensor2d(row, [1, DIMS[0]]);
        const y = model.execute(x, output) as TF.Tensor;
        y.dataSync();
        x.dispose();
        y.dispose();
      },
    },
    { name: "one row, fused ops", run: () => tidyRead(tf, () => [fusedMlp(tf.tensor2d(row, [1, DIMS[0]]))]) },
  ];
  const samples = options.samples ?? 400;
  const times: number[][] = variants.map(() => []);
  for (let i = 0; i < 30; i++) for (const v of variants) v.run();
  // One-row calls are too short to time one by one: each sample is 50 calls.
  const repeat = variants.map((v) => (v.name.startsWith("one row") ? 50 : 1));
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < variants.length; k++) {
      const which = (s + k) % variants.length;
      const start = performance.now();
      for (let r = 0; r < repeat[which]!; r++) variants[which]!.run();
      times[which]!.push(((performance.now() - start) * 1000) / repeat[which]!);
    }
  }
  const pieces = variants.map((v, k) => {
    const us = median(times[k]!);
    return { name: v.name, us, bestUs: Math.min(...times[k]!), ...(v.gflop ? { gflops: v.gflop / (us / 1e6) } : {}) };
  });
  tf.dispose([prebuilt, ...layerInputs]);
  model.dispose();
  graph.dispose();
  return { backend: platform.backend, threads: platform.threads, pieces };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const flag = process.argv.indexOf("--tfjs-threads");
  const result = await runTfjsPieces({ threads: flag > 0 ? Number(process.argv[flag + 1]) : undefined });
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`TF.js ${result.backend}, ${result.threads} thread(s)\n`);
    console.log("| piece | median (µs) | fastest (µs) | GFLOP/s |\n|---|---:|---:|---:|");
    for (const p of result.pieces) console.log(`| ${p.name} | ${p.us.toFixed(1)} | ${p.bestUs.toFixed(1)} | ${p.gflops ? p.gflops.toFixed(1) : ""} |`);
  }
}
