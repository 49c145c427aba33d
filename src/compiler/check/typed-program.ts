// The output of the checker and the input of lowering: the untyped AST plus side tables keyed by AST node
// identity (the approach of TypeScript's checker). Lowering reads types, bindings and resolved arguments
// from here and never re-derives them.
import type * as A from "../../grammar/ast.ts";
import type { ModuleScope } from "../resolve/resolve.ts";
import type {
  ConstSymbol,
  EventSymbol,
  ExecutorSymbol,
  ExternSymbol,
  FieldSymbol,
  ModelSymbol,
  PlannerSymbol,
  Symbol,
  TreeSymbol,
} from "../resolve/symbols.ts";
import type { EnumType, MessageType, RecordType, TensorDim, Type } from "../types/type.ts";
import type { Builtin } from "./builtins.ts";

/** What a FieldAccess denotes. */
export type MemberRef =
  | { readonly kind: "field"; readonly field?: FieldSymbol } // record/root field; `field` set for obs/out/state/msg roots
  | { readonly kind: "vecComponent"; readonly index: number }
  | { readonly kind: "enumMember"; readonly type: EnumType; readonly index: number }
  | { readonly kind: "messageKind"; readonly type: MessageType; readonly kindName: string };

export type Callee =
  | { readonly kind: "builtin"; readonly builtin: Builtin }
  | { readonly kind: "extern"; readonly symbol: ExternSymbol };

/**
 * A call's arguments in parameter order; a parameter the call left out is filled with its declared default.
 * Entries are undefined only where the call was in error (the program is then not produced).
 */
export type BoundArgs = readonly (A.Expr | undefined)[];

export interface RootFields {
  readonly type: RecordType;
  readonly fields: ReadonlyMap<string, FieldSymbol>;
}

export interface ModelPortInfo {
  readonly name: string;
  readonly declared: A.ModelPort;
  /** The declared tensor type, including the batch dimension. */
  readonly type: Type;
  /** The shape one agent feeds or receives: the leading batch dimension removed when it is symbolic or `?`. */
  readonly perAgent: readonly TensorDim[];
  readonly batched: boolean;
}

export interface ModelTable {
  readonly symbol: ModelSymbol;
  /** Absolute path of the model file. */
  readonly path: string;
  readonly inputs: ReadonlyMap<string, ModelPortInfo>;
  readonly outputs: ReadonlyMap<string, ModelPortInfo>;
}

/** What a tree (transitively) does, for authority checks at its call sites and for lowering. */
export interface TreeEffects {
  /** Output fields written, with the span of one writing node. */
  readonly writes: Map<string, { file: string; span: A.Span }>;
  readonly canSucceed: boolean;
  readonly canFail: boolean;
}

export interface LayerInfo {
  /** Milliseconds between ticks, when rate-driven. */
  readonly periodMs?: number;
  /** Local state block fields. */
  readonly state: ReadonlyMap<string, FieldSymbol>;
}

export interface PlannerInfo extends LayerInfo {
  readonly symbol: PlannerSymbol;
  readonly message?: MessageType;
  readonly events: readonly EventSymbol[];
}

export interface ExecutorInfo extends LayerInfo {
  readonly symbol: ExecutorSymbol;
  readonly follows?: PlannerSymbol;
  /** Declared authority: the output fields this executor may write. */
  readonly writes: ReadonlySet<string>;
  /** Output fields actually written (directly, by actions, or by called trees). */
  readonly written: ReadonlySet<string>;
}

export interface TypedProgram {
  readonly entry: string;
  readonly modules: readonly ModuleScope[];
  readonly observation: RootFields;
  readonly output: RootFields;
  /** The program-wide `state` block. */
  readonly state: RootFields;
  /** Local state blocks of trees, planners and executors, keyed by their declaration. */
  readonly localState: ReadonlyMap<A.TreeDecl | A.PlannerDecl | A.ExecutorDecl, ReadonlyMap<string, FieldSymbol>>;
  /** The type of every expression that was checked. */
  readonly exprTypes: ReadonlyMap<A.Expr, Type>;
  /** Resolved declared types (fields, params, ports, consts with an annotation). */
  readonly typeOf: ReadonlyMap<A.TypeExpr, Type>;
  /** NameRefs, and the Idents of `do`/`call`/`infer`/`on`/`follows`/arbiter entries, bound to symbols. */
  readonly bindings: ReadonlyMap<A.Node, Symbol>;
  readonly members: ReadonlyMap<A.FieldAccess, MemberRef>;
  readonly callees: ReadonlyMap<A.CallExpr, Callee>;
  /** Every `call` node bound to its tree. */
  readonly calls: ReadonlyMap<A.CallNode, TreeSymbol>;
  /** Arguments of `do`, `call` and expression calls, in parameter order with defaults filled in. */
  readonly args: ReadonlyMap<A.DoNode | A.CallNode | A.CallExpr, BoundArgs>;
  /** Folded values of constants. */
  readonly constValues: ReadonlyMap<ConstSymbol, number | boolean>;
  readonly models: ReadonlyMap<ModelSymbol, ModelTable>;
  readonly trees: ReadonlyMap<TreeSymbol, TreeEffects>;
  readonly planners: readonly PlannerInfo[];
  readonly executors: readonly ExecutorInfo[];
  readonly arbiters: ReadonlyMap<string, { decl: A.ArbiterDecl; file: string }>;
  readonly shields: ReadonlyMap<string, { decl: A.ShieldDecl; file: string }>;
  readonly tests: readonly { decl: A.TestDecl; file: string }[];
  readonly events: readonly EventSymbol[];
}

export type { RecordType };
