// The compiler driver: runs parse → resolve → check in order, times each phase, follows imports and gates
// later phases on errors (see CONTEXT.md). It is the only place that touches the file system (through a
// CompilerHost), so every phase stays a pure function of its inputs.
//
// Gating: a module closure with syntax errors is not resolved or checked (recovered trees would only add
// follow-on noise). Resolution errors do not stop checking: broken names are bound to poisoned symbols and
// stay silent at their uses. The typed program is returned only when there are no errors at all.
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { parse } from "../grammar/index.ts";
import type { Import, Module } from "../grammar/ast.ts";
import { readModelInfo } from "../runtime/neural/model-info.ts";
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.ts";
import { projectCodes } from "./diagnostics/codes/project.ts";
import { resolve } from "./resolve/resolve.ts";
import { check } from "./check/check.ts";
import type { ModelReader } from "./check/models.ts";
import type { TypedProgram } from "./check/typed-program.ts";

export interface CompilerHost {
  readFile(path: string): string | undefined;
  /** Reads a model file's signature; defaults to the runtime's reader (the same code the backends use). */
  readModel?: ModelReader;
}

export const nodeHost: CompilerHost = {
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  readModel: readModelInfo,
};

export interface CheckResult {
  /** Sorted with sortDiagnostics. */
  diagnostics: Diagnostic[];
  /** Every file read, for rendering. */
  sources: Map<string, string>;
  /** Present when there are no errors and a single entry was checked. */
  program?: TypedProgram;
  /** One typed program per entry path, when there are no errors. */
  programs?: TypedProgram[];
  /** Milliseconds per phase: parse, resolve, check. */
  timings: Record<string, number>;
}

interface Parsed {
  readonly module: Module;
  readonly diagnostics: readonly Diagnostic[];
}

export function checkFiles(paths: string[], host: CompilerHost = nodeHost): CheckResult {
  const sources = new Map<string, string>();
  const parsed = new Map<string, Parsed | null>(); // null: unreadable
  const timings = { parse: 0, resolve: 0, check: 0 };
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (ds: readonly Diagnostic[]) => {
    for (const d of ds) {
      const key = `${d.file}\0${d.span.start}\0${d.span.end}\0${d.code}\0${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push(d);
    }
  };
  const load = (file: string): Parsed | null => {
    const cached = parsed.get(file);
    if (cached !== undefined) return cached;
    const text = host.readFile(file);
    if (text === undefined) {
      parsed.set(file, null);
      return null;
    }
    sources.set(file, text);
    const t0 = performance.now();
    const result = parse(text, file);
    timings.parse += performance.now() - t0;
    parsed.set(file, result);
    push(result.diagnostics);
    return result;
  };

  const programs: TypedProgram[] = [];
  for (const path of paths) {
    // Imports are keyed by normalised paths; the entry must be too, or a cycle back to it would load it twice.
    const entry = normalize(path);
    const root = load(entry);
    if (root === null) {
      push([diag(projectCodes.fileNotFound, entry, { start: 0, end: 0 }, { path: entry })]);
      continue;
    }
    // Load the import closure breadth-first; import paths are relative to the importing file.
    const modules = new Map<string, Module>([[entry, root.module]]);
    const importTargets = new Map<Import, string>();
    let syntaxErrors = hasErrors(root.diagnostics);
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const imp of modules.get(file)!.imports) {
        if (imp.recovered) continue;
        const target = normalize(join(dirname(file), imp.from.value));
        const loaded = load(target);
        if (loaded === null) {
          push([diag(projectCodes.fileNotFound, file, imp.from.span, { path: imp.from.value })]);
          continue;
        }
        importTargets.set(imp, target);
        if (!modules.has(target)) {
          modules.set(target, loaded.module);
          syntaxErrors ||= hasErrors(loaded.diagnostics);
          queue.push(target);
        }
      }
    }
    if (syntaxErrors) continue;

    let t0 = performance.now();
    const resolved = resolve({ entry, modules, importTargets });
    timings.resolve += performance.now() - t0;
    push(resolved.diagnostics);

    t0 = performance.now();
    const checked = check(resolved.program, {
      sources,
      priorErrors: hasErrors(resolved.diagnostics),
      ...(host.readModel ? { readModel: host.readModel } : {}),
    });
    timings.check += performance.now() - t0;
    push(checked.diagnostics);
    programs.push(checked.program);
  }

  const result: CheckResult = { diagnostics: sortDiagnostics(diagnostics), sources, timings };
  if (!hasErrors(diagnostics) && programs.length === paths.length) {
    result.programs = programs;
    if (programs.length === 1) result.program = programs[0];
  }
  return result;
}

/** Check one in-memory source; its imports (and models) are read through `host`. */
export function checkSource(text: string, file: string, host: CompilerHost = nodeHost): CheckResult {
  const overlay: CompilerHost = {
    readFile: (p) => (normalize(p) === normalize(file) ? text : host.readFile(p)),
    ...(host.readModel ? { readModel: host.readModel } : {}),
  };
  return checkFiles([file], overlay);
}
