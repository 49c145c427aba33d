// The state of one lowering run: the program being lowered, the IR tables being built, and the id maps from
// checker symbols to IR ids. `Env` is the lexical situation of the code being lowered (which file, which
// layer, which tree instance, which parameters and aggregate variables are bound).
import type * as A from "../../grammar/ast.ts";
import type { IRType } from "../../runtime/ir.ts";
import type { ConstSymbol, EventSymbol, ExternSymbol, FieldSymbol, LocalSymbol, ModelSymbol, PlannerSymbol, ExecutorSymbol } from "../resolve/symbols.ts";
import type { TypedProgram } from "../check/typed-program.ts";
import type { MessageType } from "../types/type.ts";
import { IRBuilder, type Lowered } from "./builder.ts";
import { IRTypes } from "./ir-types.ts";
import { LoweringBug } from "./lowering-bug.ts";
import { SpanMapper } from "./spans.ts";

/** A planner's message channel: the kind var and one payload var per kind (in kind order). */
export interface Channel {
  readonly planner: number;
  readonly message: MessageType;
  readonly kindVar: number;
  readonly payloadVars: readonly number[];
}

export type LayerContext =
  | { readonly kind: "none" }
  | { readonly kind: "planner"; readonly planner: number; readonly channel: Channel }
  /** `proposals`: output field name → this executor's proposal var, for arbitrated outputs. */
  | { readonly kind: "executor"; readonly executor: number; readonly proposals: ReadonlyMap<string, number> };

/** A tree parameter bound to its argument, lowered at most once (in the caller's environment) on first use. */
export interface ParamBinding {
  readonly arg: A.Expr;
  readonly env: Env;
  value?: Lowered;
}

export interface Env {
  /** File of the AST being lowered (spans are relative to it). */
  readonly file: string;
  readonly layer: LayerContext;
  /** Vars of the local state block in scope (a tree instance's or a layer's). */
  readonly localState: ReadonlyMap<FieldSymbol, number>;
  /** The same block's fields by name, for `set state.x` targets. */
  readonly localFields: ReadonlyMap<string, FieldSymbol>;
  /** Parameters of the tree instance being lowered, keyed by their declaration. */
  readonly params: ReadonlyMap<A.Param, ParamBinding>;
  /** Aggregate variables in scope → their `local` ids. */
  readonly locals: ReadonlyMap<LocalSymbol, number>;
  /** Inside `on Kind` handlers: the payload var that `msg` denotes. */
  readonly msgVar?: number;
  /** Inside arbiter and shield expressions: the type of `value`. */
  readonly value?: IRType;
  /** Inside an infer node's `write` items: the node and its model's output indices by name. */
  readonly infer?: { readonly node: number; readonly outputs: ReadonlyMap<string, number> };
}

export function globalEnv(file: string): Env {
  return { file, layer: { kind: "none" }, localState: new Map(), localFields: new Map(), params: new Map(), locals: new Map() };
}

export class LowerContext {
  readonly b: IRBuilder;
  readonly types = new IRTypes();
  readonly obsVars = new Map<string, number>();
  readonly outVars = new Map<string, number>();
  readonly globalState = new Map<FieldSymbol, number>();
  readonly externs = new Map<ExternSymbol, number>();
  readonly events = new Map<EventSymbol, number>();
  readonly models = new Map<ModelSymbol, number>();
  readonly planners = new Map<PlannerSymbol, number>();
  readonly channels: Channel[] = [];
  readonly executors = new Map<ExecutorSymbol, number>();
  readonly messages = new Map<number, number>(); // MessageType.id → IR message id
  readonly consts = new Map<ConstSymbol, Lowered>();
  /** Instances made so far per tree name, for unique instance var names. */
  readonly treeInstances = new Map<string, number>();
  /** Every state var (global, layer and tree-instance scoped), in allocation order. */
  readonly stateVarIds: number[] = [];

  constructor(
    readonly program: TypedProgram,
    sources: ReadonlyMap<string, string>,
  ) {
    this.b = new IRBuilder(new SpanMapper(sources));
  }

  /** The IR type of a checked expression (ranges dropped). */
  exprType(e: A.Expr, file: string): IRType {
    const t = this.program.exprTypes.get(e);
    if (t === undefined) throw new LoweringBug(`expression ${e.kind} has no type`, file, e.span);
    return this.types.convert(t);
  }

  symbolOf<K extends string>(node: A.Node, kind: K, file: string): Extract<import("../resolve/symbols.ts").Symbol, { kind: K }> {
    const s = this.program.bindings.get(node);
    if (s === undefined || s.kind !== kind) {
      throw new LoweringBug(`expected a ${kind} binding, found ${s?.kind ?? "none"}`, file, node.span);
    }
    return s as Extract<import("../resolve/symbols.ts").Symbol, { kind: K }>;
  }
}
