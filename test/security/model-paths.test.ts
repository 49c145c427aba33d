// Imports and model paths stay inside the project: the directory of the entry spec (or a declared project root) plus the
// directories the host allows. `../x.onnx`, absolute paths and symbolic links that lead out are refused by the
// checker (HP5020, at the model's path) and — for IR that never went through the compiler — by the runtime's
// neural host (HP8107 for the agents that reach the model, whose fallback runs).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { createPool, type PolicyIR } from "../../src/runtime/index.ts";
import { createNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../cli/capture.ts";
import { writeOnnxFixtures } from "../checker/model-fixtures.ts";

const base = mkdtempSync(join(tmpdir(), "hpol-model-paths-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const project = join(base, "project");
const outside = join(base, "outside");
writeOnnxFixtures(join(project, "models"));
writeOnnxFixtures(outside);
symlinkSync(join(outside, "aim.onnx"), join(project, "models", "escape.onnx"));
symlinkSync(outside, join(project, "linked-dir"));

function spec(path: string): string {
  return `observation { pos: vec4 }
output { act: vec2  source: int }
model aim from "${path}" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act, source {
  selector {
    sequence {
      infer aim { feed obs = obs.pos  write out.act = act }
      set out.source = 1
    }
    sequence {
      set out.act = vec2(0.0, 0.0)
      set out.source = 2
    }
  }
}
`;
}

function checkAt(path: string, options: Parameters<typeof checkFiles>[2] = {}) {
  const file = join(project, "spec.hpol");
  writeFileSync(file, spec(path));
  return { file, result: checkFiles([file], undefined, options) };
}

describe("the checker confines model paths (HP5020)", () => {
  it.each([
    ["a path inside the project", "models/aim.onnx"],
    ["a path through .. that comes back inside", "models/../models/aim.onnx"],
  ])("accepts %s", (_, path) => {
    expect(checkAt(path).result.diagnostics).toEqual([]);
  });

  it.each([
    ["a path through ..", "../outside/aim.onnx"],
    ["an absolute path", join(outside, "aim.onnx")],
    ["a symbolic link to a file outside", "models/escape.onnx"],
    ["a file inside a linked directory that points outside", "linked-dir/aim.onnx"],
    ["a file that does not exist, outside", "../nowhere/aim.onnx"],
  ])("refuses %s, at the path, before opening it", (_, path) => {
    const { result } = checkAt(path);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HP5020"]);
    const d = result.diagnostics[0]!;
    expect(result.sources.get(d.file)!.slice(d.span.start, d.span.end)).toBe(JSON.stringify(path));
    expect(d.help).toContain("--allow-model-path");
  });

  it("accepts a directory the host allows, and a declared project root", () => {
    expect(checkAt(join(outside, "aim.onnx"), { allowModelPaths: [outside] }).result.diagnostics).toEqual([]);
    expect(checkAt("../outside/aim.onnx", { projectRoot: base }).result.diagnostics).toEqual([]);
    expect(checkAt("models/escape.onnx", { allowModelPaths: [outside] }).result.diagnostics).toEqual([]);
  });

  it("hpol check --allow-model-path", async () => {
    const { file } = checkAt("../outside/aim.onnx");
    const refused = captureIO();
    expect(await main(["check", file], refused)).toBe(1);
    expect(refused.out).toContain("HP5020");
    const allowed = captureIO();
    expect(await main(["check", file, "--allow-model-path", outside], allowed)).toBe(0);
  });
});

describe("the runtime confines model paths too (HP8107), for IR loaded directly", () => {
  const compiled = (): PolicyIR => {
    const { result } = checkAt("models/aim.onnx");
    return lower(result.program!, result.sources);
  };
  /** The IR with its model path replaced, as a tampered or hand-written IR would have it. */
  const withPath = (path: string): PolicyIR => {
    const ir = JSON.parse(JSON.stringify(compiled())) as { models: { path: string }[] };
    ir.models[0]!.path = path;
    return ir as unknown as PolicyIR;
  };
  async function run(ir: PolicyIR, roots?: readonly string[]) {
    const neural = createNeuralHost(ir, project, roots ? { modelRoots: roots } : {});
    const pool = createPool(ir, { agents: 2, neural: neural! });
    for (let a = 0; a < 2; a++) pool.setObservation(a, { pos: [1, 2, 3, 4] });
    await pool.stepOnce();
    const errors = pool.drainErrors();
    const sources = [0, 1].map((a) => pool.getOutput(a)["source"]);
    await pool.close();
    return { errors, sources };
  }

  it("runs the model inside the project", async () => {
    expect(await run(compiled())).toEqual({ errors: [], sources: [1, 1] });
  });

  it.each([
    ["a path through ..", "../outside/aim.onnx"],
    ["an absolute path", join(outside, "aim.onnx")],
    ["a symbolic link that leads outside", "models/escape.onnx"],
  ])("refuses %s: every agent that reaches it gets the error and falls back", async (_, path) => {
    const r = await run(withPath(path));
    expect(r.sources).toEqual([2, 2]);
    expect(r.errors.map((e) => [e.agent, e.code])).toEqual([
      [0, "HP8030"],
      [1, "HP8030"],
    ]);
    expect(r.errors[0]!.message).toContain("HP8107");
    expect(r.errors[0]!.message).toContain("outside the allowed directories");
  });

  it("opens it when the host allows the directory", async () => {
    expect(await run(withPath(join(outside, "aim.onnx")), [project, outside])).toEqual({ errors: [], sources: [1, 1] });
  });
});

describe("imports stay inside the project too (HP5021)", () => {
  const secret = join(outside, "secret.hpol");
  writeFileSync(secret, "this is not hpol: the secret must never be read or shown\n");
  writeFileSync(join(outside, "lib.hpol"), "enum Color { Red, Green }\n");
  symlinkSync(join(outside, "lib.hpol"), join(project, "linked-lib.hpol"));
  writeFileSync(join(project, "lib.hpol"), "enum Color { Red, Green }\n");
  const entry = (from: string) => {
    const file = join(project, "imports.hpol");
    writeFileSync(file, `import { Color } from ${JSON.stringify(from)}\nobservation { c: Color }\n`);
    return file;
  };

  it.each([
    ["a path through ..", "../outside/secret.hpol", "HP5021"],
    ["a symbolic link leading out", "linked-lib.hpol", "HP5021"],
    // Import paths are always joined to the importing file's directory: an absolute one names a file inside it.
    ["an absolute path", secret, "HP5001"],
  ])("refuses %s without reading it", (_, from, code) => {
    const r = checkFiles([entry(from)]);
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    expect([...r.sources.keys()]).toEqual([join(project, "imports.hpol")]);
    expect(r.diagnostics[0]!.message).not.toContain("secret must never");
  });

  it("accepts an import inside the project, and one inside a declared project root", async () => {
    expect(checkFiles([entry("lib.hpol")]).diagnostics).toEqual([]);
    expect(checkFiles([entry("../outside/lib.hpol")], undefined, { projectRoot: base }).diagnostics).toEqual([]);
    const io = captureIO();
    expect(await main(["check", entry("../outside/lib.hpol"), "--project-root", base], io)).toBe(0);
  });
});

