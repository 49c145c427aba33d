// Test helper: .hpol source → checked, lowered, JSON-round-tripped IR, as a host would load it. Model paths in
// the source resolve against `file`'s directory, so specs with models are compiled under a real directory.
import { checkSource } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { loadIR } from "../../src/runtime/load-ir.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";

export function compileSpec(text: string, file: string): PolicyIR {
  const result = checkSource(text, file);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.program) {
    throw new Error(`spec does not check:\n${errors.map((d) => `${d.code} ${d.message} @${d.span.start}`).join("\n")}`);
  }
  return loadIR(JSON.parse(JSON.stringify(lower(result.program, result.sources))));
}
