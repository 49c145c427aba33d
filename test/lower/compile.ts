// Test helper: check an inline spec (plus optional imported files and fake model signatures) and lower it.
// Every IR produced here also goes through JSON and loadIR, so every test checks the IR contract too.
import { expect } from "vitest";
import { checkFiles, type CompilerHost } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { loadIR } from "../../src/runtime/load-ir.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";
import type { ModelInfo } from "../../src/runtime/neural/host.ts";

export const SPEC = "/virtual/spec.hpol";

export interface CompileOptions {
  /** Other files by absolute path (imports are relative to /virtual). */
  readonly files?: Record<string, string>;
  /** Model signatures by absolute path. */
  readonly models?: Record<string, ModelInfo>;
}

export function compile(text: string, options: CompileOptions = {}): PolicyIR {
  const files: Record<string, string> = { [SPEC]: text, ...options.files };
  const host: CompilerHost = {
    readFile: (p) => files[p],
    readModel: (p) => {
      const info = options.models?.[p];
      return info ? { ok: true, info } : { ok: false, kind: "missing", message: `no model ${p}` };
    },
  };
  const result = checkFiles([SPEC], host);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message} @${d.span.start}`);
  expect(errors).toEqual([]);
  const ir = lower(result.program!, result.sources);
  // The IR is plain JSON: what the runtime loads is the serialised form.
  return loadIR(JSON.parse(JSON.stringify(ir)));
}

/** The var named `name`. */
export function varNamed(ir: PolicyIR, name: string) {
  const v = ir.layout.vars.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no var ${name}; vars: ${ir.layout.vars.map((x) => x.name).join(", ")}`);
  return v;
}

/** A minimal host contract so specs in tests only spell out what they test. */
export const HOST = `
observation {
  x: float
  y: float[0.0, 10.0]
  flag: bool
  pos: vec2
  items: list<float, 4>
}
output {
  move: vec2
  fire: bool
  speed: float
}
`;
