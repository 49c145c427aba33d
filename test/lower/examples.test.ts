// Every example lowers to IR that loadIR accepts. Model files are not needed: each model's signature is taken
// from its own declaration, which is what the checker compares a real file against.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/grammar/index.ts";
import type * as A from "../../src/grammar/ast.ts";
import { checkFiles, nodeHost, type CompilerHost } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { loadIR } from "../../src/runtime/load-ir.ts";
import { printPolicy } from "../../src/runtime/ir-print.ts";
import { runTests } from "../../src/runtime/test-runner.ts";
import type { ModelInfo } from "../../src/runtime/neural/host.ts";

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
const specs = readdirSync(examples).filter((f) => f.endsWith(".hpol")).map((f) => join(examples, f));

/** Signatures of every model declared in `file`, keyed by the model's absolute path. */
function declaredModels(file: string): Map<string, ModelInfo> {
  const models = new Map<string, ModelInfo>();
  const module = parse(readFileSync(file, "utf8"), file).module;
  for (const decl of module.decls) {
    if (decl.kind !== "ModelDecl") continue;
    const port = (p: A.ModelPort) => {
      if (p.type.kind !== "TensorType") throw new Error(`port ${p.name.name} is not a tensor`);
      return { name: p.name.name, dtype: p.type.dtype, shape: p.type.shape.map((d) => (d.kind === "fixed" ? d.size : null)) };
    };
    models.set(resolve(dirname(file), decl.path.value), {
      inputs: decl.ports.filter((p) => p.direction === "input").map(port),
      outputs: decl.ports.filter((p) => p.direction === "output").map(port),
    });
  }
  return models;
}

describe("lowering the examples", () => {
  for (const spec of specs) {
    it(`${spec.slice(examples.length)} lowers to valid IR whose test blocks pass`, async () => {
      const models = declaredModels(spec);
      const host: CompilerHost = {
        readFile: nodeHost.readFile,
        readModel: (p) => {
          const info = models.get(p);
          return info ? { ok: true, info } : { ok: false, kind: "missing", message: p };
        },
      };
      const result = checkFiles([spec], host);
      expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const ir = loadIR(JSON.parse(JSON.stringify(lower(result.program!, result.sources))));
      expect(ir.executors.length).toBeGreaterThan(0);
      // Every layer prints, so every node and expression id resolves.
      expect(printPolicy(ir).split("\n").length).toBeGreaterThanOrEqual(ir.planners.length + ir.executors.length);
      // Without models, the spec's own test blocks run in the reference interpreter on the lowered IR.
      if (ir.models.length === 0 && ir.tests.length > 0) {
        const run = await runTests(ir);
        expect(run.tests.filter((t) => !t.passed).map((t) => t.name)).toEqual([]);
        expect(run.passed).toBe(ir.tests.length);
      }
    });
  }
});
