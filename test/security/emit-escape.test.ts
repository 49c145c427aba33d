// Untrusted specs cannot break out of the code hpol emits. Each spec carries hostile text — quotes, backticks,
// `${`, `*/`, U+2028/U+2029 line separators — in node labels, test names and the file name (which names the
// policy when there is no `module` line), and names every field, enum member, record field, message kind,
// state field, extern and parameter after a member JavaScript objects inherit (`__proto__`, `constructor`, …).
// Every spec is built, its module and .d.ts type-check under --strict, the module is imported and run beside the
// interpreter (identical traces), and `globalThis.pwned` — which every payload tries to set — stays unset. The IR,
// the trace and the diagnostics JSON carry the same names unchanged.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFiles, checkSource } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { emitPolicy } from "../../src/compiler/emit/emit.ts";
import { toJsonRecords } from "../../src/compiler/diagnostics/render.ts";
import { createPool, loadIR, parseTrace, type AgentPool, type PolicyIR } from "../../src/runtime/index.ts";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../cli/capture.ts";
import { drive, interpreterFor, loadEmitted, typecheck, writeDeclarations, writeEmitted } from "../emit/support/harness.ts";
import { HOSTILE_LABELS, HOSTILE_NAMES, JS_RESERVED_NAMES, namedSpec } from "./untrusted-spec.ts";

const scratch = mkdtempSync(join(tmpdir(), "hpol-escape-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const pwned = (): unknown => (globalThis as Record<string, unknown>)["pwned"];

function build(file: string, text?: string): { ir: PolicyIR; sources: ReadonlyMap<string, string> } {
  const result = text === undefined ? checkFiles([file]) : checkSource(text, file);
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return { ir: lower(result.program!, result.sources), sources: result.sources };
}

// Every label paired with a hostile name, plus file names that carry the payload into the policy name.
const cases: { title: string; ir: PolicyIR; name: string; label: string }[] = HOSTILE_LABELS.map((label, i) => {
  const name = HOSTILE_NAMES[i % HOSTILE_NAMES.length]!;
  return { title: `${name} / ${JSON.stringify(label)}`, name, label, ir: build(join(scratch, `spec${i}.hpol`), namedSpec(name, label)).ir };
});
// JavaScript reserved words are identifiers in .hpol: fields, members, externs, parameters and module names.
for (const [i, name] of JS_RESERVED_NAMES.entries()) {
  cases.push({ title: `reserved word ${name}`, name, label: name, ir: build(join(scratch, `reserved${i}.hpol`), namedSpec(name, name)).ir });
}
for (const [i, base] of ["x\u2028globalThis.pwned = 10; x", "x\u2029globalThis.pwned = 11; x", 'x"; globalThis.pwned = 12; "x', "x*`${globalThis.pwned = 13}`"].entries()) {
  const file = join(scratch, `${base}.hpol`);
  writeFileSync(file, namedSpec("constructor", HOSTILE_LABELS[i]!, false));
  cases.push({ title: `file name ${JSON.stringify(base)}`, name: "constructor", label: HOSTILE_LABELS[i]!, ir: build(file).ir });
}

describe("hostile names and strings in emitted code", () => {
  const files = cases.map((c, i) => ({ ...c, file: writeEmitted(c.ir, `security_${i}`), dts: writeDeclarations(c.ir, `decl_security_${i}`) }));

  it("keep the policy name and labels exactly in the IR", () => {
    for (const c of cases) expect(c.ir.nodes.filter((n) => n.label === c.label).length).toBe(4);
    expect(cases.length).toBe(HOSTILE_LABELS.length + JS_RESERVED_NAMES.length + 4);
    expect(cases.at(-1)!.ir.name).toBe("x*`${globalThis.pwned = 13}`");
  });

  it("every module and .d.ts type-checks under --strict", () => {
    expect(typecheck(files.flatMap((f) => [f.file, f.dts]))).toEqual([]);
  });

  it("no payload escapes a comment or string of the emitted text", () => {
    for (const c of cases) {
      const { ts, dts } = emitPolicy(c.ir);
      for (const text of [ts, dts]) {
        expect(text).not.toMatch(/[\u2028\u2029]/);
        // Outside the embedded IR string literals, the payload only ever appears escaped inside comments.
        const code = text.replace(/withPackedSpans\(JSON\.parse\('.*'\), JSON\.parse\('.*'\)\)/, "");
        for (const line of code.split("\n")) {
          const at = line.indexOf("globalThis.pwned");
          if (at >= 0) expect(line.slice(0, at)).toMatch(/\/\/|\/\*/);
        }
      }
    }
  });

  for (const [i, f] of files.entries()) {
    it(`${f.title}: the emitted module runs like the interpreter and sets nothing`, async () => {
      const emitted = await loadEmitted(f.file);
      expect(pwned()).toBeUndefined();
      const o = { seed: i + 1, steps: 60, agents: 2 };
      const reference = drive(f.ir, interpreterFor(f.ir), o);
      const trace = drive(f.ir, emitted, o);
      expect(trace).toBe(reference);
      expect(pwned()).toBeUndefined();
      // The trace is valid JSON Lines that parse back (names and labels included).
      // The harness appends its own sections (errors, state) after the trace's JSON Lines, from the first blank line.
      const parsed = parseTrace(trace.slice(0, trace.search(/\n\s*\n|\n---/) + 1 || undefined));
      if ("error" in parsed) throw new Error(`unreadable trace: ${parsed.error.problem}`);
      expect(parsed.steps.length).toBe(o.steps);
    });
  }

  it("the IR round-trips through JSON and loadIR unchanged", () => {
    for (const c of cases) expect(loadIR(JSON.stringify(c.ir))).toEqual(c.ir);
  });

  it("the outputs object has an own field named like an inherited member", () => {
    for (const c of cases.slice(0, HOSTILE_NAMES.length)) {
      const pool = createPool(c.ir, { agents: 1, externs: { [c.name]: () => true, [`act_${c.name}`]: () => "success" } as never });
      const out = pool.getOutput(0);
      expect(Object.keys(out)).toEqual([c.name, "flag"]);
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    }
  });
});

describe("hostile names in diagnostics JSON", () => {
  it.each(HOSTILE_NAMES)("%s appears unchanged in the message and the fix", (name) => {
    const text = `observation { ${name}: float }\noutput { o: float }\nexecutor e at 10hz writes o { set out.o = obs.${name}x }\n`;
    const result = checkSource(text, join(scratch, "diag.hpol"));
    const records = JSON.parse(JSON.stringify(toJsonRecords(result.diagnostics, result.sources))) as { code: string; message: string; fix?: { replacement: string } }[];
    const unknown = records.find((r) => r.code === "HP2002");
    expect(unknown?.message).toContain(`${name}x`);
    expect(unknown?.fix?.replacement).toBe(name);
  });

});

// IR need not come from the grammar: a host may emit code for IR it loaded. Every name in such an IR (policy,
// fields, vars, externs, messages and kinds, enum members, records, layers, labels, tests) may be any text.
describe("hostile names in IR loaded from JSON", () => {
  const PAYLOAD = "*/\u2028globalThis.pwned = 20; //\"'`${globalThis.pwned = 21}";
  /** Every name-like string of the IR with the payload appended (names stay distinct, so the IR stays valid). */
  function hostile(ir: PolicyIR): PolicyIR {
    const walk = (x: unknown, key: string): unknown => {
      if (typeof x === "string") return ["name", "field", "label", "members"].includes(key) ? x + PAYLOAD : x;
      if (Array.isArray(x)) return x.map((y) => walk(y, key));
      if (typeof x === "object" && x !== null) {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(x)) o[k] = k === "span" || k === "spans" ? v : walk(v, k);
        return o;
      }
      return x;
    };
    return loadIR(JSON.stringify(walk(ir, "")));
  }

  it("emits a module that type-checks, runs like the interpreter and sets nothing", async () => {
    const ir = hostile(cases[0]!.ir);
    expect(ir.externs[0]!.name.endsWith(PAYLOAD)).toBe(true);
    const file = writeEmitted(ir, "security_hostile_ir");
    const dts = writeDeclarations(ir, "decl_security_hostile_ir");
    expect(typecheck([file, dts])).toEqual([]);
    const emitted = await loadEmitted(file);
    const o = { seed: 5, steps: 40, agents: 2 };
    expect(drive(ir, emitted, o)).toBe(drive(ir, interpreterFor(ir), o));
    expect(pwned()).toBeUndefined();
  });
});

describe("hpol build of a spec with a hostile file name and labels", () => {
  it("writes files with safe names whose JavaScript imports and runs without setting anything", async () => {
    const dir = mkdtempSync(join(scratch, "build-"));
    const spec = join(dir, "x\u2028globalThis.pwned = 30; *`.hpol");
    writeFileSync(spec, namedSpec("constructor", HOSTILE_LABELS[7]!, false));
    const out = join(dir, "out");
    const runtime = join(import.meta.dirname, "..", "..", "src", "runtime", "index.ts");
    const io = captureIO();
    expect(await main(["build", spec, "-o", out, "--runtime-module", runtime], io)).toBe(0);
    const files = readdirSync(out).sort();
    for (const f of files) expect(f).toMatch(/^[A-Za-z0-9_.-]+$/);
    const js = files.find((f) => f.endsWith(".js") && !f.endsWith(".d.js"))!;
    const mod = (await import(pathToFileURL(join(out, js)).href)) as { createPolicyPool(o: Record<string, unknown>): AgentPool };
    const pool = mod.createPolicyPool({ agents: 1, externs: { constructor: () => true, act_constructor: () => "success" } });
    pool.setObservation(0, { constructor: 1, rec: { constructor: 1 }, mode: "constructor" });
    pool.stepSync();
    expect(pool.drainErrors()).toEqual([]);
    expect(pwned()).toBeUndefined();
  });
});

