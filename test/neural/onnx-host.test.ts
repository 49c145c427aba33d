import { afterAll, describe, expect, it } from "vitest";
import { BatchingNeuralHost, modelConfigsFromIR } from "../../src/runtime/neural/batching-host.ts";
import { mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
