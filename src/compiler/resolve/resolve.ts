// Name resolution, phase 2: builds one declaration table per module, binds imports, orders modules so that
// imported modules come first, reports import cycles and duplicate declarations, and collects the
// program-wide singletons (observation, output, top-level state) and layers. References inside trees and
// expressions are bound by the checker, which owns local scopes (parameters, aggregate variables).
import { basename } from "node:path";
import type * as A from "../../grammar/ast.ts";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { suggest } from "../diagnostics/suggest.ts";
import type { ErrorSymbol, GlobalSymbol, Symbol } from "./symbols.ts";
import { SymbolIds } from "./symbols.ts";
import { renameFix } from "./fixes.ts";

export interface ModuleScope {
  readonly file: string;
  readonly module: A.Module;
  readonly decls: Map<string, GlobalSymbol>;
  readonly imported: Map<string, GlobalSymbol | ErrorSymbol>;
}

export interface Located<D> {
  readonly decl: D;
  readonly file: string;
}

export interface ResolvedProgram {
  readonly entry: string;
  /** Dependency order: a module comes after every module it imports. */
  readonly modules: readonly ModuleScope[];
  readonly scopes: ReadonlyMap<string, ModuleScope>;
  readonly observation?: Located<A.ObservationDecl>;
  readonly output?: Located<A.OutputDecl>;
  readonly state?: Located<A.StateDecl>;
  readonly arbiters: readonly Located<A.ArbiterDecl>[];
  readonly shields: readonly Located<A.ShieldDecl>[];
  readonly tests: readonly Located<A.TestDecl>[];
  readonly ids: SymbolIds;
}

export interface ResolveInput {
  readonly entry: string;
  readonly modules: ReadonlyMap<string, A.Module>;
  /** The file each import refers to; absent when the driver could not read it (already reported). */
  readonly importTargets: ReadonlyMap<A.Import, string>;
}

export function resolve(input: ResolveInput): { program: ResolvedProgram; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ids = new SymbolIds();
  const scopes = new Map<string, ModuleScope>();
  const order: ModuleScope[] = [];
  const cycleEdges = new Set<A.Import>();

  // Depth-first over the import graph: grey modules are on the stack, so an edge to one closes a cycle.
  const grey = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    const module = input.modules.get(file);
    if (module === undefined || scopes.has(file) || grey.has(file)) return;
    grey.add(file);
    stack.push(file);
    for (const imp of module.imports) {
      const target = input.importTargets.get(imp);
      if (target === undefined) continue;
      if (grey.has(target)) {
        cycleEdges.add(imp);
        const cycle = [...stack.slice(stack.indexOf(target)), target].map((f) => basename(f)).join(" → ");
        diagnostics.push(diag(namesCodes.importCycle, file, imp.from.span, { cycle }));
        continue;
      }
      visit(target);
    }
    stack.pop();
    grey.delete(file);
    const scope = declareModule(file, module, ids, diagnostics);
    scopes.set(file, scope);
    order.push(scope);
  };
  visit(input.entry);

  // Imports bind after every module has its table (tables never depend on imports).
  for (const scope of order) {
    for (const imp of scope.module.imports) {
      const target = input.importTargets.get(imp);
      const targetScope = target === undefined ? undefined : scopes.get(target);
      for (const name of imp.names) {
        const local = scope.decls.get(name.name);
        const found = targetScope?.decls.get(name.name);
        if (targetScope === undefined || cycleEdges.has(imp)) {
          // The import itself was reported; make its names silent instead of "unknown" at every use.
          if (local === undefined) scope.imported.set(name.name, errorSymbol(ids, name, scope.file));
          continue;
        }
        if (found === undefined) {
          const suggestion = suggest(name.name, targetScope.decls.keys());
          diagnostics.push(
            diag(namesCodes.notExported, scope.file, name.span, { path: imp.from.value, name: name.name }, suggestion
              ? { help: `did you mean \`${suggestion}\`?`, fix: renameFix(scope.file, name.span, suggestion) }
              : {}),
          );
          scope.imported.set(name.name, errorSymbol(ids, name, scope.file));
          continue;
        }
        const prior = local ?? scope.imported.get(name.name);
        if (prior !== undefined && prior !== found) {
          diagnostics.push(
            diag(namesCodes.duplicate, scope.file, name.span, { name: name.name, where: "this module" }, {
              labels: [{ file: prior.file, span: prior.nameSpan, message: "also declared here" }],
            }),
          );
          continue;
        }
        scope.imported.set(name.name, found);
      }
    }
  }

  // Program-wide singletons and layers, collected from every module of the program.
  let observation: Located<A.ObservationDecl> | undefined;
  let output: Located<A.OutputDecl> | undefined;
  let state: Located<A.StateDecl> | undefined;
  const arbiters: Located<A.ArbiterDecl>[] = [];
  const shields: Located<A.ShieldDecl>[] = [];
  const tests: Located<A.TestDecl>[] = [];
  const single = <D extends A.Decl>(prior: Located<D> | undefined, decl: D, file: string, name: string): Located<D> => {
    if (prior === undefined) return { decl, file };
    diagnostics.push(
      diag(namesCodes.duplicate, file, headSpan(decl, name), { name, where: "this program" }, {
        labels: [{ file: prior.file, span: headSpan(prior.decl, name), message: "first declared here" }],
      }),
    );
    return prior;
  };
  for (const scope of order) {
    for (const decl of scope.module.decls) {
      switch (decl.kind) {
        case "ObservationDecl":
          observation = single(observation, decl, scope.file, "observation");
          break;
        case "OutputDecl":
          output = single(output, decl, scope.file, "output");
          break;
        case "StateDecl":
          state = single(state, decl, scope.file, "state");
          break;
        case "ArbiterDecl":
          arbiters.push({ decl, file: scope.file });
          break;
        case "ShieldDecl":
          shields.push({ decl, file: scope.file });
          break;
        case "TestDecl":
          tests.push({ decl, file: scope.file });
          break;
        default:
          break;
      }
    }
  }

  const program: ResolvedProgram = {
    entry: input.entry,
    modules: order,
    scopes,
    ...(observation ? { observation } : {}),
    ...(output ? { output } : {}),
    ...(state ? { state } : {}),
    arbiters,
    shields,
    tests,
    ids,
  };
  return { program, diagnostics };
}

/** A module-level name as seen from `scope`: its own declarations first, then its imports. */
export function lookupGlobal(scope: ModuleScope, name: string): GlobalSymbol | ErrorSymbol | undefined {
  return scope.decls.get(name) ?? scope.imported.get(name);
}

/** Every module-level name visible in `scope`, for "did you mean". */
export function* visibleNames(scope: ModuleScope, accept?: (s: Symbol) => boolean): Iterable<string> {
  for (const [name, s] of scope.decls) if (!accept || accept(s)) yield name;
  for (const [name, s] of scope.imported) if (s.kind !== "error" && (!accept || accept(s))) yield name;
}

function declareModule(file: string, module: A.Module, ids: SymbolIds, diagnostics: Diagnostic[]): ModuleScope {
  const decls = new Map<string, GlobalSymbol>();
  for (const decl of module.decls) {
    if (decl.recovered) continue;
    const symbol = symbolFor(decl, file, ids);
    if (symbol === undefined) continue;
    const prior = decls.get(symbol.name);
    if (prior !== undefined) {
      diagnostics.push(
        diag(namesCodes.duplicate, file, symbol.nameSpan, { name: symbol.name, where: "this module" }, {
          labels: [{ file, span: prior.nameSpan, message: "first declared here" }],
        }),
      );
      continue;
    }
    decls.set(symbol.name, symbol);
  }
  return { file, module, decls, imported: new Map() };
}

function symbolFor(decl: A.Decl, file: string, ids: SymbolIds): GlobalSymbol | undefined {
  const base = (name: A.Ident) => ({ id: ids.take(), name: name.name, file, nameSpan: name.span, used: false });
  switch (decl.kind) {
    case "TypeAliasDecl":
    case "EnumDecl":
    case "RecordDecl":
    case "MessageDecl":
      return { kind: "type", decl, ...base(decl.name) };
    case "ConstDecl":
      return { kind: "const", decl, ...base(decl.name) };
    case "ExternDecl":
      return { kind: "extern", decl, ...base(decl.name) };
    case "EventDecl":
      return { kind: "event", decl, ...base(decl.name) };
    case "ModelDecl":
      return { kind: "model", decl, ...base(decl.name) };
    case "TreeDecl":
      return { kind: "tree", decl, ...base(decl.name) };
    case "PlannerDecl":
      return { kind: "planner", decl, ...base(decl.name) };
    case "ExecutorDecl":
      return { kind: "executor", decl, ...base(decl.name) };
    default:
      return undefined;
  }
}

function errorSymbol(ids: SymbolIds, name: A.Ident, file: string): ErrorSymbol {
  return { kind: "error", id: ids.take(), name: name.name, file, nameSpan: name.span, used: true };
}

/** The keyword at the start of an anonymous block declaration (`observation {`), for duplicate reports. */
function headSpan(decl: A.Decl, keyword: string): A.Span {
  return { start: decl.span.start, end: Math.min(decl.span.end, decl.span.start + keyword.length) };
}
