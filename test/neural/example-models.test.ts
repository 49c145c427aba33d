import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { GRASP_FEATURES, graspForward, mindMlp, writeExampleModels } from "../../src/runtime/neural/example-models.ts";
import { mlpForward } from "../../src/runtime/neural/mlp.ts";
import { readModelInfo } from "../../src/runtime/neural/model-info.ts";
import { refineBatch } from "../../src/runtime/neural/processing.ts";
import { randomRows } from "./models.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-example-models-"));
beforeAll(async () => {
  await writeExampleModels(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const grasp = () => ({ name: "grasp", path: join(dir, "models", "grasp.onnx"), backend: "onnx" as const });

describe("example models", () => {
  it("committed under examples/models are what the generator writes", () => {
    for (const file of ["grasp.onnx", "mind/model.json", "mind/weights.bin"]) {
      const committed = readFileSync(join(import.meta.dirname, "..", "..", "examples", "models", file));
      expect({ file, same: committed.equals(readFileSync(join(dir, "models", file))) }).toEqual({ file, same: true });
    }
  });

  it("declare the ports the example specs use", () => {
    expect(readModelInfo(join(dir, "models", "grasp.onnx"), "onnx")).toEqual({
      ok: true,
      info: {
        inputs: [
          { name: "features", dtype: "f32", shape: ["batch", 12] },
          { name: "plan", dtype: "f32", shape: ["batch", 4, 4] },
        ],
        outputs: [{ name: "denoised", dtype: "f32", shape: ["batch", 4, 4] }],
      },
    });
    expect(readModelInfo(join(dir, "models", "mind"), "tfjs")).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "situation", dtype: "f32", shape: [null, 8] }],
        outputs: [{ name: "scores", dtype: "f32", shape: [null, 4] }],
      },
    });
  });

  it("grasp computes its TypeScript reference", async () => {
    const host = new BatchingNeuralHost([grasp()]);
    const features = randomRows(6, GRASP_FEATURES, 1);
    const plans = randomRows(6, 16, 2);
    const tickets = features.map((f, i) => host.submit(0, [f, plans[i]]));
    await host.flush();
    tickets.forEach((t, i) => {
      const r = host.result(t);
      expect(r?.ok).toBe(true);
      const expected = graspForward(features[i], plans[i]);
      if (r?.ok) r.outputs[0].forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-5));
    });
    await host.close();
  });

  it("grasp refinement steers toward the target and closes the gripper only at the target height", async () => {
    const host = new BatchingNeuralHost([grasp()]);
    // Normalised features (spec FEATURE_MEAN/STD): ee at (0.45, 0, 0.2); target to +x, lower, at (0.6, 0, 0.05).
    const far = new Float32Array(GRASP_FEATURES);
    far[3] = 1; // target x = 0.45 + 0.15
    // ee right at the target (0.6, 0, 0.05): ee_x f=1, ee_z f=(0.05-0.2)/0.1=-1.5, target same.
    const at = new Float32Array(GRASP_FEATURES);
    at[0] = 1;
    at[2] = -1.5;
    at[3] = 1;
    const noise = Float32Array.from({ length: 16 }, (_v, i) => ((i * 37) % 11) / 11 - 0.5);
    const [towards, arrived] = await refineBatch(host, 0, [[far, noise], [at, noise]], { times: 3, from: 1, to: 0 });
    expect(towards.ok && arrived.ok).toBe(true);
    if (towards.ok && arrived.ok) {
      const step = (r: Float32Array, s: number) => Array.from(r.subarray(s * 4, s * 4 + 4));
      for (let s = 0; s < 4; s++) {
        const [vx, , vz, grip] = step(towards.outputs[0], s);
        expect(vx).toBeGreaterThan(0.1);
        expect(vz).toBeLessThan(-0.1);
        expect(grip).toBeLessThan(0.5);
        expect(step(arrived.outputs[0], s)[3]).toBeGreaterThan(0.5);
      }
    }
    await host.close();
  });

  it("mind computes its MLP", async () => {
    const host = new BatchingNeuralHost([{ name: "mind", path: join(dir, "models", "mind", "model.json"), backend: "tfjs" }]);
    const rows = randomRows(5, 8, 3);
    const tickets = rows.map((r) => host.submit(0, [r]));
    await host.flush();
    const expected = mlpForward(mindMlp(), rows.flatMap((r) => Array.from(r)), 5);
    tickets.forEach((t, i) => {
      const r = host.result(t);
      expect(r?.ok).toBe(true);
      if (r?.ok) r.outputs[0].forEach((v, k) => expect(Math.abs(v - expected[i * 4 + k])).toBeLessThan(1e-5));
    });
    await host.close();
  });
});
