// Model-signature checks against real model files written by the project's own ONNX and TF.js writers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFiles } from "../../src/compiler/program.ts";
import { writeOnnxFixtures, writeTfjsFixtures } from "./model-fixtures.ts";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hpol-models-"));
  writeOnnxFixtures(dir);
  await writeTfjsFixtures(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(model: string, ports: string, feed = "feed obs = obs.pos  write out.act = act") {
  const file = join(dir, "spec.hpol");
  writeFileSync(
    file,
    `observation { pos: vec4 }
output { act: vec2 }
model aim from "${model}" using ${model.includes("tfjs") ? "tfjs" : "onnx"} {
${ports}
}
executor drive at 10hz writes act { infer aim { ${feed} } }
`,
  );
  const result = checkFiles([file]);
  return result.diagnostics.map((d) => `${d.code} ${d.message}`);
}

const onnxPorts = (input: string, output = "tensor<f32, [batch, 2]>") => `  input obs: ${input}\n  output act: ${output}`;

describe("model signatures", () => {
  it("the committed baseline fixtures are exactly what the writers produce", () => {
    const committed = join(import.meta.dirname, "../cases/semantic/models");
    for (const f of ["aim.onnx", "aim_fixed_batch.onnx", "aim_unnamed_batch.onnx", "planner.onnx", "aim_tfjs/model.json", "aim_tfjs/weights.bin"]) {
      expect(readFileSync(join(committed, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
    }
  });

  it("accepts a matching ONNX signature with a named, a `?` or a renamed batch dimension", () => {
    expect(check("aim.onnx", onnxPorts("tensor<f32, [batch, 4]>"))).toEqual([]);
    expect(check("aim.onnx", onnxPorts("tensor<f32, [?, 4]>", "tensor<f32, [?, 2]>"))).toEqual([]);
    expect(check("aim.onnx", onnxPorts("tensor<f32, [n, 4]>", "tensor<f32, [n, 2]>"))).toEqual([]);
    expect(check("aim_unnamed_batch.onnx", onnxPorts("tensor<f32, [batch, 4]>"))).toEqual([]);
  });

  it("a declared batch dimension that the file fixes cannot be batched", () => {
    expect(check("aim_fixed_batch.onnx", onnxPorts("tensor<f32, [batch, 4]>"))).toEqual([
      "HP3032 tensor `obs` is declared with shape [batch, 4] but the model file has [1, 4]",
      "HP3032 tensor `act` is declared with shape [batch, 2] but the model file has [1, 2]",
    ]);
  });

  it("a fixed declaration of a file with a fixed batch of 1 is accepted; the agent feeds all of it", () => {
    expect(check("aim_fixed_batch.onnx", onnxPorts("tensor<f32, [1, 4]>", "tensor<f32, [1, 2]>"))).toEqual([]);
  });

  it("names the tensor, the declared and the actual shape and dtype", () => {
    expect(check("aim.onnx", onnxPorts("tensor<f32, [batch, 5]>"), "feed obs = [1.0, 2.0, 3.0, 4.0, 5.0]  write out.act = act")).toEqual([
      "HP3032 tensor `obs` is declared with shape [batch, 5] but the model file has [batch, 4]",
    ]);
    expect(check("aim.onnx", onnxPorts("tensor<f32, [batch, 4, 1]>"), "feed obs = obs.pos  write out.act = act")).toEqual([
      "HP3032 tensor `obs` is declared with shape [batch, 4, 1] but the model file has [batch, 4]",
    ]);
    expect(check("aim.onnx", onnxPorts("tensor<i64, [batch, 4]>"), "feed obs = [1, 2, 3, 4]  write out.act = act")).toEqual([
      "HP3031 tensor `obs` is declared i64 but the model file has f32",
    ]);
  });

  it("checks TF.js layers models (model.json) with their dynamic batch dimension", () => {
    const ports = (out: string) => `  input layer0_input: tensor<f32, [?, 4]>\n  output layer0: ${out}`;
    const feed = "feed layer0_input = obs.pos  write out.act = layer0";
    expect(check("aim_tfjs/model.json", ports("tensor<f32, [?, 2]>"), feed)).toEqual([]);
    expect(check("aim_tfjs/model.json", ports("tensor<f32, [batch, 2]>"), feed)).toEqual([]);
    expect(check("aim_tfjs/model.json", ports("tensor<f32, [?, 3]>"), "feed layer0_input = obs.pos  write out.act = vec2(layer0[0], layer0[1])")).toEqual([
      "HP3032 tensor `layer0` is declared with shape [?, 3] but the model file has [?, 2]",
    ]);
    expect(check("aim_tfjs", ports("tensor<f32, [?, 2]>"), feed)).toEqual([]);
  });

  it("a missing or unreadable model file is an HP5xxx error with the path", () => {
    const missing = check("nope.onnx", onnxPorts("tensor<f32, [batch, 4]>"));
    expect(missing).toEqual([`HP5002 model file \`${join(dir, "nope.onnx")}\` does not exist`]);
    const garbage = check("garbage.onnx", onnxPorts("tensor<f32, [batch, 4]>"));
    expect(garbage).toHaveLength(1);
    expect(garbage[0]).toContain(`HP5003 cannot read model \`${join(dir, "garbage.onnx")}\``);
  });
});
