// The policy IR: the only contract between the compiler (lowering, emitter) and the runtime.
//
// Plain JSON, versioned by `irVersion`. Everything is referenced by a dense integer id that is the index into
// its table (`nodes[i].id === i`, `exprs[i].id === i`, and so on), so a reader never searches by name.
// Lowering has already done every decision the source allowed: subtree calls are inlined (there is no call
// node), constants are folded, defaults are filled in (parallel thresholds, handler tables), `msg.x` reads
// are resolved to the payload variable of the right message kind, and writes to arbitrated outputs are
// redirected to the writing executor's proposal variable (writing any slot of a proposal var sets its valid flag).
//
// Ordering invariants (checked by loadIR): tree nodes are stored parent first (every child id > its parent's id);
// expressions are stored operands first (every operand id < the expression's id), so both can be built in one
// pass by a recursive lowering that allocates a node's id before its children and an expression's id after its
// operands.
//
// ## Value layout
// Every per-agent value lives in one flat frame of float64 slots (`layout.frameSize` slots per agent). A var
// is a typed, named block of slots at `offset` of `size = typeSize(type)` slots:
//   bool → 1 slot (0 or 1) · int, float → 1 slot · enum → 1 slot holding the member ordinal
//   vec<N> → N slots · record → its fields in declaration order, each laid out recursively
//   list<T, C> → 1 length slot, then C elements of typeSize(T) slots (elements past the length are unused and
//                always 0: assignment zeroes them, and every list an expression produces keeps them 0)
//   tensor<d, shape> → product of the fixed dims (state/obs tensors must have fully fixed shapes)
// Regions (`IRVar.region`): "obs" (written by the host each step), "out" (read by the host), "state"
// (per-agent state, initialised from `init`), "msg" (message channels: one kind var and one payload var per
// message kind per planner), "proposal" (one block per executor per arbitrated output, plus a bool valid flag).
//
// ## Expressions
// `exprs` is a table of small typed expression nodes referenced by id. Every expression has a `type`; scalar
// expressions (size 1) produce a number, others a block of `typeSize(type)` slots. Assignment targets (`set`,
// infer `write`, test `given`) are a `read` of a var, or a `field`/`index` of an assignment target.
//
// ## Spans
// `spans.nodes[i]` / `spans.exprs[i]` map tree node / expression ids to their .hpol source (null when a node
// was synthesised by lowering). Declarations carry their own `span`.

export const IR_VERSION = 1 as const;

export interface IRSpan {
  readonly file: string;
  /** Half-open UTF-16 offsets into the file. */
  readonly start: number;
  readonly end: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

// ---------------------------------------------------------------- types

export type IRType =
  | { readonly k: "bool" }
  | { readonly k: "int"; readonly min?: number; readonly max?: number }
  | { readonly k: "float"; readonly min?: number; readonly max?: number }
  | { readonly k: "enum"; readonly name: string; readonly members: readonly string[] }
  | { readonly k: "vec"; readonly size: number }
  | { readonly k: "record"; readonly name: string; readonly fields: readonly IRField[] }
  | { readonly k: "list"; readonly element: IRType; readonly capacity: number }
  | { readonly k: "tensor"; readonly dtype: string; readonly shape: readonly (number | string | null)[] };

export interface IRField {
  readonly name: string;
  readonly type: IRType;
}

/** Number of float64 slots a value of this type occupies (see "Value layout"). */
export function typeSize(t: IRType): number {
  switch (t.k) {
    case "bool":
    case "int":
    case "float":
    case "enum":
      return 1;
    case "vec":
      return t.size;
    case "record": {
      let n = 0;
      for (const f of t.fields) n += typeSize(f.type);
      return n;
    }
    case "list":
      return 1 + t.capacity * typeSize(t.element);
    case "tensor": {
      let n = 1;
      for (const d of t.shape) n *= typeof d === "number" ? d : 1;
      return n;
    }
  }
}

/** Slot offset of field `index` inside a record value. */
export function fieldOffset(t: IRType & { k: "record" }, index: number): number {
  let n = 0;
  for (let i = 0; i < index; i++) n += typeSize(t.fields[i]!.type);
  return n;
}

// ---------------------------------------------------------------- layout

export type IRRegion = "obs" | "out" | "state" | "msg" | "proposal";

export interface IRVar {
  readonly id: number;
  /** Qualified display name: "obs.health", "state.ammo", "Guard.state.t", "msg.Boss.attack", "proposal.Aim.move". */
  readonly name: string;
  readonly region: IRRegion;
  /** Bare field name as the host sees it (observation / output field), or the state field name. */
  readonly field: string;
  readonly type: IRType;
  /** First slot in the agent frame. Vars never overlap. */
  readonly offset: number;
  readonly size: number;
  /** Initial value, flattened to `size` slots (state vars; others start at zero, msg kind vars at -1). */
  readonly init?: readonly number[];
  /** Declaration of the field in the .hpol source, for runtime errors about it (e.g. a bad observation). */
  readonly span?: IRSpan | null;
}

export interface IRLayout {
  /** Slots per agent. */
  readonly frameSize: number;
  readonly vars: readonly IRVar[];
  /** Var ids of the observation fields, in declaration order. */
  readonly observation: readonly number[];
  /** Var ids of the output fields, in declaration order. */
  readonly output: readonly number[];
  /** Var ids of every state field (global, tree, planner and executor scoped). */
  readonly state: readonly number[];
}

// ---------------------------------------------------------------- host contract

export interface IRParam {
  readonly name: string;
  readonly type: IRType;
}

export interface IRExtern {
  readonly id: number;
  readonly name: string;
  /** condition → returns bool; function → returns `returns`; action → returns a status. */
  readonly kind: "condition" | "function" | "action";
  readonly params: readonly IRParam[];
  readonly returns?: IRType;
  /** Actions only: may return "running" and be resumed on later ticks. */
  readonly async: boolean;
  /** Actions only: output var ids the action may write. */
  readonly writes: readonly number[];
  readonly span: IRSpan | null;
}

export interface IREvent {
  readonly id: number;
  readonly name: string;
  /** Edge-triggered: fires on the step where this bool expression becomes true. Absent: raised by the host. */
  readonly when?: number;
  readonly span: IRSpan | null;
}

export interface IRModelPort {
  readonly name: string;
  readonly dtype: string;
  /** Declared shape including the batch dimension when declared (string = symbolic, null = dynamic). */
  readonly shape: readonly (number | string | null)[];
  /** Per-agent element count (batch dimension excluded). */
  readonly size: number;
}

export interface IRModel {
  readonly id: number;
  readonly name: string;
  /** Path as written in the spec, relative to the spec's file. */
  readonly path: string;
  readonly backend: "onnx" | "tfjs";
  readonly inputs: readonly IRModelPort[];
  readonly outputs: readonly IRModelPort[];
  readonly span: IRSpan | null;
}

// ---------------------------------------------------------------- layers

export interface IRMessageKind {
  readonly name: string;
  readonly fields: readonly IRField[];
}

export interface IRMessageType {
  readonly id: number;
  readonly name: string;
  readonly kinds: readonly IRMessageKind[];
}

export interface IRPlanner {
  readonly id: number;
  readonly name: string;
  /** Runs when the simulated clock crosses a multiple of this period (see docs/semantics.md); null: events only. */
  readonly periodMs: number | null;
  /** Event ids that trigger a run. */
  readonly events: readonly number[];
  /** Message type id it emits. */
  readonly message: number;
  readonly root: number;
  /** The channel: an int var holding the current kind ordinal (-1 before the first message)... */
  readonly kindVar: number;
  /** ...and one record var per kind (index = kind ordinal) holding that kind's payload. */
  readonly payloadVars: readonly number[];
  readonly span: IRSpan | null;
}

export interface IRHandler {
  /** Kind ordinal in the followed planner's message type. */
  readonly kind: number;
  readonly root: number;
}

export interface IRExecutor {
  readonly id: number;
  readonly name: string;
  readonly periodMs: number;
  /** Planner id whose channel it reads, or null. */
  readonly follows: number | null;
  /** Handlers per message kind; at most one per kind. */
  readonly handlers: readonly IRHandler[];
  /** Runs when no handler matches the current message (or there is no message yet); a body-only executor
   *  has its body here and no handlers. */
  readonly default: number | null;
  /** Output var ids it writes (directly or through proposals). */
  readonly writes: readonly number[];
  readonly span: IRSpan | null;
}

export type IRStrategy =
  | { readonly k: "priority"; readonly executors: readonly number[] }
  | { readonly k: "vote"; readonly executors: readonly number[] }
  | { readonly k: "utility"; readonly entries: readonly IRWeighted[] }
  | { readonly k: "blend"; readonly entries: readonly IRWeighted[] }
  | { readonly k: "filter"; readonly predicate: number; readonly then: IRStrategy };

export interface IRWeighted {
  readonly executor: number;
  /** Score (utility) or weight (blend) expression; `value` is that executor's proposal. */
  readonly expr: number;
}

export interface IRProposal {
  readonly executor: number;
  /** Proposal var (same type as the output) and its bool valid flag var. */
  readonly var: number;
  readonly validVar: number;
}

export interface IRArbiter {
  readonly id: number;
  /** Output var id. */
  readonly output: number;
  readonly strategy: IRStrategy;
  readonly proposals: readonly IRProposal[];
  readonly span: IRSpan | null;
}

export type IRShieldRule =
  | { readonly k: "clamp"; readonly min: number; readonly max: number }
  | { readonly k: "deny"; readonly when: number; readonly fallback: number };

export interface IRShield {
  readonly id: number;
  /** Output var id; `value` in the rule's expressions is that output's current value. */
  readonly output: number;
  readonly rule: IRShieldRule;
  readonly span: IRSpan | null;
}

// ---------------------------------------------------------------- tree nodes

export type IRStatusName = "success" | "failure" | "running";

interface NodeBase {
  readonly id: number;
  /** Optional display label from the source. */
  readonly label?: string;
}

export type IRCompositeKind = "sequence" | "reactive_sequence" | "selector" | "reactive_selector";
export type IRDecoratorKind = "invert" | "force_success" | "force_failure" | "once";

export type IRNode =
  | (NodeBase & { readonly k: IRCompositeKind; readonly children: readonly number[] })
  | (NodeBase & { readonly k: "parallel"; readonly children: readonly number[]; readonly success: number; readonly failure: number })
  | (NodeBase & { readonly k: "race"; readonly children: readonly number[] })
  | (NodeBase & { readonly k: IRDecoratorKind; readonly child: number })
  | (NodeBase & { readonly k: "repeat" | "retry"; readonly count: number; readonly child: number })
  | (NodeBase & { readonly k: "timeout" | "cooldown" | "delay"; readonly ms: number; readonly child: number })
  | (NodeBase & { readonly k: "guard_while" | "guard_until"; readonly cond: number; readonly child: number })
  | (NodeBase & { readonly k: "check"; readonly cond: number })
  | (NodeBase & { readonly k: "do"; readonly extern: number; readonly args: readonly number[] })
  | (NodeBase & { readonly k: "set"; readonly target: number; readonly value: number })
  | (NodeBase & { readonly k: "emit"; readonly planner: number; readonly kind: number; readonly values: readonly number[] })
  | (NodeBase & { readonly k: "wait"; readonly ms: number })
  | (NodeBase & { readonly k: "const"; readonly status: IRStatusName })
  | (NodeBase & IRInferFields & { readonly k: "infer" });

export interface IRInferFields {
  readonly model: number;
  /** One feed per model input: the expression assembling that input (typeSize = port size). */
  readonly feeds: readonly { readonly input: number; readonly value: number }[];
  /** Assignments run when the result is available; their values may read `port` expressions of this node. */
  readonly writes: readonly { readonly target: number; readonly value: number }[];
  /** Model outputs hold `chunk` steps; one step is played per tick. 1 = no chunking. */
  readonly chunk: number;
  /** Re-run `times` more times feeding output `to` back into input `from`; null = once. */
  readonly refine: { readonly times: number; readonly from: number; readonly to: number } | null;
  /** Asynchronous: keep ticking (running) until the result arrives; null = in-frame. */
  readonly async: { readonly timeoutMs: number | null } | null;
}

// ---------------------------------------------------------------- expressions

export type IRUnaryOp = "neg" | "not";
export type IRBinaryOp = "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or";
export type IRBuiltin =
  | "abs" | "min" | "max" | "clamp" | "sqrt" | "floor" | "ceil" | "round" | "sign" | "sin" | "cos" | "atan2"
  | "pow" | "exp" | "log" | "lerp" | "int" | "float"
  | "length" | "normalize" | "dot" | "distance" | "len" | "vec2" | "vec3" | "vec4"
  /** Index of the largest component (first on ties). */
  | "argmax"
  /** Draw from the agent's seeded stream: sample(logits) → index drawn from softmax(logits) (one uniform draw);
   *  gaussian(mean, std) → mean + std·N(0,1), one draw per component for a vector mean; random() → [0, 1). */
  | "sample" | "gaussian" | "random";
export type IRAggregate = "any" | "all" | "count" | "sum" | "min_by" | "max_by" | "min_of" | "max_of";

interface ExprBase {
  readonly id: number;
  readonly type: IRType;
}

export type IRExpr =
  /** A folded constant, flattened to typeSize(type) slots (bools 0/1, enums ordinals). */
  | (ExprBase & { readonly k: "const"; readonly value: readonly number[] })
  /** The whole value of a var. */
  | (ExprBase & { readonly k: "read"; readonly var: number })
  /** A record field or a vector component (`pos.x`): `offset` slots into the object value, `type` the field's. */
  | (ExprBase & { readonly k: "field"; readonly object: number; readonly offset: number })
  /** vec component, list element or tensor sub-tensor over the first dimension (int index, truncated toward
   *  zero). Out of range reads zeros; writes are dropped. */
  | (ExprBase & { readonly k: "index"; readonly object: number; readonly index: number })
  /** Builds a vector, record or list from element values (a list's length is the element count). */
  | (ExprBase & { readonly k: "construct"; readonly elements: readonly number[] })
  | (ExprBase & { readonly k: "unary"; readonly op: IRUnaryOp; readonly operand: number })
  /** Arithmetic is componentwise for vectors, tensors and list elements (a list result keeps the first list
   *  operand's length), a scalar operand broadcasts; int `/` truncates toward zero; x / 0 and x % 0 are 0. So are
   *  the numeric builtins (src/runtime/builtin-math.ts). */
  | (ExprBase & { readonly k: "binary"; readonly op: IRBinaryOp; readonly left: number; readonly right: number })
  | (ExprBase & { readonly k: "if"; readonly cond: number; readonly then: number; readonly else: number })
  /** `arms[i]` is the value for enum ordinal i (lowering orders and completes the arms). */
  | (ExprBase & { readonly k: "match"; readonly scrutinee: number; readonly arms: readonly number[] })
  | (ExprBase & { readonly k: "builtin"; readonly fn: IRBuiltin; readonly args: readonly number[] })
  /** Extern function or condition call. */
  | (ExprBase & { readonly k: "extern"; readonly extern: number; readonly args: readonly number[] })
  /** `agg(local in list : body)`; `local` is a per-policy numbering of aggregate variables. */
  | (ExprBase & { readonly k: "aggregate"; readonly agg: IRAggregate; readonly local: number; readonly list: number; readonly body: number })
  /** The current element of aggregate variable `local`. */
  | (ExprBase & { readonly k: "local"; readonly local: number })
  /** The proposal under consideration (arbiters) or the output's current value (shields). */
  | (ExprBase & { readonly k: "value" })
  /** Output `output` of infer node `node` (the current chunk step when chunked). */
  | (ExprBase & { readonly k: "port"; readonly node: number; readonly output: number });

// ---------------------------------------------------------------- tests

export type IRTestStep =
  /** Assign values before running: `target` is a location expr rooted in obs or state. */
  | { readonly k: "given"; readonly assigns: readonly { readonly target: number; readonly value: number }[]; readonly span: IRSpan | null }
  | { readonly k: "raise"; readonly event: number; readonly span: IRSpan | null }
  | { readonly k: "inject"; readonly planner: number; readonly kind: number; readonly values: readonly number[]; readonly span: IRSpan | null }
  /** Run `ticks` steps, or as many steps as fit in `ms` of simulated time. */
  | { readonly k: "run"; readonly ticks: number | null; readonly ms: number | null; readonly span: IRSpan | null }
  /** A bool expression; `text` is its source for reports. */
  | { readonly k: "expect"; readonly expr: number; readonly text: string; readonly span: IRSpan | null };

export interface IRTest {
  readonly id: number;
  readonly name: string;
  readonly steps: readonly IRTestStep[];
  readonly span: IRSpan | null;
}

// ---------------------------------------------------------------- the whole policy

export interface PolicyIR {
  readonly irVersion: typeof IR_VERSION;
  /** Module name (or the file's base name). */
  readonly name: string;
  readonly layout: IRLayout;
  readonly externs: readonly IRExtern[];
  readonly events: readonly IREvent[];
  readonly models: readonly IRModel[];
  readonly messages: readonly IRMessageType[];
  readonly planners: readonly IRPlanner[];
  readonly executors: readonly IRExecutor[];
  readonly arbiters: readonly IRArbiter[];
  readonly shields: readonly IRShield[];
  readonly nodes: readonly IRNode[];
  readonly exprs: readonly IRExpr[];
  /** Number of distinct aggregate variables (`local` ids are < locals). */
  readonly locals: number;
  readonly tests: readonly IRTest[];
  readonly spans: { readonly nodes: readonly (IRSpan | null)[]; readonly exprs: readonly (IRSpan | null)[] };
}

/** Child node ids of a tree node, in order. */
export function nodeChildren(n: IRNode): readonly number[] {
  if ("children" in n) return n.children;
  if ("child" in n) return [n.child];
  return [];
}

/** Operand expression ids of an expression, in order. */
export function exprOperands(x: IRExpr): number[] {
  switch (x.k) {
    case "field":
      return [x.object];
    case "index":
      return [x.object, x.index];
    case "construct":
      return [...x.elements];
    case "unary":
      return [x.operand];
    case "binary":
      return [x.left, x.right];
    case "if":
      return [x.cond, x.then, x.else];
    case "match":
      return [x.scrutinee, ...x.arms];
    case "builtin":
    case "extern":
      return [...x.args];
    case "aggregate":
      return [x.list, x.body];
    default:
      return [];
  }
}
