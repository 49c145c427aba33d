import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import { readModelInfo } from "../../src/runtime/neural/model-info.ts";
import { OnnxDataType } from "../../src/runtime/neural/onnx-proto.ts";
import { buildOnnxModel, faultyOnnx, mlpGraph, mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-model-info-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("readModelInfo on ONNX files", () => {
  const mlp = seededMlp([6, 10, 3], 1);

  it("reads a dynamic batch dimension as its symbol", () => {
    const result = readModelInfo(file("dyn.onnx", mlpOnnx(mlp)), "onnx");
    expect(result).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "input", dtype: "f32", shape: ["batch", 6] }],
        outputs: [{ name: "output", dtype: "f32", shape: ["batch", 3] }],
      },
    });
  });

  it("reads fixed and unnamed dimensions", () => {
    const fixed = readModelInfo(file("fixed.onnx", mlpOnnx(mlp, { batch: 4, inputName: "obs", outputName: "act" })), "onnx");
    expect(fixed.ok && fixed.info.inputs[0]).toEqual({ name: "obs", dtype: "f32", shape: [4, 6] });
    expect(fixed.ok && fixed.info.outputs[0]).toEqual({ name: "act", dtype: "f32", shape: [4, 3] });
    const unknown = readModelInfo(file("unknown.onnx", mlpOnnx(mlp, { batch: null })), "onnx");
    expect(unknown.ok && unknown.info.inputs[0].shape).toEqual([null, 6]);
  });

  it("skips initializers that are also listed as graph inputs", () => {
    const graph = { ...mlpGraph(mlp), initializersAsInputs: true };
    const result = readModelInfo(file("legacy.onnx", buildOnnxModel(graph)), "onnx");
    expect(result.ok && result.info.inputs.map((i) => i.name)).toEqual(["input"]);
  });

  it("maps element types and keeps several inputs and outputs in order", () => {
    const bytes = buildOnnxModel({
      inputs: [
        { name: "a", dataType: OnnxDataType.DOUBLE, shape: ["n", 2] },
        { name: "b", dataType: OnnxDataType.INT64, shape: ["n", 2] },
      ],
      outputs: [
        { name: "sum", dataType: OnnxDataType.DOUBLE, shape: ["n", 2] },
        { name: "flag", dataType: OnnxDataType.BOOL, shape: ["n", 2] },
      ],
      nodes: [
        { op: "Cast", inputs: ["b"], outputs: ["b64"], attributes: [{ name: "to", kind: "int", value: OnnxDataType.DOUBLE }] },
        { op: "Add", inputs: ["a", "b64"], outputs: ["sum"] },
        { op: "Greater", inputs: ["a", "b64"], outputs: ["flag"] },
      ],
    });
    const result = readModelInfo(file("types.onnx", bytes), "onnx");
    expect(result.ok && result.info).toEqual({
      inputs: [
        { name: "a", dtype: "f64", shape: ["n", 2] },
        { name: "b", dtype: "i64", shape: ["n", 2] },
      ],
      outputs: [
        { name: "sum", dtype: "f64", shape: ["n", 2] },
        { name: "flag", dtype: "bool", shape: ["n", 2] },
      ],
    });
  });

  it("reports what a misdeclared model declares, not what it computes", () => {
    const result = readModelInfo(file("misdeclared.onnx", faultyOnnx("misdeclared-output", 5)), "onnx");
    expect(result.ok && result.info.outputs[0].shape).toEqual(["batch", 6]);
  });

  it("reports a missing file as missing", () => {
    const result = readModelInfo(join(dir, "nope.onnx"), "onnx");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.kind).toBe("missing");
    expect(!result.ok && result.message).toContain("nope.onnx");
  });

  it("reports a directory as unreadable", () => {
    const sub = join(dir, "a-directory.onnx");
    mkdirSync(sub, { recursive: true });
    const result = readModelInfo(sub, "onnx");
    expect(!result.ok && result.kind).toBe("unreadable");
  });

  it.skipIf(process.getuid?.() === 0)("reports a file without read permission as unreadable", () => {
    const path = file("secret.onnx", mlpOnnx(mlp));
    chmodSync(path, 0o000);
    const result = readModelInfo(path, "onnx");
    expect(!result.ok && result.kind).toBe("unreadable");
  });

  it.each([
    ["empty", new Uint8Array(0)],
    ["text", new TextEncoder().encode("this is not a model, just some text\n")],
    ["random bytes", Uint8Array.from({ length: 4096 }, (_v, i) => (i * 7919 + 13) % 251)],
    ["truncated model", mlpOnnx(mlp).subarray(0, 200)],
    ["a TF.js model.json", new TextEncoder().encode('{"format":"layers-model","modelTopology":{}}')],
  ])("reports garbage (%s) as invalid", (name, bytes) => {
    const result = readModelInfo(file(`garbage-${name.replace(/\W/g, "_")}.onnx`, bytes), "onnx");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.kind).toBe("invalid");
  });
});

describe("readModelInfo on TF.js model.json", () => {
  function modelJson(name: string, json: unknown): string {
    const sub = join(dir, name);
    mkdirSync(sub, { recursive: true });
    return file(join(name, "model.json"), JSON.stringify(json));
  }

  const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({
    class_name: "Dense",
    config: { name, units, activation: "relu", dtype: "float32", ...extra },
  });

  it("derives a Sequential layers model's shapes from its topology", () => {
    const path = modelJson("seq", {
      format: "layers-model",
      modelTopology: {
        class_name: "Sequential",
        config: {
          name: "seq",
          layers: [
            dense("d1", 16, { batch_input_shape: [null, 32] }),
            { class_name: "Dropout", config: { name: "drop", rate: 0.1 } },
            dense("d2", 8),
          ],
        },
      },
      weightsManifest: [],
    });
    expect(readModelInfo(path, "tfjs")).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "d1_input", dtype: "f32", shape: [null, 32] }],
        outputs: [{ name: "d2", dtype: "f32", shape: [null, 8] }],
      },
    });
  });

  it("accepts the model directory instead of model.json", () => {
    const result = readModelInfo(join(dir, "seq"), "tfjs");
    expect(result.ok && result.info.outputs[0].shape).toEqual([null, 8]);
  });

  it("derives shapes through Flatten and Reshape, and leaves unmodelled layers unknown", () => {
    const path = modelJson("seq2", {
      format: "layers-model",
      modelTopology: {
        class_name: "Sequential",
        config: {
          layers: [
            { class_name: "InputLayer", config: { name: "image", batch_input_shape: [null, 4, 6], dtype: "float32" } },
            { class_name: "Flatten", config: { name: "flat" } },
            { class_name: "Reshape", config: { name: "re", target_shape: [3, 8] } },
            { class_name: "Dense", config: { name: "d", units: 5 } },
          ],
        },
      },
    });
    const result = readModelInfo(path, "tfjs");
    expect(result.ok && result.info.inputs[0]).toEqual({ name: "image", dtype: "f32", shape: [null, 4, 6] });
    expect(result.ok && result.info.outputs[0].shape).toEqual([null, 3, 5]);

    const conv = modelJson("seq3", {
      format: "layers-model",
      modelTopology: {
        class_name: "Sequential",
        config: { layers: [{ class_name: "Conv2D", config: { name: "c", filters: 4, batch_input_shape: [null, 8, 8, 1] } }] },
      },
    });
    const convInfo = readModelInfo(conv, "tfjs");
    expect(convInfo.ok && convInfo.info.outputs[0].shape).toEqual([null, null, null, null]);
  });

  it("follows a functional model's graph to its outputs", () => {
    const path = modelJson("functional", {
      format: "layers-model",
      modelTopology: {
        class_name: "Functional",
        config: {
          name: "f",
          layers: [
            { class_name: "InputLayer", name: "obs", config: { name: "obs", batch_input_shape: [null, 10] }, inbound_nodes: [] },
            { class_name: "Dense", name: "h", config: { name: "h", units: 20 }, inbound_nodes: [[["obs", 0, 0, {}]]] },
            { class_name: "Dense", name: "mu", config: { name: "mu", units: 2 }, inbound_nodes: [[["h", 0, 0, {}]]] },
            { class_name: "Dense", name: "v", config: { name: "v", units: 1 }, inbound_nodes: [[["h", 0, 0, {}]]] },
            {
              class_name: "Concatenate",
              name: "both",
              config: { name: "both", axis: -1 },
              inbound_nodes: [[["mu", 0, 0, {}], ["v", 0, 0, {}]]],
            },
          ],
          input_layers: [["obs", 0, 0]],
          output_layers: [["both", 0, 0], ["v", 0, 0]],
        },
      },
    });
    expect(readModelInfo(path, "tfjs")).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "obs", dtype: "f32", shape: [null, 10] }],
        outputs: [
          { name: "both", dtype: "f32", shape: [null, 3] },
          { name: "v", dtype: "f32", shape: [null, 1] },
        ],
      },
    });
  });

  it("reads a graph model's signature, naming ports by their signature keys", () => {
    const path = modelJson("graph", {
      format: "graph-model",
      modelTopology: { node: [] },
      signature: {
        inputs: { obs: { name: "serving_obs:0", dtype: "DT_FLOAT", tensorShape: { dim: [{ size: "-1" }, { size: "32" }] } } },
        outputs: { act: { name: "Identity:0", dtype: "DT_FLOAT", tensorShape: { dim: [{ size: "-1" }, { size: "8" }] } } },
      },
    });
    expect(readModelInfo(path, "tfjs")).toEqual({
      ok: true,
      info: {
        inputs: [{ name: "obs", dtype: "f32", shape: [null, 32] }],
        outputs: [{ name: "act", dtype: "f32", shape: [null, 8] }],
      },
    });
  });

  it("falls back to placeholders and unconsumed nodes for a graph model without a signature", () => {
    const path = modelJson("graph2", {
      format: "graph-model",
      modelTopology: {
        node: [
          { name: "x", op: "Placeholder", attr: { dtype: { type: "DT_FLOAT" }, shape: { shape: { dim: [{ size: "-1" }, { size: "3" }] } } } },
          { name: "w", op: "Const" },
          { name: "y", op: "MatMul", input: ["x", "w"], attr: { T: { type: "DT_FLOAT" } } },
        ],
      },
    });
    const result = readModelInfo(path, "tfjs");
    expect(result.ok && result.info.inputs).toEqual([{ name: "x", dtype: "f32", shape: [null, 3] }]);
    expect(result.ok && result.info.outputs.map((o) => o.name)).toEqual(["y"]);
  });

  it("reports missing and malformed model.json files", () => {
    const missing = readModelInfo(join(dir, "no-such-model", "model.json"), "tfjs");
    expect(!missing.ok && missing.kind).toBe("missing");
    for (const [name, text] of [
      ["notjson", "{ not json"],
      ["array", "[1, 2, 3]"],
      ["notopology", '{"format":"layers-model"}'],
      ["nolayers", '{"format":"layers-model","modelTopology":{"class_name":"Sequential","config":{"layers":[]}}}'],
      ["noshape", '{"modelTopology":{"class_name":"Sequential","config":{"layers":[{"class_name":"Dense","config":{"units":3}}]}}}'],
      ["format", '{"format":"weird","modelTopology":{}}'],
    ] as const) {
      const sub = join(dir, `bad-${name}`);
      mkdirSync(sub, { recursive: true });
      const result = readModelInfo(file(join(`bad-${name}`, "model.json"), text), "tfjs");
      expect({ name, kind: !result.ok && result.kind }).toEqual({ name, kind: "invalid" });
    }
  });

  it("reports binary garbage as invalid", () => {
    const sub = join(dir, "binary");
    mkdirSync(sub, { recursive: true });
    const result = readModelInfo(file(join("binary", "model.json"), mlpOnnx(seededMlp([2, 2], 3))), "tfjs");
    expect(!result.ok && result.kind).toBe("invalid");
  });
});
