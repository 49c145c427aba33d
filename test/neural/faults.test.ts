import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DenseTensor, InferenceBackend } from "../../src/runtime/neural/backend.ts";
import type { NeuralModelConfig } from "../../src/runtime/neural/batching-host.ts";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { allNeuralCodes, neuralCodeEntry } from "../../src/runtime/neural/errors.ts";
import type { InferenceResult } from "../../src/runtime/neural/host.ts";
import { mlpForward } from "../../src/runtime/neural/mlp.ts";
import { FEATURES, randomRows, writeOnnxModels } from "./models.ts";

const models = writeOnnxModels();
afterAll(() => models.cleanup());

const mlpConfig: NeuralModelConfig = { name: "Policy", path: models.mlpPath, backend: "onnx" };

function codeOf(result: InferenceResult | undefined): string {
  if (!result) return "pending";
  return result.ok ? "ok" : result.code;
}

async function runOne(config: NeuralModelConfig, rows: Float32Array[]): Promise<InferenceResult[]> {
  const host = new BatchingNeuralHost([config]);
  const tickets = rows.map((r) => host.submit(0, [r]));
  await expect(host.flush()).resolves.toBeUndefined();
  const results = tickets.map((t) => host.result(t)!);
  await host.close();
  return results;
}

describe("neural fault codes", () => {
  it("are unique HP81xx runtime entries with explanations", () => {
    const codes = allNeuralCodes().map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of allNeuralCodes()) {
      expect(entry.code).toMatch(/^HP81\d\d$/);
      expect(entry.explanation.length).toBeGreaterThan(40);
      expect(neuralCodeEntry(entry.code)).toBe(entry);
    }
  });
});

describe("every fault becomes an error result for the affected requests only", () => {
  const rows = randomRows(4, FEATURES, 12);

  it("missing model file → HP8100 naming the path, for every request", async () => {
    const missing = join(models.dir, "missing.onnx");
    const results = await runOne({ name: "Ghost", path: missing, backend: "onnx" }, rows);
    expect(results.map(codeOf)).toEqual(["HP8100", "HP8100", "HP8100", "HP8100"]);
    expect(!results[0].ok && results[0].message).toContain(missing);
    expect(!results[0].ok && results[0].message).toContain("`Ghost`");
  });

  it("garbage model file → HP8100", async () => {
    const results = await runOne({ name: "Junk", path: models.garbagePath, backend: "onnx" }, rows.slice(0, 1));
    expect(results.map(codeOf)).toEqual(["HP8100"]);
  });

  it("a failed load is not retried every frame, and other models keep working", async () => {
    let opens = 0;
    const host = new BatchingNeuralHost(
      [
        { name: "Ghost", path: join(models.dir, "missing.onnx"), backend: "onnx" },
        mlpConfig,
      ],
      {
        open: async (c) => {
          opens++;
          const { openBackend } = await import("../../src/runtime/neural/backend.ts");
          return openBackend(c.path, c.backend);
        },
      },
    );
    for (let frame = 0; frame < 3; frame++) {
      const ghost = host.submit(0, [rows[0]]);
      const good = host.submit(1, [rows[0]]);
      await host.flush();
      expect([codeOf(host.result(ghost)), codeOf(host.result(good))]).toEqual(["HP8100", "ok"]);
    }
    expect(opens).toBe(2);
    await host.close();
  });

  it("engine error while running → HP8101 for every request of the batch", async () => {
    const config: NeuralModelConfig = { name: "Broken", path: models.fault("reshape-error"), backend: "onnx" };
    const results = await runOne(config, rows);
    expect(results.map(codeOf)).toEqual(["HP8101", "HP8101", "HP8101", "HP8101"]);
    expect(!results[0].ok && results[0].message).toMatch(/reshape/i);
  });

  it("NaN and infinities fail only the rows that hold them", async () => {
    const config: NeuralModelConfig = { name: "Log", path: models.fault("log"), backend: "onnx" };
    const good = Float32Array.from({ length: FEATURES }, (_v, i) => i + 1);
    const negative = good.map((v, i) => (i === 2 ? -v : v));
    const zero = good.map((v, i) => (i === 4 ? 0 : v));
    const results = await runOne(config, [good, negative, good, zero]);
    expect(results.map(codeOf)).toEqual(["ok", "HP8102", "ok", "HP8102"]);
    expect(!results[1].ok && results[1].message).toContain("NaN");
    expect(!results[1].ok && results[1].message).toContain("element 2");
    expect(!results[3].ok && results[3].message).toContain("-Infinity");
    const out = results[0].ok ? Array.from(results[0].outputs[0]) : [];
    expect(out.map((v, i) => Math.abs(v - Math.log(i + 1)) < 1e-6)).toEqual(Array(FEATURES).fill(true));
  });

  it("division by zero → HP8102 for every row", async () => {
    const results = await runOne({ name: "Div", path: models.fault("div-zero"), backend: "onnx" }, rows);
    expect(results.map(codeOf)).toEqual(["HP8102", "HP8102", "HP8102", "HP8102"]);
  });

  it("an output that lost the batch dimension → HP8103", async () => {
    const results = await runOne({ name: "Mean", path: models.fault("collapse-batch"), backend: "onnx" }, rows);
    expect(results.map(codeOf)).toEqual(["HP8103", "HP8103", "HP8103", "HP8103"]);
    expect(!results[0].ok && results[0].message).toContain(`has shape [1, ${FEATURES}], expected [4, ${FEATURES}]`);
  });

  it("a model computing another shape than it declares → HP8103", async () => {
    const results = await runOne({ name: "Liar", path: models.fault("misdeclared-output"), backend: "onnx" }, rows);
    expect(results.map(codeOf)).toEqual(["HP8103", "HP8103", "HP8103", "HP8103"]);
  });

  it("a model whose outputs differ from the spec's declaration → HP8103", async () => {
    const results = await runOne({ ...mlpConfig, outputShapes: [[5]] }, rows.slice(0, 2));
    expect(results.map(codeOf)).toEqual(["HP8103", "HP8103"]);
    expect(!results[0].ok && results[0].message).toContain("expected [2, 5]");
  });

  it("a request with the wrong input size fails alone with HP8104", async () => {
    const host = new BatchingNeuralHost([mlpConfig]);
    const good = host.submit(0, [rows[0]]);
    const short = host.submit(0, [rows[1].subarray(1)]);
    const none = host.submit(0, []);
    const two = host.submit(0, [rows[2], rows[3]]);
    await host.flush();
    expect([good, short, none, two].map((t) => codeOf(host.result(t)))).toEqual(["ok", "HP8104", "HP8104", "HP8104"]);
    expect(host.stats.rows).toBe(1);
    const message = host.result(short);
    expect(!message?.ok && message?.message).toContain(`gives ${FEATURES - 1} values for input \`input\`, expected ${FEATURES}`);
    await host.close();
  });

  it("an unknown model index → HP8105 at once", () => {
    const host = new BatchingNeuralHost([mlpConfig]);
    const t = host.submit(3, [rows[0]]);
    expect(codeOf(host.result(t))).toBe("HP8105");
    expect(host.pending).toBe(false);
  });

  it("requests after close → HP8106; requests queued at close → HP8106", async () => {
    const host = new BatchingNeuralHost([mlpConfig]);
    const queued = host.submit(0, [rows[0]]);
    await host.close();
    expect(codeOf(host.result(queued))).toBe("HP8106");
    const late = host.submit(0, [rows[0]]);
    expect(codeOf(host.result(late))).toBe("HP8106");
  });

  it("a backend that throws or returns garbage never makes flush reject", async () => {
    const throwing: InferenceBackend = {
      kind: "onnx",
      info: { inputs: [{ name: "x", dtype: "f32", shape: ["batch", 2] }], outputs: [{ name: "y", dtype: "f32", shape: ["batch", 2] }] },
      run: () => {
        throw new TypeError("native crash");
      },
      close: async () => undefined,
    };
    const missingOutput: InferenceBackend = { ...throwing, run: async () => [] };
    const wrongLength: InferenceBackend = { ...throwing, run: async (inputs: readonly DenseTensor[]) => [{ data: new Float32Array(1), dims: inputs[0].dims }] };
    const backends = [throwing, missingOutput, wrongLength];
    const host = new BatchingNeuralHost(
      backends.map((_b, i) => ({ name: `M${i}`, path: `/virtual/${i}`, backend: "onnx" as const })),
      { open: async (c) => backends[Number(c.path.split("/").pop())] },
    );
    const tickets = backends.map((_b, i) => host.submit(i, [new Float32Array([1, 2])]));
    await expect(host.flush()).resolves.toBeUndefined();
    expect(tickets.map((t) => codeOf(host.result(t)))).toEqual(["HP8101", "HP8103", "HP8103"]);
  });

  it("a faulty model does not disturb a healthy one in the same flush", async () => {
    const host = new BatchingNeuralHost([{ name: "Log", path: models.fault("div-zero"), backend: "onnx" }, mlpConfig]);
    const bad = rows.map((r) => host.submit(0, [r]));
    const good = rows.map((r) => host.submit(1, [r]));
    await host.flush();
    expect(bad.map((t) => codeOf(host.result(t)))).toEqual(Array(4).fill("HP8102"));
    const reference = mlpForward(models.mlp, rows.flatMap((r) => Array.from(r)), 4);
    good.forEach((t, row) => {
      const r = host.result(t);
      expect(r?.ok).toBe(true);
      if (r?.ok) r.outputs[0].forEach((v, k) => expect(Math.abs(v - reference[row * 4 + k])).toBeLessThan(1e-5));
    });
    await host.close();
  });
});
