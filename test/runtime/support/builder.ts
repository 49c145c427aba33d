// A small builder for hand-written policy IR in runtime tests. Tree nodes are described as nested specs and
// numbered parent-first when the policy is built; expressions are allocated operands-first as they are made,
// matching the ordering invariants loadIR checks.
import type {
  IRBinaryOp,
  IRBuiltin,
  IRExpr,
  IRNode,
  IRShieldRule,
  IRStrategy,
  IRTestStep,
  IRType,
  IRVar,
  PolicyIR,
  IRExtern,
  IREvent,
  IRModel,
  IRMessageType,
  IRPlanner,
  IRExecutor,
  IRArbiter,
  IRShield,
  IRTest,
  IRRegion,
} from "../../../src/runtime/ir.ts";
import { IR_VERSION, typeSize, fieldOffset } from "../../../src/runtime/ir.ts";

export const BOOL: IRType = { k: "bool" };
export const INT: IRType = { k: "int" };
export const FLOAT: IRType = { k: "float" };
export const vec = (size: number): IRType => ({ k: "vec", size });
export const int = (min?: number, max?: number): IRType => ({ k: "int", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
export const float = (min?: number, max?: number): IRType => ({ k: "float", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });

export type NodeSpec = { spec: Record<string, unknown> & { k: IRNode["k"] }; kids: NodeSpec[]; id: number; label?: string };

function node(k: IRNode["k"], fields: Record<string, unknown>, kids: NodeSpec[] = []): NodeSpec {
  return { spec: { k, ...fields }, kids, id: -1 };
}

export class IRBuilder {
  private vars: IRVar[] = [];
  private frame = 0;
  private exprs: IRExpr[] = [];
  private nodes: IRNode[] = [];
  private externs: IRExtern[] = [];
  private events: IREvent[] = [];
  private models: IRModel[] = [];
  private messages: IRMessageType[] = [];
  private planners: IRPlanner[] = [];
  private executors: IRExecutor[] = [];
  private arbiters: IRArbiter[] = [];
  private shields: IRShield[] = [];
  private tests: IRTest[] = [];
  private observation: number[] = [];
  private output: number[] = [];
  private state: number[] = [];
  private locals = 0;
  private pendingPorts: { expr: number; node: NodeSpec }[] = [];
  private roots: { spec: NodeSpec; set: (id: number) => void }[] = [];

  constructor(private readonly name = "test") {}

  // ---------------------------------------------------------------- vars
  private addVar(region: IRRegion, name: string, field: string, type: IRType, init?: number[]): number {
    const size = typeSize(type);
    const id = this.vars.length;
    this.vars.push({ id, name, region, field, type, offset: this.frame, size, ...(init ? { init } : {}) });
    this.frame += size;
    return id;
  }
  obs(field: string, type: IRType): number {
    const id = this.addVar("obs", `obs.${field}`, field, type);
    this.observation.push(id);
    return id;
  }
  out(field: string, type: IRType): number {
    const id = this.addVar("out", `out.${field}`, field, type);
    this.output.push(id);
    return id;
  }
  stateVar(field: string, type: IRType, init: number[] = new Array(typeSize(type)).fill(0)): number {
    const id = this.addVar("state", `state.${field}`, field, type, init);
    this.state.push(id);
    return id;
  }

  // ---------------------------------------------------------------- expressions
  private expr(x: Record<string, unknown> & { k: IRExpr["k"]; type: IRType }): number {
    const id = this.exprs.length;
    this.exprs.push({ id, ...x } as IRExpr);
    return id;
  }
  /** Any expression kind, for cases the typed helpers do not cover. */
  expr2(k: IRExpr["k"], type: IRType, fields: Record<string, unknown>): number {
    return this.expr({ k, type, ...fields });
  }
  num(value: number, type: IRType = Number.isInteger(value) ? INT : FLOAT): number {
    return this.expr({ k: "const", type, value: [value] });
  }
  bool(value: boolean): number {
    return this.expr({ k: "const", type: BOOL, value: [value ? 1 : 0] });
  }
  konst(type: IRType, value: number[]): number {
    return this.expr({ k: "const", type, value });
  }
  read(v: number): number {
    return this.expr({ k: "read", type: this.vars[v]!.type, var: v });
  }
  field(object: number, name: string): number {
    const t = this.exprs[object]!.type;
    if (t.k !== "record") throw new Error("field of a non-record");
    const i = t.fields.findIndex((f) => f.name === name);
    return this.expr({ k: "field", type: t.fields[i]!.type, object, offset: fieldOffset(t, i) });
  }
  index(object: number, index: number): number {
    const t = this.exprs[object]!.type;
    const type = t.k === "list" ? t.element : FLOAT;
    return this.expr({ k: "index", type, object, index });
  }
  bin(op: IRBinaryOp, left: number, right: number, type?: IRType): number {
    const cmp = ["==", "!=", "<", "<=", ">", ">=", "and", "or"].includes(op);
    return this.expr({ k: "binary", type: type ?? (cmp ? BOOL : this.exprs[left]!.type), op, left, right });
  }
  not(operand: number): number {
    return this.expr({ k: "unary", type: BOOL, op: "not", operand });
  }
  neg(operand: number): number {
    return this.expr({ k: "unary", type: this.exprs[operand]!.type, op: "neg", operand });
  }
  iff(cond: number, then: number, els: number): number {
    return this.expr({ k: "if", type: this.exprs[then]!.type, cond, then, else: els });
  }
  match(scrutinee: number, arms: number[]): number {
    return this.expr({ k: "match", type: this.exprs[arms[0]!]!.type, scrutinee, arms });
  }
  call(fn: IRBuiltin, args: number[], type: IRType): number {
    return this.expr({ k: "builtin", type, fn, args });
  }
  construct(elements: number[], type: IRType): number {
    return this.expr({ k: "construct", type, elements });
  }
  ext(extern: number, args: number[] = []): number {
    const x = this.externs[extern]!;
    return this.expr({ k: "extern", type: x.kind === "condition" ? BOOL : x.returns!, extern, args });
  }
  newLocal(): number {
    return this.locals++;
  }
  local(localId: number, type: IRType): number {
    return this.expr({ k: "local", type, local: localId });
  }
  aggregate(agg: IRExpr & { k: "aggregate" } extends { agg: infer A } ? A : never, localId: number, list: number, body: number, type: IRType): number {
    return this.expr({ k: "aggregate", type, agg, local: localId, list, body });
  }
  value(type: IRType): number {
    return this.expr({ k: "value", type });
  }
  port(inferNode: NodeSpec, output: number, type: IRType): number {
    const id = this.expr({ k: "port", type, node: -1, output });
    this.pendingPorts.push({ expr: id, node: inferNode });
    return id;
  }

  // ---------------------------------------------------------------- host contract
  condition(name: string, params: IRType[] = []): number {
    return this.addExtern({ name, kind: "condition", params: params.map((type, i) => ({ name: `p${i}`, type })), async: false, writes: [] });
  }
  fn(name: string, params: IRType[], returns: IRType): number {
    return this.addExtern({ name, kind: "function", params: params.map((type, i) => ({ name: `p${i}`, type })), returns, async: false, writes: [] });
  }
  action(name: string, params: IRType[] = [], opts: { async?: boolean; writes?: number[] } = {}): number {
    return this.addExtern({
      name,
      kind: "action",
      params: params.map((type, i) => ({ name: `p${i}`, type })),
      async: opts.async ?? false,
      writes: opts.writes ?? [],
    });
  }
  private addExtern(x: Omit<IRExtern, "id" | "span">): number {
    const id = this.externs.length;
    this.externs.push({ id, ...x, span: null });
    return id;
  }
  event(name: string, when?: number): number {
    const id = this.events.length;
    this.events.push({ id, name, ...(when !== undefined ? { when } : {}), span: null });
    return id;
  }
  model(name: string, inputs: number[], outputs: number[]): number {
    const id = this.models.length;
    const port = (n: number, i: number, dir: string) => ({ name: `${dir}${i}`, dtype: "f32", shape: ["batch", n], size: n });
    this.models.push({ id, name, path: `${name}.onnx`, backend: "onnx", inputs: inputs.map((n, i) => port(n, i, "in")), outputs: outputs.map((n, i) => port(n, i, "out")), span: null });
    return id;
  }
  message(name: string, kinds: { name: string; fields: { name: string; type: IRType }[] }[]): number {
    const id = this.messages.length;
    this.messages.push({ id, name, kinds });
    return id;
  }

  // ---------------------------------------------------------------- layers
  planner(name: string, opts: { periodMs: number | null; events?: number[]; message: number; root: NodeSpec }): number {
    const id = this.planners.length;
    const msg = this.messages[opts.message]!;
    const kindVar = this.addVar("msg", `msg.${name}.kind`, "kind", INT);
    const payloadVars = msg.kinds.map((k) =>
      this.addVar("msg", `msg.${name}.${k.name}`, k.name, { k: "record", name: `${msg.name}.${k.name}`, fields: k.fields }),
    );
    const p: { -readonly [K in keyof IRPlanner]: IRPlanner[K] } = {
      id,
      name,
      periodMs: opts.periodMs,
      events: opts.events ?? [],
      message: opts.message,
      root: -1,
      kindVar,
      payloadVars,
      span: null,
    };
    this.planners.push(p);
    this.roots.push({ spec: opts.root, set: (r) => (p.root = r) });
    return id;
  }
  /** Payload var of a planner's message kind (for msg.x reads). */
  payloadVar(planner: number, kind: number): number {
    return this.planners[planner]!.payloadVars[kind]!;
  }
  executor(
    name: string,
    opts: { periodMs: number; follows?: number; handlers?: { kind: number; root: NodeSpec }[]; default?: NodeSpec; writes?: number[] },
  ): number {
    const id = this.executors.length;
    const x: { -readonly [K in keyof IRExecutor]: IRExecutor[K] } = {
      id,
      name,
      periodMs: opts.periodMs,
      follows: opts.follows ?? null,
      handlers: [],
      default: null,
      writes: opts.writes ?? [],
      span: null,
    };
    this.executors.push(x);
    const handlers: { kind: number; root: number }[] = [];
    x.handlers = handlers;
    for (const h of opts.handlers ?? []) {
      const entry = { kind: h.kind, root: -1 };
      handlers.push(entry);
      this.roots.push({ spec: h.root, set: (r) => (entry.root = r) });
    }
    if (opts.default) this.roots.push({ spec: opts.default, set: (r) => (x.default = r) });
    return id;
  }
  /** Give an executor its body after creation (when the body needs the executor's proposal vars). */
  setDefault(executor: number, root: NodeSpec): void {
    const x = this.executors[executor] as { default: number | null };
    this.roots.push({ spec: root, set: (r) => (x.default = r) });
  }
  /** Proposal var + valid flag for (executor, output), to be used as set targets in that executor's tree. */
  proposal(executor: number, output: number): { var: number; validVar: number; executor: number } {
    const o = this.vars[output]!;
    const ex = this.executors[executor]!;
    const v = this.addVar("proposal", `proposal.${ex.name}.${o.field}`, o.field, o.type);
    const validVar = this.addVar("proposal", `proposal.${ex.name}.${o.field}.valid`, `${o.field}.valid`, BOOL);
    return { var: v, validVar, executor };
  }
  arbiter(output: number, strategy: IRStrategy, proposals: { var: number; validVar: number; executor: number }[]): number {
    const id = this.arbiters.length;
    this.arbiters.push({ id, output, strategy, proposals, span: null });
    return id;
  }
  shield(output: number, rule: IRShieldRule): number {
    const id = this.shields.length;
    this.shields.push({ id, output, rule, span: null });
    return id;
  }
  test(name: string, steps: IRTestStep[]): void {
    this.tests.push({ id: this.tests.length, name, steps, span: null });
  }

  build(): PolicyIR {
    const nodes: IRNode[] = [];
    const spans: ({ file: string; start: number; end: number; line: number; column: number } | null)[] = [];
    const number = (s: NodeSpec): number => {
      const id = nodes.length;
      s.id = id;
      nodes.push(null as unknown as IRNode);
      spans.push({ file: "test.hpol", start: id, end: id + 1, line: id + 1, column: 1 });
      const kidIds = s.kids.map(number);
      const n: Record<string, unknown> = { id, ...s.spec };
      if ("children" in s.spec) n["children"] = kidIds;
      if ("child" in s.spec) n["child"] = kidIds[0];
      if (s.label) n["label"] = s.label;
      nodes[id] = n as unknown as IRNode;
      return id;
    };
    for (const r of this.roots) r.set(number(r.spec));
    for (const p of this.pendingPorts) (this.exprs[p.expr] as { node: number }).node = p.node.id;
    this.nodes = nodes;
    return {
      irVersion: IR_VERSION,
      name: this.name,
      layout: { frameSize: this.frame, vars: this.vars, observation: this.observation, output: this.output, state: this.state },
      externs: this.externs,
      events: this.events,
      models: this.models,
      messages: this.messages,
      planners: this.planners,
      executors: this.executors,
      arbiters: this.arbiters,
      shields: this.shields,
      nodes: this.nodes,
      exprs: this.exprs,
      locals: this.locals,
      tests: this.tests,
      spans: { nodes: spans, exprs: this.exprs.map(() => null) },
    };
  }
}

// ---------------------------------------------------------------- node specs
export const seq = (...kids: NodeSpec[]): NodeSpec => node("sequence", { children: [] }, kids);
export const sel = (...kids: NodeSpec[]): NodeSpec => node("selector", { children: [] }, kids);
export const rseq = (...kids: NodeSpec[]): NodeSpec => node("reactive_sequence", { children: [] }, kids);
export const rsel = (...kids: NodeSpec[]): NodeSpec => node("reactive_selector", { children: [] }, kids);
export const par = (success: number, failure: number, ...kids: NodeSpec[]): NodeSpec => node("parallel", { children: [], success, failure }, kids);
export const race = (...kids: NodeSpec[]): NodeSpec => node("race", { children: [] }, kids);
export const invert = (c: NodeSpec): NodeSpec => node("invert", { child: 0 }, [c]);
export const forceSuccess = (c: NodeSpec): NodeSpec => node("force_success", { child: 0 }, [c]);
export const forceFailure = (c: NodeSpec): NodeSpec => node("force_failure", { child: 0 }, [c]);
export const once = (c: NodeSpec): NodeSpec => node("once", { child: 0 }, [c]);
export const repeat = (count: number, c: NodeSpec): NodeSpec => node("repeat", { child: 0, count }, [c]);
export const retry = (count: number, c: NodeSpec): NodeSpec => node("retry", { child: 0, count }, [c]);
export const timeout = (ms: number, c: NodeSpec): NodeSpec => node("timeout", { child: 0, ms }, [c]);
export const delay = (ms: number, c: NodeSpec): NodeSpec => node("delay", { child: 0, ms }, [c]);
export const cooldown = (ms: number, c: NodeSpec): NodeSpec => node("cooldown", { child: 0, ms }, [c]);
export const guardWhile = (cond: number, c: NodeSpec): NodeSpec => node("guard_while", { child: 0, cond }, [c]);
export const guardUntil = (cond: number, c: NodeSpec): NodeSpec => node("guard_until", { child: 0, cond }, [c]);
export const check = (cond: number): NodeSpec => node("check", { cond });
export const act = (extern: number, ...args: number[]): NodeSpec => node("do", { extern, args });
export const set = (target: number, value: number): NodeSpec => node("set", { target, value });
export const emit = (planner: number, kind: number, ...values: number[]): NodeSpec => node("emit", { planner, kind, values });
export const wait = (ms: number): NodeSpec => node("wait", { ms });
export const succeed = (): NodeSpec => node("const", { status: "success" });
export const fail = (): NodeSpec => node("const", { status: "failure" });
export const running = (): NodeSpec => node("const", { status: "running" });
export const infer = (
  model: number,
  opts: {
    feeds: { input: number; value: number }[];
    writes?: { target: number; value: number }[];
    chunk?: number;
    refine?: { times: number; from: number; to: number } | null;
    async?: { timeoutMs: number | null } | null;
  },
): NodeSpec =>
  node("infer", { model, feeds: opts.feeds, writes: opts.writes ?? [], chunk: opts.chunk ?? 1, refine: opts.refine ?? null, async: opts.async ?? null });
export const labelled = (label: string, n: NodeSpec): NodeSpec => ({ ...n, label });
