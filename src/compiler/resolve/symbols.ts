// Symbols: what a name in a spec denotes. Module-level symbols are created by the resolver; local symbols
// (parameters, aggregate variables, model outputs inside `infer`) by the checker as it enters scopes.
// Every symbol has a program-unique `id`, so later phases can key tables by id instead of by name.
import type * as A from "../../grammar/ast.ts";
import type { Type } from "../types/type.ts";

interface SymbolBase {
  readonly id: number;
  readonly name: string;
  /** File that declares the symbol. */
  readonly file: string;
  /** Span of the declaring name (for "declared here" labels and unused warnings). */
  readonly nameSpan: A.Span;
  /** Set by the checker when a reference binds to this symbol; drives unused-declaration warnings. */
  used: boolean;
}

export interface TypeSymbol extends SymbolBase {
  readonly kind: "type";
  readonly decl: A.TypeAliasDecl | A.EnumDecl | A.RecordDecl | A.MessageDecl;
  /** Filled by the checker (declarations may refer to later ones). */
  type?: Type;
}
export interface ConstSymbol extends SymbolBase {
  readonly kind: "const";
  readonly decl: A.ConstDecl;
  type?: Type;
  /** The folded value when the checker could evaluate it. */
  value?: number | boolean;
}
export interface ExternSymbol extends SymbolBase {
  readonly kind: "extern";
  readonly decl: A.ExternDecl;
}
export interface EventSymbol extends SymbolBase {
  readonly kind: "event";
  readonly decl: A.EventDecl;
}
export interface ModelSymbol extends SymbolBase {
  readonly kind: "model";
  readonly decl: A.ModelDecl;
}
export interface TreeSymbol extends SymbolBase {
  readonly kind: "tree";
  readonly decl: A.TreeDecl;
}
export interface PlannerSymbol extends SymbolBase {
  readonly kind: "planner";
  readonly decl: A.PlannerDecl;
}
export interface ExecutorSymbol extends SymbolBase {
  readonly kind: "executor";
  readonly decl: A.ExecutorDecl;
}

export type GlobalSymbol =
  | TypeSymbol
  | ConstSymbol
  | ExternSymbol
  | EventSymbol
  | ModelSymbol
  | TreeSymbol
  | PlannerSymbol
  | ExecutorSymbol;

/** A tree parameter. */
export interface ParamSymbol extends SymbolBase {
  readonly kind: "param";
  readonly decl: A.Param;
  readonly type: Type;
}
/** The variable of an aggregate (`any(e in obs.enemies: ...)`). */
export interface LocalSymbol extends SymbolBase {
  readonly kind: "local";
  readonly type: Type;
}
/** A model output, in scope by name inside the `write` items of an `infer` node. */
export interface ModelOutputSymbol extends SymbolBase {
  readonly kind: "modelOutput";
  readonly model: ModelSymbol;
  readonly type: Type;
}
/** A field of the observation, output, or state (program-wide or layer-local). */
export interface FieldSymbol extends SymbolBase {
  readonly kind: "field";
  readonly owner: "obs" | "out" | "state";
  readonly decl: A.Field;
  type: Type;
  /** Layer or tree that declares a local state block; absent for program-wide fields. */
  readonly scope?: string;
}
/** Stands in for a name that failed to resolve: references to it are silent (the failure was reported). */
export interface ErrorSymbol extends SymbolBase {
  readonly kind: "error";
}

export type Symbol = GlobalSymbol | ParamSymbol | LocalSymbol | ModelOutputSymbol | FieldSymbol | ErrorSymbol;

/** Human description of a symbol kind, for messages such as "`x` is a tree, not an extern action". */
export function describeSymbol(s: Symbol): string {
  switch (s.kind) {
    case "type":
      return s.decl.kind === "EnumDecl" ? "enum" : s.decl.kind === "RecordDecl" ? "record" : s.decl.kind === "MessageDecl" ? "message type" : "type";
    case "const":
      return "constant";
    case "extern":
      return `extern ${s.decl.externKind}`;
    case "event":
      return "event";
    case "model":
      return "model";
    case "tree":
      return "tree";
    case "planner":
      return "planner";
    case "executor":
      return "executor";
    case "param":
      return "parameter";
    case "local":
      return "aggregate variable";
    case "modelOutput":
      return "model output";
    case "field":
      return `${s.owner} field`;
    case "error":
      return "name";
  }
}

/** Allocates program-unique symbol ids. One per program: no global counters. */
export class SymbolIds {
  private next = 0;
  take(): number {
    return this.next++;
  }
}
