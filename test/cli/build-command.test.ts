import { afterAll, describe, expect, it } from "vitest";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { main } from "../../src/cli/main.ts";
import { createPool, loadIR } from "../../src/runtime/index.ts";
import type { PolicyIR } from "../../src/runtime/index.ts";
import { modelConfigsFromIR } from "../../src/runtime/neural/batching-host.ts";
import { captureIO } from "./capture.ts";

const root = join(import.meta.dirname, "..", "..");
const out = join(import.meta.dirname, "out", "build");
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("hpol build", () => {
  it("writes the module, its JavaScript and declarations and the IR; the module runs like the interpreter", async () => {
    const io = captureIO();
    const runtime = join(root, "src", "runtime", "index.ts");
    const code = await main(["build", join(root, "examples", "guarded.hpol"), "-o", out, "--runtime-module", runtime], io);
    expect(io.err).toBe("");
    expect(code).toBe(0);
    for (const ext of [".ts", ".js", ".d.ts", ".ir.json"]) expect(existsSync(join(out, `guarded${ext}`))).toBe(true);
    expect(readFileSync(join(out, "guarded.d.ts"), "utf8")).toContain("createPolicyPool");
    expect(readFileSync(join(out, "guarded.js"), "utf8")).not.toMatch(/^\s*(interface|type)\s/m);

    const ir = loadIR(JSON.parse(readFileSync(join(out, "guarded.ir.json"), "utf8")));
    const mod = (await import(pathToFileURL(join(out, "guarded.ts")).href)) as {
      createPolicyPool(o: Record<string, unknown>): ReturnType<typeof createPool>;
      policyIR: PolicyIR;
    };
    // The module's embedded IR (JSON text plus packed spans) is exactly the IR written beside it.
    expect(mod.policyIR).toEqual(ir);
    // The same stub externs for both: every condition false, every function 0-like, every action succeeds.
    const externs = Object.fromEntries(
      ir.externs.map((x) => [x.name, x.kind === "action" ? () => "success" : x.kind === "condition" ? () => false : () => stub(x.returns)]),
    );
    const emitted = mod.createPolicyPool({ agents: 2, seed: 9, externs });
    const interpreted = createPool(ir, { agents: 2, seed: 9, externs });
    for (let step = 0; step < 40; step++) {
      for (const pool of [emitted, interpreted]) for (let a = 0; a < 2; a++) pool.setObservation(a, observation(ir, step + a));
      emitted.stepSync();
      interpreted.stepSync();
      for (let a = 0; a < 2; a++) expect(emitted.getOutput(a)).toEqual(interpreted.getOutput(a));
    }
  });

  it("builds are machine-independent: span files relative to the spec, identical bytes from two locations", async () => {
    // Two copies of the examples at different absolute paths stand for two machines.
    const copies = [0, 1].map(() => {
      const dir = mkdtempSync(join(tmpdir(), "hpol-build-"));
      cpSync(join(root, "examples"), dir, { recursive: true });
      return dir;
    });
    try {
      for (const dir of copies) {
        const io = captureIO();
        // pick_and_place imports lib/common.hpol and declares a model: spans in two files, a model path to resolve.
        expect(await main(["build", join(dir, "pick_and_place.hpol"), "-o", join(dir, "out")], io)).toBe(0);
      }
      const read = (dir: string, ext: string): string => readFileSync(join(dir, "out", `pick_and_place${ext}`), "utf8");
      for (const ext of [".ts", ".js", ".d.ts", ".ir.json"]) {
        expect(read(copies[0]!, ext)).toBe(read(copies[1]!, ext));
        for (const dir of copies) expect(read(dir, ext)).not.toContain(dir);
      }
      const ir = loadIR(JSON.parse(read(copies[0]!, ".ir.json"))) as PolicyIR;
      const files = new Set(ir.spans.nodes.flatMap((s) => (s ? [s.file] : [])));
      expect([...files].sort()).toEqual(["lib/common.hpol", "pick_and_place.hpol"]);
      // A host resolving the built IR's model paths against the spec's directory finds the model file.
      const [config] = modelConfigsFromIR(ir.models, copies[1]!);
      expect(config!.path).toBe(join(copies[1]!, "models", "grasp.onnx"));
      expect(existsSync(config!.path)).toBe(true);
    } finally {
      for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints diagnostics and writes nothing for a spec with errors", async () => {
    const io = captureIO({ files: { "/virtual/bad.hpol": "output { x: bool }\nexecutor e at 10hz writes x {\n  set out.x = 3\n}\n" } });
    const code = await main(["build", "/virtual/bad.hpol", "-o", join(out, "bad")], io);
    expect(code).toBe(1);
    expect(io.out).toContain("HP3");
    expect(existsSync(join(out, "bad"))).toBe(false);
  });
});

// Deterministic observation values that fit any declared type: small numbers, alternating bools, zero vectors.
function observation(ir: ReturnType<typeof loadIR>, k: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const id of ir.layout.observation) {
    const v = ir.layout.vars[id]!;
    o[v.field] = valueFor(v.type, k);
  }
  return o;
}

function valueFor(t: ReturnType<typeof loadIR>["layout"]["vars"][number]["type"], k: number): unknown {
  switch (t.k) {
    case "bool":
      return k % 3 === 0;
    case "int":
    case "float": {
      const lo = t.min ?? 0;
      const hi = t.max ?? lo + 50;
      const x = lo + ((k * 7) % (Math.floor(hi - lo) + 1));
      return t.k === "int" ? Math.round(x) : x;
    }
    case "enum":
      return t.members[k % t.members.length];
    case "vec":
      return Array.from({ length: t.size }, (_, i) => (k + i) % 5);
    default:
      throw new Error(`no test value for ${t.k}`);
  }
}

function stub(t: unknown): unknown {
  const type = t as { k: string; size?: number } | undefined;
  if (!type) return 0;
  if (type.k === "bool") return false;
  if (type.k === "vec") return Array.from({ length: type.size ?? 2 }, () => 0);
  return 0;
}
