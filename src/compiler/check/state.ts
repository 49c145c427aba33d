// Mutable state of one checker run: the side tables that become the TypedProgram, the diagnostics, and the
// scope structures expressions are checked in. Check functions in this folder take a CheckState.
import type * as A from "../../grammar/ast.ts";
import { diag, type CodeEntry, type DiagExtras, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ResolvedProgram } from "../resolve/resolve.ts";
import { describeSymbol, type ConstSymbol, type FieldSymbol, type ModelSymbol, type PlannerSymbol, type Symbol, type TreeSymbol, type TypeSymbol } from "../resolve/symbols.ts";
import { lookupGlobal, visibleNames } from "../resolve/resolve.ts";
import { renameFix } from "../resolve/fixes.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import { describeZero } from "../types/type.ts";
import { declaredType, typeOfSymbol } from "./declared-types.ts";
import { checkAssigned as checkAssignedLate } from "./expr.ts";
import type { ModuleScope } from "../resolve/resolve.ts";
import type { MessageType, RecordType, Type } from "../types/type.ts";
import { DEFAULT_LIMITS, type Limits } from "../../runtime/limits.ts";
import type { BoundArgs, Callee, MemberRef, ModelTable, RootFields, TreeEffects } from "./typed-program.ts";

export class CheckState {
  readonly diagnostics: Diagnostic[] = [];
  readonly exprTypes = new Map<A.Expr, Type>();
  readonly typeOf = new Map<A.TypeExpr, Type>();
  readonly bindings = new Map<A.Node, Symbol>();
  readonly members = new Map<A.FieldAccess, MemberRef>();
  readonly callees = new Map<A.CallExpr, Callee>();
  readonly calls = new Map<A.CallNode, TreeSymbol>();
  readonly args = new Map<A.DoNode | A.CallNode | A.CallExpr, BoundArgs>();
  readonly constValues = new Map<ConstSymbol, number | boolean>();
  readonly models = new Map<ModelSymbol, ModelTable>();
  readonly trees = new Map<TreeSymbol, TreeEffects>();
  readonly localState = new Map<A.TreeDecl | A.PlannerDecl | A.ExecutorDecl, Map<string, FieldSymbol>>();
  /** Trees reachable in the call graph that are part of a recursion cycle (reported once). */
  readonly recursive = new Set<TreeSymbol>();
  /** Trees whose bodies are being checked, innermost last. */
  readonly treeStack: TreeSymbol[] = [];
  /** Type declarations being resolved right now (a re-entry is a recursive type). */
  readonly typesInProgress = new Set<TypeSymbol>();
  /** Type expressions being converted right now, outermost first (bounded by limits.typeDepth). */
  typeNesting = 0;
  readonly constsInProgress = new Set<ConstSymbol>();
  /** Extern calls checked so far; a node whose check raised it may fault at run time. */
  externCalls = 0;
  /** State fields already warned about (read before any write): one warning per field. */
  readonly warnedReads = new Set<FieldSymbol>();
  private readonly plannerMessages = new Map<PlannerSymbol, MessageType | undefined>();
  private nextTypeId = 0;

  observation!: RootFields;
  output!: RootFields;
  state!: RootFields;

  constructor(
    readonly program: ResolvedProgram,
    readonly sources: ReadonlyMap<string, string>,
    readonly limits: Limits = DEFAULT_LIMITS,
  ) {}

  typeId(): number {
    return this.nextTypeId++;
  }

  report<P>(entry: CodeEntry<P>, file: string, span: A.Span, params: P, extras?: DiagExtras): void {
    this.diagnostics.push(diag(entry, file, span, params, extras));
  }

  reportReadBeforeWrite(file: string, span: A.Span, field: FieldSymbol): void {
    this.report(structureCodes.readBeforeWrite, file, span, { name: field.name }, {
      labels: [{ file: field.file, span: field.nameSpan, message: "declared here without an initial value" }],
      notes: [`it holds ${describeZero(field.type)} until it is first written`],
    });
  }

  /** The message type a planner emits; its `emits` clause is checked (and reported) once. */
  plannerMessage(planner: PlannerSymbol): MessageType | undefined {
    if (this.plannerMessages.has(planner)) return this.plannerMessages.get(planner);
    const scope = this.program.scopes.get(planner.file)!;
    const emits = planner.decl.emits;
    let message: MessageType | undefined;
    const symbol = lookupGlobal(scope, emits.name);
    if (symbol === undefined) {
      const s = suggest(emits.name, visibleNames(scope, (x) => x.kind === "type" && x.decl.kind === "MessageDecl"));
      this.report(namesCodes.unknownName, planner.file, emits.span, { what: "message type", name: emits.name }, s
        ? { help: `did you mean \`${s}\`?`, fix: renameFix(planner.file, emits.span, s) }
        : {});
    } else if (symbol.kind !== "error") {
      symbol.used = true;
      this.bindings.set(emits, symbol);
      const t = symbol.kind === "type" ? typeOfSymbol(this, symbol, emits.span, planner.file) : undefined;
      if (t?.kind === "message") message = t;
      else if (t?.kind !== "error") {
        this.report(namesCodes.wrongKind, planner.file, emits.span, { name: emits.name, actual: describeSymbol(symbol), expected: "message type" });
      }
    }
    this.plannerMessages.set(planner, message);
    return message;
  }

  text(file: string, span: A.Span): string {
    return this.sources.get(file)?.slice(span.start, span.end) ?? "";
  }
}

/** A chain of local names (parameters, aggregate variables, model outputs). */
export interface Locals {
  readonly names: ReadonlyMap<string, Symbol>;
  readonly parent?: Locals;
}

export function lookupLocal(locals: Locals | undefined, name: string): Symbol | undefined {
  for (let l = locals; l; l = l.parent) {
    const s = l.names.get(name);
    if (s !== undefined) return s;
  }
  return undefined;
}

export function* localNames(locals: Locals | undefined): Iterable<string> {
  for (let l = locals; l; l = l.parent) yield* l.names.keys();
}

export type RootName = "obs" | "state" | "out" | "msg" | "value";

/** Where an expression is checked: which names and roots are visible and what may be written. */
export interface Scope {
  readonly module: ModuleScope;
  readonly file: string;
  readonly locals?: Locals;
  /** Readable roots. A missing root is unavailable; `why` explains where it is available instead. */
  readonly obs?: RootFields;
  readonly state?: RootFields;
  readonly out?: RootFields;
  /** The handled kind's payload; the poisoned type when the handler's planner or kind is broken (reported). */
  readonly msg?: { readonly type: Type; readonly kind: string };
  readonly value?: Type;
  readonly where: string;
  /** Constants: only literals, other constants, enum members and pure builtins. */
  readonly constant?: boolean;
  /** Test blocks: `emitted(planner)` is available. */
  readonly test?: boolean;
  /** The layer (or tree) whose body is being checked; decides `emit`, `set out` and authority. */
  readonly body?: BodyContext;
}

export interface BodyContext {
  readonly kind: "planner" | "executor" | "tree";
  readonly name: string;
  readonly message?: MessageType;
  /** Writable outputs: declared `writes` for executors, every output for trees (checked at call sites). */
  readonly writableOut: boolean;
  readonly writes?: ReadonlySet<string>;
  /** Output fields written, with a witness span. */
  readonly written: Map<string, { file: string; span: A.Span }>;
  /** State fields without an initialiser that have been written so far in execution order. */
  readonly initialised: Set<FieldSymbol>;
}

/**
 * The `state` root of a tree or layer: the program-wide state plus the body's own state block. Initial values
 * are constant expressions (they are evaluated when an agent is created, before any observation).
 */
export function layerState(
  cx: CheckState,
  module: ModuleScope,
  owner: A.TreeDecl | A.PlannerDecl | A.ExecutorDecl,
  decl: A.StateDecl | undefined,
  ownerName: string,
): RootFields {
  if (decl === undefined || decl.fields.length === 0) return cx.state;
  const local = stateFields(cx, module, decl, ownerName);
  cx.localState.set(owner, local);
  const fields = new Map(cx.state.fields);
  const type: RecordType = { kind: "record", id: cx.typeId(), name: `state of ${ownerName}`, fields: new Map(cx.state.type.fields) };
  for (const [name, f] of local) {
    const global = fields.get(name);
    if (global !== undefined) {
      cx.report(namesCodes.duplicate, f.file, f.nameSpan, { name, where: `the state of \`${ownerName}\` and the program state` }, {
        labels: [{ file: global.file, span: global.nameSpan, message: "program state field" }],
      });
      continue;
    }
    fields.set(name, f);
    type.fields.set(name, f.type);
  }
  return { type, fields };
}

/** Fields of a state block as symbols, with their initial values checked. */
export function stateFields(cx: CheckState, module: ModuleScope, decl: A.StateDecl, ownerName?: string): Map<string, FieldSymbol> {
  const out = new Map<string, FieldSymbol>();
  const scope: Scope = { module, file: module.file, where: "in a state initialiser", constant: true };
  for (const f of decl.fields) {
    if (f.recovered) continue;
    if (out.has(f.name.name)) {
      cx.report(namesCodes.duplicate, module.file, f.name.span, { name: f.name.name, where: ownerName ? `the state of \`${ownerName}\`` : "the program state" });
      continue;
    }
    const type = declaredType(cx, module, f.type);
    if (f.init) checkAssignedLate(cx, scope, f.init, type);
    const symbol: FieldSymbol = { kind: "field", owner: "state", id: cx.program.ids.take(), name: f.name.name, file: module.file, nameSpan: f.name.span, used: false, decl: f, type, ...(ownerName ? { scope: ownerName } : {}) };
    cx.bindings.set(f.name, symbol);
    out.set(f.name.name, symbol);
  }
  return out;
}
