// Resource limits (src/runtime/limits.ts): each one stops an oversized spec with its coded diagnostic, at the
// place that crosses it, before lowering allocates anything; each can be raised through the compiler options and
// the CLI's --limit; and loadIR re-checks the sizes an IR asks for (HP8003) before allocating them.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles, checkSource, type CheckFilesOptions, type CompilerHost } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.ts";
import { DEFAULT_LIMITS, loadIR, parseLimitSetting, type PolicyIR } from "../../src/runtime/index.ts";
import { runtimeCodeOf } from "./untrusted-spec.ts";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../cli/capture.ts";
import { validSpec } from "../fuzz/generate.ts";

const FILE = "/virtual/limits.hpol";
const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const check = (text: string, options: CheckFilesOptions = {}) => checkSource(text, FILE, { readFile: () => undefined }, options);
const codes = (ds: readonly Diagnostic[]) => ds.map((d) => d.code);
/** The source text a diagnostic's span covers. */
const at = (text: string, d: Diagnostic) => text.slice(d.span.start, d.span.end);

const BIG_LIST = `observation { big: list<vec<100000>, 100000> }
output { y: float }
executor run at 10hz writes y { set out.y = len(obs.big) }
`;

/** Tree t1 calls t2 twice, which calls t3 twice, … : 2^(levels-1) copies of the leaf once inlined. */
function doubling(levels: number): string {
  let src = `observation { x: float }\noutput { y: float }\ntree t${levels}() { set out.y = obs.x }\n`;
  for (let i = levels - 1; i >= 1; i--) src += `tree t${i}() { sequence { call t${i + 1}()  call t${i + 1}() } }\n`;
  return src + "executor run at 10hz writes y { call t1() }\n";
}

describe("value limits", () => {
  it("list<vec<100000>, 100000> as an observation: list capacity and vector size, each at its type", () => {
    const r = check(BIG_LIST);
    expect(codes(r.diagnostics)).toEqual(["HP5012", "HP5011"]);
    expect(at(BIG_LIST, r.diagnostics[0]!)).toBe("list<vec<100000>, 100000>");
    expect(at(BIG_LIST, r.diagnostics[1]!)).toBe("vec<100000>");
    expect(r.diagnostics[0]!.help).toContain("--limit listCapacity=");
    expect(r.program).toBeUndefined();
  });

  it("raising the per-type limits leaves the frame limit, reported at the field that crosses it", () => {
    const r = check(BIG_LIST, { limits: { listCapacity: 100_000, valueSlots: 1e11 } });
    expect(codes(r.diagnostics)).toEqual(["HP5013"]);
    expect(at(BIG_LIST, r.diagnostics[0]!)).toBe("big");
    expect(r.diagnostics[0]!.message).toContain("10,000,000,002");
  });

  it("with every limit raised the spec checks (limits, not types, refused it)", () => {
    expect(check(BIG_LIST, { limits: { listCapacity: 100_000, valueSlots: 1e11, frameSlots: 1e11 } }).diagnostics).toEqual([]);
  });

  it("a record whose fields are each small but together too large", () => {
    const text = `record Big { a: vec<40000>  b: vec<40000> }\nobservation { r: Big }\noutput { y: float }\nexecutor run at 10hz writes y { set out.y = obs.r.a[0] }\n`;
    const r = check(text);
    expect(codes(r.diagnostics)).toEqual(["HP5011"]);
    expect(at(text, r.diagnostics[0]!)).toBe("Big");
  });

  it("local state of a tree counts once per inlined call site in the frame", () => {
    let calls = "";
    for (let i = 0; i < 20; i++) calls += " call keep()";
    const text = `observation { x: float }\noutput { y: float }\ntree keep() {\n  state { memo: vec<20000> }\n  set state.memo = state.memo\n}\nexecutor run at 10hz writes y { sequence {${calls}  set out.y = obs.x } }\n`;
    const r = check(text);
    expect(codes(r.diagnostics.filter((d) => d.severity === "error"))).toEqual(["HP5013"]);
    expect(at(text, r.diagnostics.find((d) => d.code === "HP5013")!)).toBe("run");
    // 20 instances of 20,000 slots, plus the observation and the output.
    expect(check(text, { limits: { frameSlots: 400_002 } }).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(codes(check(text, { limits: { frameSlots: 400_001 } }).diagnostics.filter((d) => d.severity === "error"))).toEqual(["HP5013"]);
  });
});

describe("type nesting", () => {
  const chain = (n: number) => {
    let src = "observation { r: R0 }\noutput { y: float }\nexecutor run at 10hz writes y { set out.y = obs.r.x }\nrecord R0 { x: float  next: R1 }\n";
    for (let i = 1; i < n; i++) src += `record R${i} { next: R${i + 1} }\n`;
    return src + `record R${n} { x: float }\n`;
  };

  it("a chain of 5,000 records is one HP5017, not a stack overflow", () => {
    const text = chain(5000);
    const r = check(text);
    expect(codes(r.diagnostics)).toEqual(["HP5017"]);
    expect(at(text, r.diagnostics[0]!)).toMatch(/^R\d+$/);
  });

  it("a chain within typeDepth checks; its IR is refused by loadIR with a smaller typeDepth (HP8003)", () => {
    const r = check(chain(20));
    expect(r.diagnostics).toEqual([]);
    const ir = lower(r.program!, r.sources);
    expect(runtimeCodeOf(() => loadIR(JSON.stringify(ir)))).toBeUndefined();
    expect(runtimeCodeOf(() => loadIR(JSON.stringify(ir), { typeDepth: 10 }))).toBe("HP8003");
  });
});

describe("the checker measures what lowering builds", () => {
  // The frame estimate is exact, and the node count never below the IR's: a host that loads the compiler's IR
  // with the same limits (loadIR) accepts everything the compiler accepted.
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".hpol")).map((f) => ({ name: f, file: join(EXAMPLES, f) }));
  const generated = Array.from({ length: 40 }, (_, i) => ({ name: `generated spec ${i + 1}`, text: validSpec(i + 1, 30) }));
  const run = (c: { file?: string; text?: string }, options: CheckFilesOptions = {}) =>
    c.file !== undefined ? checkFiles([c.file], undefined, options) : checkSource(c.text!, FILE, { readFile: () => undefined }, options);
  it.each([...examples, ...generated])("$name", (c) => {
    const r = run(c);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ir = lower(r.program!, r.sources);
    const frame = ir.layout.frameSize;
    const has = (code: string, limits: CheckFilesOptions["limits"]) => run(c, { limits }).diagnostics.some((d) => d.code === code);
    expect(has("HP5013", { frameSlots: frame })).toBe(false);
    expect(has("HP5013", { frameSlots: frame - 1 })).toBe(frame > 0);
    expect(has("HP5010", { nodes: ir.nodes.length + ir.exprs.length - 1 })).toBe(true);
    expect(() => loadIR(JSON.stringify(ir))).not.toThrow();
  });
});

describe("node limit after inlining", () => {
  it("an exponentially expanding spec of 61 lines is stopped at the tree where it crosses the limit", () => {
    const text = doubling(60);
    const r = check(text);
    expect(codes(r.diagnostics)).toEqual(["HP5010"]);
    const name = at(text, r.diagnostics[0]!);
    // The reported tree is over the limit and the tree it calls is not.
    const level = Number(name.slice(1));
    const perLeaf = 2 ** (60 - level);
    expect(perLeaf).toBeGreaterThan(DEFAULT_LIMITS.nodes / 64);
    expect(r.diagnostics[0]!.message).toMatch(/^tree `t\d+` expands to [\d,]+ tree and expression nodes/);
    expect(r.program).toBeUndefined();
  });

  it("a spec under the limit lowers, and its IR has no more nodes than the checker counted", () => {
    const text = doubling(8);
    const r = check(text);
    expect(r.diagnostics).toEqual([]);
    const ir = lower(r.program!, r.sources);
    const limited = check(text, { limits: { nodes: ir.nodes.length + ir.exprs.length - 1 } });
    expect(codes(limited.diagnostics)).toEqual(["HP5010"]);
  });

  it("the total over all layers counts, reported at the layer that crosses it when no single tree does", () => {
    const text = `observation { x: float }\noutput { y: float  z: float }\nexecutor a at 10hz writes y { set out.y = obs.x + 1.0 }\nexecutor b at 10hz writes z { set out.z = obs.x + 2.0 }\n`;
    const sizes = [40, 30, 20].map((n) => codes(check(text, { limits: { nodes: n } }).diagnostics));
    expect(sizes.some((c) => c.length === 0)).toBe(true);
    const failing = [40, 30, 20, 10].map((n) => check(text, { limits: { nodes: n } })).find((r) => r.diagnostics.length > 0)!;
    expect(codes(failing.diagnostics)).toEqual(["HP5010"]);
    expect(["a", "b"]).toContain(at(text, failing.diagnostics[0]!));
  });
});

describe("import limits", () => {
  const chainHost = (n: number): CompilerHost => ({
    readFile: (p) => {
      const m = /c(\d+)\.hpol$/.exec(p);
      if (!m) return undefined;
      const i = Number(m[1]);
      return i < n ? `import { C${i + 1} } from "c${i + 1}.hpol"\nconst C${i}: int = C${i + 1}\n` : `const C${i}: int = 1\n`;
    },
  });

  it("a chain deeper than importDepth is cut at the import that goes too deep", () => {
    const r = checkFiles(["/p/c0.hpol"], chainHost(50));
    expect(codes(r.diagnostics)).toEqual(["HP5014"]);
    expect(r.diagnostics[0]!.file).toBe(`/p/c${DEFAULT_LIMITS.importDepth}.hpol`);
    expect(r.sources.size).toBe(DEFAULT_LIMITS.importDepth + 1);
    expect(checkFiles(["/p/c0.hpol"], chainHost(50), { limits: { importDepth: 60 } }).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("more modules than `imports` is cut at the import that adds one too many", () => {
    const host: CompilerHost = {
      readFile: (p) => {
        if (p === "/p/main.hpol") return Array.from({ length: 10 }, (_, i) => `import { M${i} } from "m${i}.hpol"`).join("\n") + "\n";
        const m = /m(\d+)\.hpol$/.exec(p);
        return m ? `const M${m[1]}: int = 1\n` : undefined;
      },
    };
    const r = checkFiles(["/p/main.hpol"], host, { limits: { imports: 6 } });
    // main and m0–m4 are read; each of the five imports after them is refused where it stands.
    expect(codes(r.diagnostics)).toEqual(Array(5).fill("HP5014"));
    expect(r.diagnostics.map((d) => d.span.start)).toEqual([...r.diagnostics.map((d) => d.span.start)].sort((a, b) => a - b));
    expect(r.diagnostics[0]!.message).toContain("7 modules");
    expect(r.sources.size).toBe(6);
  });
});

describe("text limits", () => {
  it("a 10,000-character identifier is one HP5015 at that identifier; 256 characters are fine", () => {
    const name = "n".repeat(10_000);
    const text = `observation { ${name}: float }\noutput { y: float }\nexecutor run at 10hz writes y { set out.y = obs.${name} }\n`;
    const r = check(text);
    expect(codes(r.diagnostics)).toEqual(["HP5015", "HP5015"]);
    expect(at(text, r.diagnostics[0]!)).toBe(name);
    const ok = "n".repeat(256);
    expect(check(text.replaceAll(name, ok)).diagnostics).toEqual([]);
  });

  it("a label longer than stringLength", () => {
    const text = `observation { x: float }\noutput { y: float }\nexecutor run at 10hz writes y { sequence "${"s".repeat(5000)}" { set out.y = obs.x } }\n`;
    expect(codes(check(text).diagnostics)).toEqual(["HP5015"]);
    expect(check(text, { limits: { stringLength: 5000 } }).diagnostics).toEqual([]);
  });
});

describe("model tensor limits", () => {
  const model = (dims: string) => `observation { pos: vec4 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, ${dims}]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`;
  const fileWith = (outputs: { name: string; dtype: string; shape: (number | string)[] }[]): CompilerHost => ({
    readFile: () => undefined,
    readModel: () => ({ ok: true, info: { inputs: [{ name: "obs", dtype: "float32", shape: ["batch", 4] }], outputs } as never }),
  });

  it("a declared port over tensorElements is HP5016 at its type", () => {
    const text = model("2000000");
    const r = check(text);
    expect(codes(r.diagnostics)).toEqual(["HP5016"]);
    expect(at(text, r.diagnostics[0]!)).toBe("tensor<f32, [batch, 2000000]>");
  });

  it("a tensor of the model file over the limit is HP5016 even when the spec does not declare it", () => {
    const text = model("4");
    const host = fileWith([
      { name: "act", dtype: "float32", shape: ["batch", 2] },
      { name: "hidden", dtype: "float32", shape: ["batch", 4096, 4096] },
    ]);
    const r = checkSource(text, FILE, host);
    expect(codes(r.diagnostics)).toEqual(["HP5016"]);
    expect(r.diagnostics[0]!.message).toContain("`hidden` in the model file has 16,777,216 elements");
    expect(checkSource(text, FILE, host, { limits: { tensorElements: 16_777_216 } }).diagnostics).toEqual([]);
  });
});

describe("--limit on the command line", () => {
  it("parses name=value and refuses unknown names and bad values", () => {
    expect(parseLimitSetting("nodes=5_000")).toEqual({ name: "nodes", value: 5000 });
    expect(parseLimitSetting("nodez=5")).toHaveProperty("error");
    expect(parseLimitSetting("nodes=-1")).toHaveProperty("error");
    expect(parseLimitSetting("nodes")).toHaveProperty("error");
  });

  it("hpol check reports the limit diagnostic and accepts the spec once the limits are raised", async () => {
    const io = captureIO({ files: { "big.hpol": BIG_LIST } });
    expect(await main(["check", "big.hpol"], io)).toBe(1);
    expect(io.out).toContain("HP5012");
    const raised = captureIO({ files: { "big.hpol": BIG_LIST } });
    const args = ["check", "big.hpol", "--limit", "listCapacity=100000", "--limit", "valueSlots=20000000000", "--limit", "frameSlots=20000000000"];
    expect(await main(args, raised)).toBe(0);
    const bad = captureIO({ files: { "big.hpol": BIG_LIST } });
    expect(await main(["check", "big.hpol", "--limit", "bogus=1"], bad)).toBe(1);
    expect(bad.err).toContain("unknown limit `bogus`");
  });
});

describe("loadIR limits (IR from untrusted sources)", () => {
  const small = (): PolicyIR => {
    const r = check(`observation { xs: list<float, 8> }\noutput { y: float }\nexecutor run at 10hz writes y { set out.y = len(obs.xs) }\n`);
    return JSON.parse(JSON.stringify(lower(r.program!, r.sources))) as PolicyIR;
  };

  it("accepts the compiler's IR", () => {
    expect(runtimeCodeOf(() => loadIR(small()))).toBeUndefined();
  });

  it("a frame of 10^10 slots is HP8003, not an allocation failure", () => {
    const ir = small() as { layout: { frameSize: number } };
    ir.layout.frameSize = 1e10;
    expect(runtimeCodeOf(() => loadIR(ir))).toBe("HP8003");
  });

  it("IR compiled with a larger list capacity than the host allows is HP8003; the host's raised limit accepts it", () => {
    const r = check(`observation { xs: list<float, 5000> }\noutput { y: float }\nexecutor run at 10hz writes y { set out.y = len(obs.xs) }\n`, { limits: { listCapacity: 5000 } });
    expect(r.diagnostics).toEqual([]);
    const ir = lower(r.program!, r.sources);
    expect(runtimeCodeOf(() => loadIR(JSON.stringify(ir)))).toBe("HP8003");
    expect(runtimeCodeOf(() => loadIR(JSON.stringify(ir), { listCapacity: 5000 }))).toBeUndefined();
  });

  it("more nodes than the limit is HP8003", () => {
    const ir = small();
    expect(runtimeCodeOf(() => loadIR(ir, { nodes: ir.nodes.length + ir.exprs.length - 1 }))).toBe("HP8003");
  });
});
