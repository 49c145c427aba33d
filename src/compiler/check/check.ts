// Type checking, phase 3: resolved program → TypedProgram. Order: declared types and constants, the host
// contract (observation, output, externs, state), models, events, layers (planners before executors, so an
// executor can compare its rate with its planner's), trees not reached from any layer, arbiters, shields,
// tests; then the whole-program warnings (unused declarations, outputs never written).
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ResolvedProgram } from "../resolve/resolve.ts";
import type { EventSymbol, ExecutorSymbol, FieldSymbol, GlobalSymbol, PlannerSymbol } from "../resolve/symbols.ts";
import type { RecordType } from "../types/type.ts";
import { declaredType, fillFields, typeOfSymbol } from "./declared-types.ts";
import { checkAssigned, checkCondition, constType, unknownField } from "./expr.ts";
import { checkArbiter, checkConflicts, checkExecutor, checkPlanner, checkShield } from "./layers.ts";
import { checkModelDecl, type ModelReader } from "./models.ts";
import { checkProgramLimits } from "./limits.ts";
import type { Limits } from "../../runtime/limits.ts";
import { CheckState, stateFields, type Scope } from "./state.ts";
import { checkTest } from "./test-blocks.ts";
import { treeEffects } from "./trees.ts";
import type { ExecutorInfo, PlannerInfo, RootFields, TypedProgram } from "./typed-program.ts";

export interface CheckOptions {
  /** Sources by file, for mechanical fixes that wrap an expression's text. */
  readonly sources: ReadonlyMap<string, string>;
  /** Reads model signatures; without it, model files are not opened (declared signatures are trusted). */
  readonly readModel?: ModelReader;
  /** Earlier phases reported errors: whole-program warnings would mostly echo them, so they are skipped. */
  readonly priorErrors?: boolean;
  /** Resource limits (defaults: src/runtime/limits.ts). */
  readonly limits?: Limits;
  /** Directories model files may be in: the project directory and any the host allowed (see models.ts). */
  readonly modelRoots?: readonly string[];
  /** Resolves symbolic links of a model path (realpath), or undefined when the file does not exist. */
  readonly realpath?: (path: string) => string | undefined;
}

export function check(program: ResolvedProgram, options: CheckOptions): { program: TypedProgram; diagnostics: Diagnostic[] } {
  const cx = new CheckState(program, options.sources, options.limits);
  const all: GlobalSymbol[] = program.modules.flatMap((m) => [...m.decls.values()]);

  cx.observation = hostRecord(cx, program.observation, "observation", "obs");
  cx.output = hostRecord(cx, program.output, "output", "out");
  if (program.state) {
    const module = program.scopes.get(program.state.file)!;
    const fields = stateFields(cx, module, program.state.decl);
    const type: RecordType = { kind: "record", id: cx.typeId(), name: "state", fields: new Map([...fields].map(([k, f]) => [k, f.type])) };
    cx.state = { type, fields };
  } else {
    cx.state = { type: { kind: "record", id: cx.typeId(), name: "state", fields: new Map() }, fields: new Map() };
  }

  for (const s of all) {
    if (s.kind === "type") typeOfSymbol(cx, s);
    else if (s.kind === "const") constType(cx, s);
  }
  for (const s of all) {
    if (s.kind === "extern") checkExtern(cx, s);
    else if (s.kind === "model") checkModelDecl(cx, s, options);
  }
  const events: EventSymbol[] = [];
  for (const s of all) {
    if (s.kind !== "event") continue;
    events.push(s);
    if (s.decl.when) {
      const module = program.scopes.get(s.file)!;
      const scope: Scope = { module, file: s.file, obs: cx.observation, state: cx.state, where: `in event \`${s.name}\`` };
      checkCondition(cx, scope, s.decl.when);
    }
  }

  const planners = new Map<PlannerSymbol, PlannerInfo>();
  for (const s of all) if (s.kind === "planner") planners.set(s, checkPlanner(cx, s));
  const executors: ExecutorInfo[] = [];
  for (const s of all) if (s.kind === "executor") executors.push(checkExecutor(cx, s as ExecutorSymbol, planners));
  for (const s of all) if (s.kind === "tree") treeEffects(cx, s);

  const arbiters = new Map<string, { decl: A.ArbiterDecl; file: string }>();
  for (const a of program.arbiters) {
    const prior = arbiters.get(a.decl.output.name);
    if (prior) {
      cx.report(structureCodes.duplicateArbiterOrShield, a.file, a.decl.output.span, { what: "arbiter", field: a.decl.output.name }, {
        labels: [{ file: prior.file, span: prior.decl.output.span, message: "first arbiter" }],
      });
      continue;
    }
    arbiters.set(a.decl.output.name, a);
    checkArbiter(cx, a.decl, a.file, executors);
  }
  checkConflicts(cx, executors, new Set(arbiters.keys()));
  const shields = new Map<string, { decl: A.ShieldDecl; file: string }>();
  for (const s of program.shields) {
    const prior = shields.get(s.decl.output.name);
    if (prior) {
      cx.report(structureCodes.duplicateArbiterOrShield, s.file, s.decl.output.span, { what: "shield", field: s.decl.output.name }, {
        labels: [{ file: prior.file, span: prior.decl.output.span, message: "first shield" }],
      });
      continue;
    }
    shields.set(s.decl.output.name, s);
    checkShield(cx, s.decl, s.file);
  }
  for (const t of program.tests) checkTest(cx, t.decl, t.file);
  checkProgramLimits(cx, [...planners.values()], executors, new Set(arbiters.keys()));

  // Whole-program warnings (unused declarations, outputs never written) only for programs without errors:
  // a misspelt name makes its intended target look unused, which would repeat the one real mistake.
  if (!options.priorErrors && !cx.diagnostics.some((d) => d.severity === "error")) warnings(cx, program, executors);

  const typed: TypedProgram = {
    entry: program.entry,
    modules: program.modules,
    observation: cx.observation,
    output: cx.output,
    state: cx.state,
    localState: cx.localState,
    exprTypes: cx.exprTypes,
    typeOf: cx.typeOf,
    bindings: cx.bindings,
    members: cx.members,
    callees: cx.callees,
    calls: cx.calls,
    args: cx.args,
    constValues: cx.constValues,
    models: cx.models,
    trees: cx.trees,
    planners: [...planners.values()],
    executors,
    arbiters,
    shields,
    tests: program.tests,
    events,
  };
  return { program: typed, diagnostics: cx.diagnostics };
}

function hostRecord(
  cx: CheckState,
  located: { decl: A.ObservationDecl | A.OutputDecl; file: string } | undefined,
  name: string,
  owner: "obs" | "out",
): RootFields {
  const type: RecordType = { kind: "record", id: cx.typeId(), name, fields: new Map() };
  const fields = new Map<string, FieldSymbol>();
  if (located === undefined) return { type, fields };
  const module = cx.program.scopes.get(located.file)!;
  fillFields(cx, module, located.decl.fields, type.fields, `the ${name}`, () => undefined);
  for (const f of located.decl.fields) {
    const t = type.fields.get(f.name.name);
    if (t === undefined || fields.has(f.name.name)) continue;
    const symbol: FieldSymbol = { kind: "field", owner, id: cx.program.ids.take(), name: f.name.name, file: located.file, nameSpan: f.name.span, used: false, decl: f, type: t };
    cx.bindings.set(f.name, symbol);
    fields.set(f.name.name, symbol);
  }
  return { type, fields };
}

function checkExtern(cx: CheckState, s: Extract<GlobalSymbol, { kind: "extern" }>): void {
  const module = cx.program.scopes.get(s.file)!;
  const seen = new Set<string>();
  const constant: Scope = { module, file: s.file, where: "in a parameter default", constant: true };
  for (const p of s.decl.params) {
    const t = declaredType(cx, module, p.type);
    if (seen.has(p.name.name)) cx.report(namesCodes.duplicate, s.file, p.name.span, { name: p.name.name, where: `the parameters of \`${s.name}\`` });
    seen.add(p.name.name);
    if (p.default) checkAssigned(cx, constant, p.default, t);
  }
  if (s.decl.returns) declaredType(cx, module, s.decl.returns);
  for (const w of s.decl.writes) {
    const field = cx.output.fields.get(w.name);
    if (field === undefined) unknownField(cx, constant, "the output", w, cx.output.fields.keys());
    else cx.bindings.set(w, field);
  }
}

function warnings(cx: CheckState, program: ResolvedProgram, executors: readonly ExecutorInfo[]): void {
  const entry = program.scopes.get(program.entry);
  if (entry) {
    for (const s of entry.decls.values()) {
      if (s.used) continue;
      if (s.kind === "planner" || s.kind === "executor") continue;
      const what = s.kind === "type" ? "type" : s.kind === "const" ? "constant" : s.kind === "extern" ? `extern ${s.decl.externKind}` : s.kind;
      cx.report(namesCodes.unused, s.file, s.nameSpan, { what, name: s.name });
    }
  }
  const stateFieldsAll: FieldSymbol[] = [...cx.state.fields.values()];
  for (const local of cx.localState.values()) stateFieldsAll.push(...local.values());
  for (const f of stateFieldsAll) {
    if (!f.used) cx.report(namesCodes.unused, f.file, f.nameSpan, { what: "state field", name: f.name });
  }
  const written = new Set<string>();
  for (const ex of executors) for (const w of ex.written) written.add(w);
  for (const f of cx.output.fields.values()) {
    if (!written.has(f.name)) cx.report(structureCodes.outputNeverWritten, f.file, f.nameSpan, { field: f.name });
  }
}
