// The untyped AST produced by the parser (see docs/grammar.ebnf). Every node carries a span of source
// offsets; line and column are computed only when a diagnostic is rendered. Nodes that the parser could
// only partially recover carry `recovered: true`, so later phases skip them instead of cascading errors.

/** Half-open range of UTF-16 offsets into the file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Node {
  readonly span: Span;
  readonly recovered?: boolean;
}

export interface Ident extends Node {
  readonly kind: "Ident";
  readonly name: string;
}

/** A comment kept for `hpol fmt`: the formatter re-attaches comments by offset. */
export interface Comment {
  readonly span: Span;
  readonly text: string;
  readonly block: boolean;
}

export interface Module extends Node {
  readonly kind: "Module";
  readonly file: string;
  readonly name?: Ident;
  readonly imports: readonly Import[];
  readonly decls: readonly Decl[];
  readonly comments: readonly Comment[];
}

export interface Import extends Node {
  readonly kind: "Import";
  readonly names: readonly Ident[];
  readonly from: StringLit;
}

// ---------------------------------------------------------------- types

export type TypeExpr =
  | BoolType
  | IntType
  | FloatType
  | VecType
  | ListType
  | TensorType
  | NamedType;

export interface NumRange extends Node {
  readonly min: number;
  readonly max: number;
}

export interface BoolType extends Node {
  readonly kind: "BoolType";
}
export interface IntType extends Node {
  readonly kind: "IntType";
  readonly range?: NumRange;
}
export interface FloatType extends Node {
  readonly kind: "FloatType";
  readonly range?: NumRange;
}
/** vec2, vec3, vec4 or vec<N>: a fixed-size float vector. */
export interface VecType extends Node {
  readonly kind: "VecType";
  readonly size: number;
}
export interface ListType extends Node {
  readonly kind: "ListType";
  readonly element: TypeExpr;
  readonly capacity: number;
}
export type DType = "f32" | "f64" | "i32" | "i64" | "bool";
/** A dimension: a fixed size, a named symbolic size (e.g. `batch`) or `?` (dynamic). */
export type Dim =
  | { readonly kind: "fixed"; readonly size: number; readonly span: Span }
  | { readonly kind: "named"; readonly name: string; readonly span: Span }
  | { readonly kind: "dynamic"; readonly span: Span };
export interface TensorType extends Node {
  readonly kind: "TensorType";
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}
export interface NamedType extends Node {
  readonly kind: "NamedType";
  readonly name: Ident;
}

// ---------------------------------------------------------------- declarations

export type Decl =
  | TypeAliasDecl
  | EnumDecl
  | RecordDecl
  | MessageDecl
  | ConstDecl
  | ObservationDecl
  | OutputDecl
  | ExternDecl
  | EventDecl
  | StateDecl
  | ModelDecl
  | TreeDecl
  | PlannerDecl
  | ExecutorDecl
  | ArbiterDecl
  | ShieldDecl
  | TestDecl;

export interface Field extends Node {
  readonly kind: "Field";
  readonly name: Ident;
  readonly type: TypeExpr;
  /** Initial value; required in state blocks, forbidden elsewhere (the checker says so). */
  readonly init?: Expr;
}

export interface TypeAliasDecl extends Node {
  readonly kind: "TypeAliasDecl";
  readonly name: Ident;
  readonly type: TypeExpr;
}
export interface EnumDecl extends Node {
  readonly kind: "EnumDecl";
  readonly name: Ident;
  readonly members: readonly Ident[];
}
export interface RecordDecl extends Node {
  readonly kind: "RecordDecl";
  readonly name: Ident;
  readonly fields: readonly Field[];
}
export interface MessageKind extends Node {
  readonly kind: "MessageKind";
  readonly name: Ident;
  readonly fields: readonly Field[];
}
export interface MessageDecl extends Node {
  readonly kind: "MessageDecl";
  readonly name: Ident;
  readonly kinds: readonly MessageKind[];
}
export interface ConstDecl extends Node {
  readonly kind: "ConstDecl";
  readonly name: Ident;
  readonly type?: TypeExpr;
  readonly value: Expr;
}
export interface ObservationDecl extends Node {
  readonly kind: "ObservationDecl";
  readonly fields: readonly Field[];
}
export interface OutputDecl extends Node {
  readonly kind: "OutputDecl";
  readonly fields: readonly Field[];
}
export interface Param extends Node {
  readonly kind: "Param";
  readonly name: Ident;
  readonly type: TypeExpr;
  readonly default?: Expr;
}
export type ExternKind = "condition" | "function" | "action";
export interface ExternDecl extends Node {
  readonly kind: "ExternDecl";
  readonly externKind: ExternKind;
  readonly name: Ident;
  readonly params: readonly Param[];
  /** Return type of a function; conditions return bool, actions return a status. */
  readonly returns?: TypeExpr;
  /** Actions only: may return `running` across ticks (the host resolves it later). */
  readonly async: boolean;
  /** Actions only: the output fields this action may write. */
  readonly writes: readonly Ident[];
}
export interface EventDecl extends Node {
  readonly kind: "EventDecl";
  readonly name: Ident;
  /** Edge-triggered condition; absent for host-raised events. */
  readonly when?: Expr;
}
export interface StateDecl extends Node {
  readonly kind: "StateDecl";
  readonly fields: readonly Field[];
}
export type Backend = "onnx" | "tfjs";
export interface ModelPort extends Node {
  readonly kind: "ModelPort";
  readonly direction: "input" | "output";
  readonly name: Ident;
  readonly type: TypeExpr;
}
export interface ModelDecl extends Node {
  readonly kind: "ModelDecl";
  readonly name: Ident;
  readonly path: StringLit;
  readonly backend: Backend;
  readonly backendSpan: Span;
  readonly ports: readonly ModelPort[];
}
export interface TreeDecl extends Node {
  readonly kind: "TreeDecl";
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly state?: StateDecl;
  readonly body: TreeNode;
}

export type Trigger =
  | { readonly kind: "every"; readonly period: TimeLit; readonly span: Span }
  | { readonly kind: "rate"; readonly rate: RateLit; readonly span: Span }
  | { readonly kind: "on"; readonly events: readonly Ident[]; readonly span: Span };

export interface PlannerDecl extends Node {
  readonly kind: "PlannerDecl";
  readonly name: Ident;
  readonly triggers: readonly Trigger[];
  readonly emits: Ident;
  readonly state?: StateDecl;
  readonly body: TreeNode;
}
export interface Handler extends Node {
  readonly kind: "Handler";
  /** Message kind name; absent for `default`. */
  readonly messageKind?: Ident;
  readonly body: TreeNode;
}
export interface ExecutorDecl extends Node {
  readonly kind: "ExecutorDecl";
  readonly name: Ident;
  readonly rate: Trigger; // "every" or "rate"
  readonly follows?: Ident;
  readonly writes: readonly Ident[];
  readonly state?: StateDecl;
  /** Either a single body or message handlers. */
  readonly body?: TreeNode;
  readonly handlers: readonly Handler[];
}

export interface Weighted extends Node {
  readonly kind: "Weighted";
  readonly executor: Ident;
  readonly expr: Expr;
}
export type Strategy =
  | { readonly kind: "priority"; readonly executors: readonly Ident[]; readonly span: Span }
  | { readonly kind: "vote"; readonly executors: readonly Ident[]; readonly span: Span }
  | { readonly kind: "utility"; readonly entries: readonly Weighted[]; readonly span: Span }
  | { readonly kind: "blend"; readonly entries: readonly Weighted[]; readonly span: Span }
  | { readonly kind: "filter"; readonly predicate: Expr; readonly then: Strategy; readonly span: Span };

export interface ArbiterDecl extends Node {
  readonly kind: "ArbiterDecl";
  readonly output: Ident;
  readonly strategy: Strategy;
}
export type ShieldRule =
  | { readonly kind: "clamp"; readonly min: Expr; readonly max: Expr; readonly span: Span }
  | { readonly kind: "deny"; readonly when: Expr; readonly fallback: Expr; readonly span: Span };
export interface ShieldDecl extends Node {
  readonly kind: "ShieldDecl";
  readonly output: Ident;
  readonly rule: ShieldRule;
}

export interface FieldInit extends Node {
  readonly kind: "FieldInit";
  readonly name: Ident;
  readonly value: Expr;
}
export type TestStep =
  | { readonly kind: "given"; readonly target: "obs" | "state"; readonly fields: readonly FieldInit[]; readonly span: Span }
  | { readonly kind: "raise"; readonly event: Ident; readonly span: Span }
  | {
      readonly kind: "inject";
      readonly planner: Ident;
      readonly messageKind: Ident;
      readonly fields: readonly FieldInit[];
      readonly span: Span;
    }
  | { readonly kind: "run"; readonly ticks?: number; readonly time?: TimeLit; readonly span: Span }
  | { readonly kind: "expect"; readonly expr: Expr; readonly span: Span };
export interface TestDecl extends Node {
  readonly kind: "TestDecl";
  readonly name: StringLit;
  readonly steps: readonly TestStep[];
}

// ---------------------------------------------------------------- tree nodes

export type TreeNode =
  | CompositeNode
  | ParallelNode
  | DecoratorNode
  | CheckNode
  | DoNode
  | SetNode
  | EmitNode
  | CallNode
  | WaitNode
  | ConstStatusNode
  | InferNode;

export type CompositeKind = "sequence" | "reactive_sequence" | "selector" | "reactive_selector" | "race";
export interface CompositeNode extends Node {
  readonly kind: "Composite";
  readonly composite: CompositeKind;
  readonly label?: StringLit;
  readonly children: readonly TreeNode[];
  /** Span of the opening brace: an unclosed block is reported there. */
  readonly openBrace: Span;
}
export interface ParallelNode extends Node {
  readonly kind: "Parallel";
  readonly success?: IntLit;
  readonly failure?: IntLit;
  readonly label?: StringLit;
  readonly children: readonly TreeNode[];
  readonly openBrace: Span;
}
export type DecoratorKind =
  | "invert"
  | "repeat"
  | "retry"
  | "timeout"
  | "cooldown"
  | "delay"
  | "once"
  | "force_success"
  | "force_failure"
  | "guard_while"
  | "guard_until";
export interface DecoratorNode extends Node {
  readonly kind: "Decorator";
  readonly decorator: DecoratorKind;
  /** repeat/retry: a count; timeout/cooldown/delay: a duration; guard: a condition. */
  readonly count?: IntLit;
  readonly duration?: TimeLit;
  readonly condition?: Expr;
  readonly child: TreeNode;
}
export interface CheckNode extends Node {
  readonly kind: "Check";
  readonly condition: Expr;
}
export interface Arg extends Node {
  readonly kind: "Arg";
  readonly name?: Ident;
  readonly value: Expr;
}
export interface DoNode extends Node {
  readonly kind: "Do";
  readonly action: Ident;
  readonly args: readonly Arg[];
}
export interface SetNode extends Node {
  readonly kind: "Set";
  readonly target: LValue;
  readonly value: Expr;
}
export interface EmitNode extends Node {
  readonly kind: "Emit";
  readonly messageKind: Ident;
  readonly fields: readonly FieldInit[];
}
export interface CallNode extends Node {
  readonly kind: "Call";
  readonly tree: Ident;
  readonly args: readonly Arg[];
}
export interface WaitNode extends Node {
  readonly kind: "Wait";
  readonly duration: TimeLit;
}
export interface ConstStatusNode extends Node {
  readonly kind: "ConstStatus";
  readonly status: "success" | "failure" | "running";
}
export type InferItem =
  | { readonly kind: "feed"; readonly input: Ident; readonly value: Expr; readonly span: Span }
  | { readonly kind: "write"; readonly target: LValue; readonly value: Expr; readonly span: Span }
  | { readonly kind: "chunk"; readonly steps: IntLit; readonly span: Span }
  | { readonly kind: "refine"; readonly times: IntLit; readonly from: Ident; readonly to: Ident; readonly span: Span }
  | { readonly kind: "async"; readonly timeout?: TimeLit; readonly span: Span };
export interface InferNode extends Node {
  readonly kind: "Infer";
  readonly model: Ident;
  readonly items: readonly InferItem[];
}

/** `state.a.b[2]` or `out.move.x`: a root and a path of field names / index expressions. */
export interface LValue extends Node {
  readonly kind: "LValue";
  readonly root: "state" | "out";
  readonly path: readonly (Ident | Expr)[];
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | NumberLit
  | TimeLit
  | BoolLit
  | StringLit
  | NameRef
  | RootRef
  | FieldAccess
  | IndexExpr
  | CallExpr
  | ListLit
  | UnaryExpr
  | BinaryExpr
  | IfExpr
  | MatchExpr
  | AggregateExpr
  | ErrorExpr;

export interface NumberLit extends Node {
  readonly kind: "NumberLit";
  readonly value: number;
  /** True when written without a decimal point or exponent: `3` is int, `3.0` is float. */
  readonly isInt: boolean;
  readonly text: string;
}
export type IntLit = NumberLit;
export interface TimeLit extends Node {
  readonly kind: "TimeLit";
  /** Normalised to milliseconds. */
  readonly ms: number;
  readonly text: string;
}
export interface RateLit extends Node {
  readonly kind: "RateLit";
  readonly hz: number;
  readonly text: string;
}
export interface BoolLit extends Node {
  readonly kind: "BoolLit";
  readonly value: boolean;
}
export interface StringLit extends Node {
  readonly kind: "StringLit";
  readonly value: string;
}
/** A bare name: constant, parameter, aggregate variable, enum type (in `Enum.Member`), function. */
export interface NameRef extends Node {
  readonly kind: "NameRef";
  readonly name: string;
}
export interface RootRef extends Node {
  readonly kind: "RootRef";
  readonly root: "obs" | "state" | "out" | "msg" | "value";
}
export interface FieldAccess extends Node {
  readonly kind: "FieldAccess";
  readonly object: Expr;
  readonly field: Ident;
}
export interface IndexExpr extends Node {
  readonly kind: "IndexExpr";
  readonly object: Expr;
  readonly index: Expr;
}
export interface CallExpr extends Node {
  readonly kind: "CallExpr";
  readonly callee: Ident;
  readonly args: readonly Arg[];
}
export interface ListLit extends Node {
  readonly kind: "ListLit";
  readonly elements: readonly Expr[];
}
export type UnaryOp = "-" | "not";
export interface UnaryExpr extends Node {
  readonly kind: "UnaryExpr";
  readonly op: UnaryOp;
  readonly operand: Expr;
}
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or";
export interface BinaryExpr extends Node {
  readonly kind: "BinaryExpr";
  readonly op: BinaryOp;
  readonly opSpan: Span;
  readonly left: Expr;
  readonly right: Expr;
}
export interface IfExpr extends Node {
  readonly kind: "IfExpr";
  readonly condition: Expr;
  readonly then: Expr;
  readonly else: Expr;
}
export interface MatchArm extends Node {
  readonly kind: "MatchArm";
  readonly member: Ident;
  readonly value: Expr;
}
export interface MatchExpr extends Node {
  readonly kind: "MatchExpr";
  readonly scrutinee: Expr;
  readonly arms: readonly MatchArm[];
}
export type AggregateKind = "any" | "all" | "count" | "sum" | "min_by" | "max_by" | "min_of" | "max_of";
export interface AggregateExpr extends Node {
  readonly kind: "AggregateExpr";
  readonly aggregate: AggregateKind;
  readonly variable: Ident;
  readonly list: Expr;
  readonly body: Expr;
}
/** Placeholder for an expression the parser could not recover; the checker types it as poisoned. */
export interface ErrorExpr extends Node {
  readonly kind: "ErrorExpr";
}
