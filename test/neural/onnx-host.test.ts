import { afterAll, describe, expect, it } from "vitest";
import { BatchingNeuralHost, createNeuralHost, modelConfigsFromIR } from "../../src/runtime/neural/batching-host.ts";
import { onnxSessionOptions } from "../../src/runtime/neural/onnx-backend.ts";
import { buildOnnxModel, mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import { refineBatch } from "../../src/runtime/neural/processing.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describeBatchingContract } from "./batching-contract.ts";
import { FEATURES, randomRows, writeOnnxModels } from "./models.ts";

const models = writeOnnxModels();
afterAll(() => models.cleanup());

const otherMlp = seededMlp([3, 5, 2], 77, { hiddenActivation: "tanh" });
const otherPath = join(models.dir, "other.onnx");
writeFileSync(otherPath, mlpOnnx(otherMlp, { style: "matmul" }));

describeBatchingContract("onnx", () => ({
  mlp: models.mlp,
  config: () => ({ name: "Policy", path: models.mlpPath, backend: "onnx" }),
  other: () => ({ config: { name: "Other", path: otherPath, backend: "onnx" }, mlp: otherMlp }),
}));

describe("onnx: models without a batch dimension", () => {
  it("runs a fixed-batch model once per request, with the same results", async () => {
    const rows = randomRows(4, FEATURES, 3);
    const fixed = new BatchingNeuralHost([{ name: "Fixed", path: models.fixedBatchPath, backend: "onnx" }]);
    const dynamic = new BatchingNeuralHost([{ name: "Dynamic", path: models.mlpPath, backend: "onnx" }]);
    const tf = rows.map((r) => fixed.submit(0, [r]));
    const td = rows.map((r) => dynamic.submit(0, [r]));
    await Promise.all([fixed.flush(), dynamic.flush()]);
    expect(fixed.stats.batches).toBe(4);
    expect(dynamic.stats.batches).toBe(1);
    expect(tf.map((t) => fixed.result(t))).toEqual(td.map((t) => dynamic.result(t)));
    await Promise.all([fixed.close(), dynamic.close()]);
  });
});

describe("modelConfigsFromIR", () => {
  it("resolves a path against the declaring file: absolute, existing, or relative to the spec directory", () => {
    const declaredIn = join(models.dir, "lib", "skills.hpol");
    mkdirSync(join(models.dir, "lib"), { recursive: true });
    writeFileSync(declaredIn, "");
    const model = (file: string | null) => ({
      id: 0,
      name: "M",
      path: "nets/m.onnx",
      backend: "onnx" as const,
      inputs: [],
      outputs: [],
      span: file === null ? null : { file, start: 0, end: 1, line: 1, column: 1 },
    });
    const [fromLib, unknownFile, noSpan] = modelConfigsFromIR(
      [model(declaredIn), model("moved/away.hpol"), model(null)],
      "/project/specs",
    );
    expect(fromLib.path).toBe(join(models.dir, "lib", "nets", "m.onnx"));
    // A relative span file that exists nowhere is taken as build outputs hold it: relative to the spec directory.
    expect(unknownFile.path).toBe("/project/specs/moved/nets/m.onnx");
    expect(noSpan.path).toBe("/project/specs/nets/m.onnx");
  });

  it("createNeuralHost makes a host only for policies with models", async () => {
    expect(createNeuralHost({ models: [] }, "/x")).toBeUndefined();
    const host = createNeuralHost(
      { models: [{ id: 0, name: "P", path: models.mlpPath, backend: "onnx", inputs: [], outputs: [], span: null }] },
      "/unused",
      // The model lies outside the spec directory: it must be allowed explicitly (HP8107 otherwise).
      { modelRoots: [dirname(models.mlpPath)] },
    );
    const t = host!.submit(0, [randomRows(1, FEATURES, 1)[0]]);
    await host!.flush();
    expect(host!.result(t)?.ok).toBe(true);
    await host!.close();
  });

  it("resolves paths against the spec directory and strips the batch dimension", () => {
    const configs = modelConfigsFromIR(
      [
        {
          id: 0,
          name: "Aim",
          path: "models/aim.onnx",
          backend: "onnx",
          inputs: [{ name: "obs", dtype: "f32", shape: ["batch", 32], size: 32 }],
          outputs: [{ name: "act", dtype: "f32", shape: [null, 2, 4], size: 8 }],
          span: null,
        },
        { id: 1, name: "Abs", path: "/abs/m.json", backend: "tfjs", inputs: [], outputs: [{ name: "y", dtype: "f32", shape: [3], size: 3 }], span: null },
      ],
      "/project/specs",
    );
    expect(configs).toEqual([
      { name: "Aim", path: "/project/specs/models/aim.onnx", backend: "onnx", inputShapes: [[32]], outputShapes: [[2, 4]] },
      { name: "Abs", path: "/abs/m.json", backend: "tfjs", inputShapes: [], outputShapes: [[3]] },
    ]);
  });
});

describe("onnx: reusable results", () => {
  it("give the same values as fresh results, and still catch non-finite rows", async () => {
    const rows = randomRows(30, FEATURES, 44);
    const fresh = new BatchingNeuralHost([{ name: "P", path: models.mlpPath, backend: "onnx" }]);
    const reused = new BatchingNeuralHost([{ name: "P", path: models.mlpPath, backend: "onnx" }], { reuseResults: true });
    for (let frame = 0; frame < 3; frame++) {
      const tf = rows.map((r) => fresh.submit(0, [r]));
      const tr = rows.map((r) => reused.submit(0, [r]));
      await Promise.all([fresh.flush(), reused.flush()]);
      expect(tr.map((t) => reused.result(t))).toEqual(tf.map((t) => fresh.result(t)));
      for (const t of tf) fresh.release(t);
      for (const t of tr) reused.release(t);
    }
    await Promise.all([fresh.close(), reused.close()]);

    const log = new BatchingNeuralHost([{ name: "Log", path: models.fault("log"), backend: "onnx" }], { reuseResults: true });
    const good = Float32Array.from({ length: FEATURES }, (_v, i) => i + 1);
    const bad = good.map((v) => -v);
    const [tg, tb] = [log.submit(0, [good]), log.submit(0, [bad])];
    await log.flush();
    const failed = log.result(tb);
    expect([log.result(tg)?.ok, failed?.ok === false && failed.code]).toEqual([true, "HP8102"]);
    await log.close();
  });

  it("stay exact when queues are reused across frames of growing and shrinking size, with faults mixed in", async () => {
    // Frame sizes cross the queue's initial capacity (64) both ways; a released ticket and a malformed request
    // sit in the middle of each frame. Every live answer must equal the same row run alone.
    const rows = randomRows(150, FEATURES, 47);
    const reference = new BatchingNeuralHost([{ name: "P", path: models.mlpPath, backend: "onnx" }]);
    const alone: Float32Array[] = [];
    for (const r of rows) {
      const t = reference.submit(0, [r]);
      await reference.flush();
      const res = reference.result(t);
      alone.push(res?.ok ? Float32Array.from(res.outputs[0]) : new Float32Array(0));
    }
    await reference.close();
    const host = new BatchingNeuralHost([{ name: "P", path: models.mlpPath, backend: "onnx" }], { reuseResults: true });
    for (const size of [10, 150, 3, 100, 64, 65, 1]) {
      const tickets = rows.slice(0, size).map((r) => host.submit(0, [r]));
      const malformed = host.submit(0, [new Float32Array(FEATURES + 1)]);
      const dropped = size > 2 ? tickets[1] : -1;
      if (dropped > 0) host.release(dropped);
      await host.flush();
      tickets.forEach((t, i) => {
        if (t === dropped) return expect(host.result(t)).toBeUndefined();
        const res = host.result(t);
        expect(res?.ok && Array.from(res.outputs[0])).toEqual(Array.from(alone[i]));
        host.release(t);
      });
      const bad = host.result(malformed);
      expect(bad?.ok === false && bad.code).toBe("HP8104");
      host.release(malformed);
    }
    expect(host.stats.batches).toBe(7);
    await host.close();
  });

  it("are what createNeuralHost gives a policy's pool unless told otherwise", async () => {
    const ir = { models: [{ id: 0, name: "P", path: models.mlpPath, backend: "onnx" as const, inputs: [], outputs: [], span: null }] };
    const result = async (host: BatchingNeuralHost) => {
      const t = host.submit(0, [randomRows(1, FEATURES, 48)[0]]);
      await host.flush();
      const r = host.result(t);
      host.release(t);
      return r;
    };
    const reused = createNeuralHost(ir, "/")!;
    // The same slot's result object comes back frame after frame (no allocation per result).
    expect(await result(reused)).toBe(await result(reused));
    const fresh = createNeuralHost(ir, "/", { reuseResults: false })!;
    expect(await result(fresh)).not.toBe(await result(fresh));
    await Promise.all([reused.close(), fresh.close()]);
  });

  it("are valid until release: a later result read on the same slot overwrites them", async () => {
    const host = new BatchingNeuralHost([{ name: "P", path: models.mlpPath, backend: "onnx" }], { reuseResults: true });
    const [a, b] = randomRows(2, FEATURES, 45);
    const first = host.submit(0, [a]);
    await host.flush();
    const kept = host.result(first);
    const copy = kept?.ok ? Float32Array.from(kept.outputs[0]) : undefined;
    host.release(first);
    const second = host.submit(0, [b]);
    await host.flush();
    expect(kept?.ok && Float32Array.from(kept.outputs[0])).toEqual(copy);
    const next = host.result(second);
    expect(next).toBe(kept);
    expect(kept?.ok && Float32Array.from(kept.outputs[0])).not.toEqual(copy);
    await host.close();
  });

  it("do not disturb batched refinement, which copies what it keeps", async () => {
    const rows = randomRows(5, FEATURES, 46);
    const dims = [FEATURES, 8, FEATURES];
    const path = join(models.dir, "square.onnx");
    writeFileSync(path, mlpOnnx(seededMlp(dims, 5, { hiddenActivation: "tanh", outputActivation: "tanh" })));
    const run = async (reuseResults: boolean) => {
      const host = new BatchingNeuralHost([{ name: "Sq", path, backend: "onnx" }], { reuseResults });
      const out = await refineBatch(host, 0, rows.map((r) => [r]), { times: 2, from: 0, to: 0 });
      await host.close();
      return out;
    };
    expect(await run(true)).toEqual(await run(false));
  });
});

describe("onnx: inputs with an open per-agent dimension", () => {
  it("sizes the open dimension from each request and batches equal sizes together", async () => {
    const path = join(models.dir, "open-relu.onnx");
    writeFileSync(
      path,
      buildOnnxModel({
        inputs: [{ name: "x", shape: ["batch", null] }],
        outputs: [{ name: "y", shape: ["batch", null] }],
        nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }],
      }),
    );
    const host = new BatchingNeuralHost([{ name: "Open", path, backend: "onnx" }]);
    const rows = [
      new Float32Array([-1, 2, -3]),
      new Float32Array([4, -5, 6, -7, 8]),
      new Float32Array([9, -10, 11]),
    ];
    const tickets = rows.map((r) => host.submit(0, [r]));
    await host.flush();
    expect(host.stats.batches).toBe(2);
    expect(tickets.map((t) => {
      const r = host.result(t);
      return r?.ok ? Array.from(r.outputs[0]) : r;
    })).toEqual(rows.map((r) => Array.from(r, (v) => Math.max(0, v))));
    await host.close();
  });
});

describe("onnx: session options", () => {
  it("run on one thread, and keep any worker threads from spinning between runs, unless asked to", () => {
    const spin = (o: ReturnType<typeof onnxSessionOptions>) => (o.extra as { session: Record<string, string> }).session;
    expect(spin(onnxSessionOptions())).toEqual({ "intra_op.allow_spinning": "0", "inter_op.allow_spinning": "0" });
    expect(spin(onnxSessionOptions({ allowSpinning: true }))).toEqual({ "intra_op.allow_spinning": "1", "inter_op.allow_spinning": "1" });
    // One thread unless told otherwise (no worker to wake between the tree's JavaScript and the next run).
    expect(onnxSessionOptions().intraOpNumThreads).toBe(1);
    expect(onnxSessionOptions({ intraOpNumThreads: 0 }).intraOpNumThreads).toBe(0);
  });
});
