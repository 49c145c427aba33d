// The compiler driver: runs parse → resolve → check in order, times each phase, follows imports and gates
// later phases on errors (see CONTEXT.md). It is the only place that touches the file system (through a
// CompilerHost), so every phase stays a pure function of its inputs.
//
// Gating: a module closure with syntax errors is not resolved or checked (recovered trees would only add
// follow-on noise). Resolution errors do not stop checking: broken names are bound to poisoned symbols and
// stay silent at their uses. The typed program is returned only when there are no errors at all.
import { readFileSync } from "node:fs";
import { dirname, join, normalize, resolve as resolvePath } from "node:path";
import { parse } from "../grammar/index.ts";
import type { Import, Module } from "../grammar/ast.ts";
import { readModelInfo } from "../runtime/neural/model-info.ts";
import { insideRoots, realpathOrUndefined } from "../runtime/neural/model-paths.ts";
import { limitHelp, withLimits, type Limits } from "../runtime/limits.ts";
import { checkTextLimits } from "./check/text-limits.ts";
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
  /** Resolves symbolic links (undefined: the path does not exist), so model paths cannot leave the project
   *  through a link. Hosts without it (in-memory sources) are checked lexically only. */
  realpath?: (path: string) => string | undefined;
}

export interface CheckFilesOptions {
  /** Resource limits; unset entries keep their defaults (src/runtime/limits.ts). */
  readonly limits?: Partial<Limits>;
  /** The project directory imports and model paths must stay inside; default: the directory of each entry spec. */
  readonly projectRoot?: string;
  /** More directories model files may be in (the CLI's --allow-model-path). */
  readonly allowModelPaths?: readonly string[];
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
  realpath: realpathOrUndefined,
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

export function checkFiles(paths: string[], host: CompilerHost = nodeHost, options: CheckFilesOptions = {}): CheckResult {
  const limits = withLimits(options.limits);
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
    const syntax = parse(text, file);
    timings.parse += performance.now() - t0;
    // Over-long names and strings gate checking like syntax errors do.
    const result: Parsed = { module: syntax.module, diagnostics: [...syntax.diagnostics, ...checkTextLimits(syntax.module, file, limits)] };
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
    // Breadth-first, so a module's depth is its shortest import chain from the entry.
    const depth = new Map<string, number>([[entry, 0]]);
    const projectRoot = resolvePath(options.projectRoot ?? dirname(entry));
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const imp of modules.get(file)!.imports) {
        if (imp.recovered) continue;
        const target = normalize(join(dirname(file), imp.from.value));
        // The same rule as model paths (symbolic links resolved when the host can): nothing outside is read.
        if (!insideRoots(target, [projectRoot], host.realpath)) {
          push([diag(projectCodes.importOutsideProject, file, imp.from.span, { path: imp.from.value, root: projectRoot }, {
            help: "move the module into the project, or declare a wider project root (`--project-root DIR`)",
          })]);
          syntaxErrors = true;
          continue;
        }
        if (!modules.has(target)) {
          const problem =
            depth.get(file)! + 1 > limits.importDepth
              ? `this import is ${depth.get(file)! + 1} levels deep from the entry spec, more than the limit of ${limits.importDepth}`
              : modules.size + 1 > limits.imports
                ? `this import makes the program ${modules.size + 1} modules, more than the limit of ${limits.imports}`
                : undefined;
          if (problem !== undefined) {
            const name = depth.get(file)! + 1 > limits.importDepth ? "importDepth" : "imports";
            push([diag(projectCodes.tooManyImports, file, imp.from.span, { problem }, { help: limitHelp(name) })]);
            syntaxErrors = true;
            continue;
          }
        }
        const loaded = load(target);
        if (loaded === null) {
          push([diag(projectCodes.fileNotFound, file, imp.from.span, { path: imp.from.value })]);
          continue;
        }
        importTargets.set(imp, target);
        if (!modules.has(target)) {
          modules.set(target, loaded.module);
          depth.set(target, depth.get(file)! + 1);
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
      limits,
      modelRoots: [projectRoot, ...(options.allowModelPaths ?? []).map((d) => resolvePath(d))],
      ...(host.readModel ? { readModel: host.readModel } : {}),
      ...(host.realpath ? { realpath: host.realpath } : {}),
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
export function checkSource(text: string, file: string, host: CompilerHost = nodeHost, options: CheckFilesOptions = {}): CheckResult {
  const overlay: CompilerHost = {
    readFile: (p) => (normalize(p) === normalize(file) ? text : host.readFile(p)),
    ...(host.readModel ? { readModel: host.readModel } : {}),
    ...(host.realpath ? { realpath: host.realpath } : {}),
  };
  return checkFiles([file], overlay, options);
}
