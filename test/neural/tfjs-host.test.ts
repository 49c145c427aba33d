import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { mlpForward, seededMlp } from "../../src/runtime/neural/mlp.ts";
import { readModelInfo } from "../../src/runtime/neural/model-info.ts";
import { tidyRead } from "../../src/runtime/neural/tfjs-backend.ts";
import type { TfjsPlatform } from "../../src/runtime/neural/tfjs-platform.ts";
import { loadTfjs } from "../../src/runtime/neural/tfjs-platform.ts";
import { saveMlpTfjs, saveMlpTfjsGraph } from "../../src/runtime/neural/tfjs-writer.ts";
import { describeBatchingContract } from "./batching-contract.ts";
import { randomRows } from "./models.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-tfjs-"));
const mlp = seededMlp([6, 16, 16, 4], 11);
const otherMlp = seededMlp([3, 5, 2], 77, { hiddenActivation: "tanh", outputActivation: "sigmoid" });
let platform: TfjsPlatform;

beforeAll(async () => {
  platform = await loadTfjs();
  await saveMlpTfjs(platform.tf, mlp, join(dir, "mlp"));
  await saveMlpTfjs(platform.tf, otherMlp, join(dir, "other"));
  saveMlpTfjsGraph(mlp, join(dir, "mlp-graph"));
  saveMlpTfjsGraph(otherMlp, join(dir, "other-graph"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("TF.js platform", () => {
  it("selects tfjs-node when it is installed, else the wasm backend", async () => {
    const specifier = "@tensorflow/tfjs-node";
    const hasNode = await import(specifier).then(
      () => true,
      () => false,
    );
    expect(platform.backend).toBe(hasNode ? "tensorflow" : "wasm");
    expect(platform.tf.getBackend()).toBe(platform.backend);
  });

  it("writes a layers model whose signature readModelInfo derives from the topology", () => {
    expect(readModelInfo(join(dir, "mlp", "model.json"), "tfjs")).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "layer0_input", dtype: "f32", shape: [null, 6] }],
        outputs: [{ name: "layer2", dtype: "f32", shape: [null, 4] }],
      },
    });
  });
});

describeBatchingContract("tfjs", () => ({
  mlp,
  config: () => ({ name: "Policy", path: join(dir, "mlp"), backend: "tfjs" }),
  other: () => ({ config: { name: "Other", path: join(dir, "other", "model.json"), backend: "tfjs" }, mlp: otherMlp }),
}));

describeBatchingContract("tfjs graph model", () => ({
  mlp,
  config: () => ({ name: "Policy", path: join(dir, "mlp-graph"), backend: "tfjs" }),
  other: () => ({ config: { name: "Other", path: join(dir, "other-graph"), backend: "tfjs" }, mlp: otherMlp }),
}));

describe("tfjs: no tensor leaks", () => {
  it("keeps tf.memory().numTensors flat over many flushes, including failing ones", async () => {
    const tf = platform.tf;
    const host = new BatchingNeuralHost([
      { name: "Policy", path: join(dir, "mlp"), backend: "tfjs" },
      { name: "Strict", path: join(dir, "mlp"), backend: "tfjs", outputShapes: [[5]] },
    ]);
    const rows = randomRows(32, 6, 2);
    let failures = 0;
    const frame = async () => {
      const tickets = rows.map((r) => host.submit(0, [r]));
      const bad = host.submit(1, [rows[0]]);
      await host.flush();
      for (const t of tickets) host.release(t);
      if (host.result(bad)?.ok === false) failures++;
      host.release(bad);
    };
    await frame();
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await frame();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(failures).toBe(201);
    await host.close();
    // Closing disposes both models' weights.
    expect(tf.memory().numTensors).toBeLessThan(baseline);
  });
});

describe("tidyRead", () => {
  it("reads the returned tensors' values and leaves no tensor behind, also when the computation throws", () => {
    const tf = platform.tf;
    const before = tf.memory().numTensors;
    const [sum, product] = tidyRead(tf, () => {
      const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const b = tf.tensor2d([10, 20, 30, 40], [2, 2]);
      return [tf.add(a, b), tf.matMul(a, b)];
    });
    expect(Array.from(sum.data)).toEqual([11, 22, 33, 44]);
    expect(sum.dims).toEqual([2, 2]);
    // [[1, 2], [3, 4]] · [[10, 20], [30, 40]]
    expect(Array.from(product.data)).toEqual([70, 100, 150, 220]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() =>
      tidyRead(tf, () => {
        tf.tensor1d([1, 2]);
        throw new Error("engine fault");
      }),
    ).toThrow("engine fault");
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("tfjs graph models", () => {
  it("a generated graph model reads by its signature and runs like the layers model", async () => {
    const graphDir = join(dir, "graph");
    saveMlpTfjsGraph(mlp, graphDir, { inputName: "obs", outputName: "act" });
    expect(readModelInfo(graphDir, "tfjs")).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "obs", dtype: "f32", shape: [null, 6] }],
        outputs: [{ name: "act", dtype: "f32", shape: [null, 4] }],
      },
    });
    const host = new BatchingNeuralHost([
      { name: "Graph", path: graphDir, backend: "tfjs" },
      { name: "Layers", path: join(dir, "mlp"), backend: "tfjs" },
    ]);
    const rows = randomRows(12, 6, 21);
    const graph = rows.map((r) => host.submit(0, [r]));
    const layers = rows.map((r) => host.submit(1, [r]));
    await host.flush();
    const reference = mlpForward(mlp, rows.flatMap((r) => Array.from(r)), 12);
    graph.forEach((t, i) => {
      const g = host.result(t);
      const l = host.result(layers[i]);
      expect(g?.ok && l?.ok).toBe(true);
      if (g?.ok && l?.ok) {
        g.outputs[0].forEach((v, k) => expect(Math.abs(v - reference[i * 4 + k])).toBeLessThan(1e-5));
        g.outputs[0].forEach((v, k) => expect(Math.abs(v - l.outputs[0][k])).toBeLessThan(1e-6));
      }
    });
    await host.close();
  });
});

describe("tfjs model files that cannot be loaded", () => {
  function brokenCopy(name: string, edit: (json: { weightsManifest: { paths: string[] }[] }) => void): string {
    const target = join(dir, name);
    mkdirSync(target, { recursive: true });
    const json = JSON.parse(readFileSync(join(dir, "mlp", "model.json"), "utf8"));
    edit(json);
    writeFileSync(join(target, "model.json"), JSON.stringify(json));
    return target;
  }

  /** The result of one request to the model at `path`: these models never load. */
  async function firstResult(name: string, path: string) {
    const host = new BatchingNeuralHost([{ name, path, backend: "tfjs" }]);
    const t = host.submit(0, [new Float32Array(6)]);
    await host.flush();
    const r = host.result(t);
    await host.close();
    return { code: r?.ok === false ? r.code : "ok", message: r?.ok === false ? r.message : "" };
  }

  it("a weight path leaving the model directory → HP8100, nothing outside is read", async () => {
    writeFileSync(join(dir, "outside.bin"), readFileSync(join(dir, "mlp", "weights.bin")));
    const r = await firstResult("Escape", brokenCopy("escape", (json) => (json.weightsManifest[0].paths = ["../outside.bin"])));
    expect(r.code).toBe("HP8100");
    expect(r.message).toContain("outside");
  });

  it("a weight file that is a symbolic link leading out of the model directory → HP8100", async () => {
    writeFileSync(join(dir, "outside-linked.bin"), readFileSync(join(dir, "mlp", "weights.bin")));
    const path = brokenCopy("linked", () => undefined);
    symlinkSync(join(dir, "outside-linked.bin"), join(path, "weights.bin"));
    const r = await firstResult("Linked", path);
    expect(r.code).toBe("HP8100");
    expect(r.message).toContain("outside");
  });

  it("a missing weights file → HP8100", async () => {
    const r = await firstResult("NoWeights", brokenCopy("noweights", (json) => (json.weightsManifest[0].paths = ["gone.bin"])));
    expect(r.code).toBe("HP8100");
  });
});
