// Lowering driven by a hand-built AST through the real resolver and checker, independent of the parser: it
// pins down how lowering reads the checker's side tables (parameter bindings, tree-local state, call
// arguments with defaults, root fields) on a two-call subtree.
import { describe, expect, it } from "vitest";
import type * as A from "../../src/grammar/ast.ts";
import { resolve } from "../../src/compiler/resolve/resolve.ts";
import { check } from "../../src/compiler/check/check.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { loadIR } from "../../src/runtime/load-ir.ts";
import { printExpr, printPolicy } from "../../src/runtime/ir-print.ts";
import { createPool } from "../../src/runtime/pool.ts";

const FILE = "/virtual/handbuilt.hpol";
let offset = 0;
/** Distinct spans, so node identity and span tables stay distinguishable. */
const span = (): A.Span => ({ start: offset, end: ++offset });
const ident = (name: string): A.Ident => ({ kind: "Ident", name, span: span() });
const num = (value: number): A.NumberLit => ({ kind: "NumberLit", value, isInt: false, text: value.toFixed(1), span: span() });
const root = (r: A.RootRef["root"], field: string): A.FieldAccess => ({ kind: "FieldAccess", object: { kind: "RootRef", root: r, span: span() }, field: ident(field), span: span() });
const name = (n: string): A.NameRef => ({ kind: "NameRef", name: n, span: span() });
const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.BinaryExpr => ({ kind: "BinaryExpr", op, opSpan: span(), left, right, span: span() });
const floatType = (): A.FloatType => ({ kind: "FloatType", span: span() });
const field = (n: string, init?: A.Expr): A.Field => ({ kind: "Field", name: ident(n), type: floatType(), ...(init ? { init } : {}), span: span() });
const seq = (...children: A.TreeNode[]): A.CompositeNode => ({ kind: "Composite", composite: "sequence", children, openBrace: span(), span: span() });
const set = (r: "state" | "out", f: string, value: A.Expr): A.SetNode => ({ kind: "Set", target: { kind: "LValue", root: r, path: [ident(f)], span: span() }, value, span: span() });
const every = (ms: number): A.Trigger => ({ kind: "every", period: { kind: "TimeLit", ms, text: `${ms}ms`, span: span() }, span: span() });
/** An executor at 10 Hz writing `speed`, with a body or handlers. */
const executor = (n: string, parts: { body?: A.TreeNode; handlers?: A.Handler[]; follows?: string }): A.ExecutorDecl => ({
  kind: "ExecutorDecl",
  name: ident(n),
  rate: every(100),
  ...(parts.follows ? { follows: ident(parts.follows) } : {}),
  writes: [ident("speed")],
  ...(parts.body ? { body: parts.body } : {}),
  handlers: parts.handlers ?? [],
  span: span(),
});
const call = (tree: string, ...args: A.Expr[]): A.CallNode => ({ kind: "Call", tree: ident(tree), args: args.map((value) => ({ kind: "Arg", value, span: span() })), span: span() });

function program(): A.Module {
  const bump: A.TreeDecl = {
    kind: "TreeDecl",
    name: ident("bump"),
    params: [
      { kind: "Param", name: ident("limit"), type: floatType(), span: span() },
      { kind: "Param", name: ident("step"), type: floatType(), default: num(1), span: span() },
    ],
    state: { kind: "StateDecl", fields: [field("n", num(5))], span: span() },
    body: seq({ kind: "Check", condition: bin("<", root("state", "n"), name("limit")), span: span() }, set("state", "n", bin("+", root("state", "n"), name("step")))),
    span: span(),
  };
  const main = executor("main", { body: seq(call("bump", num(10)), call("bump", root("obs", "x")), set("out", "speed", root("obs", "x"))) });
  const decls: A.Decl[] = [
    { kind: "ObservationDecl", fields: [field("x")], span: span() },
    { kind: "OutputDecl", fields: [field("speed")], span: span() },
    bump,
    main,
  ];
  return { kind: "Module", file: FILE, imports: [], decls, comments: [], span: { start: 0, end: offset } };
}

function layered(): A.Module {
  const message: A.MessageDecl = {
    kind: "MessageDecl",
    name: ident("Order"),
    kinds: [
      { kind: "MessageKind", name: ident("Go"), fields: [field("v")], span: span() },
      { kind: "MessageKind", name: ident("Hold"), fields: [], span: span() },
    ],
    span: span(),
  };
  const boss: A.PlannerDecl = {
    kind: "PlannerDecl",
    name: ident("boss"),
    triggers: [every(500)],
    emits: ident("Order"),
    body: seq(
      { kind: "Check", condition: bin(">", root("obs", "x"), num(1)), span: span() },
      { kind: "Emit", messageKind: ident("Go"), fields: [{ kind: "FieldInit", name: ident("v"), value: root("obs", "x"), span: span() }], span: span() },
    ),
    span: span(),
  };
  const a = executor("a", {
    follows: "boss",
    handlers: [
      { kind: "Handler", messageKind: ident("Go"), body: set("out", "speed", root("msg", "v")), span: span() },
      { kind: "Handler", body: set("out", "speed", num(0)), span: span() },
    ],
  });
  const b = executor("b", { body: set("out", "speed", num(2)) });
  const arbiter: A.ArbiterDecl = { kind: "ArbiterDecl", output: ident("speed"), strategy: { kind: "priority", executors: [ident("a"), ident("b")], span: span() }, span: span() };
  const emitted: A.CallExpr = { kind: "CallExpr", callee: ident("emitted"), args: [{ kind: "Arg", value: name("boss"), span: span() }], span: span() };
  const goKind: A.FieldAccess = { kind: "FieldAccess", object: name("Order"), field: ident("Go"), span: span() };
  const test: A.TestDecl = {
    kind: "TestDecl",
    name: { kind: "StringLit", value: "goes", span: span() },
    steps: [
      { kind: "run", ticks: 3, span: span() },
      { kind: "expect", expr: bin("==", emitted, goKind), span: span() },
    ],
    span: span(),
  };
  const decls: A.Decl[] = [
    { kind: "ObservationDecl", fields: [field("x")], span: span() },
    { kind: "OutputDecl", fields: [field("speed")], span: span() },
    message,
    boss,
    a,
    b,
    arbiter,
    test,
  ];
  return { kind: "Module", file: FILE, imports: [], decls, comments: [], span: { start: 0, end: offset } };
}

/** Enums, a top-level state, an event, a model, aggregates, infer, match, parallel, a decorator, a shield. */
function assorted(): A.Module {
  const named = (n: string): A.NamedType => ({ kind: "NamedType", name: ident(n), span: span() });
  const enumMember = (e: string, m: string): A.FieldAccess => ({ kind: "FieldAccess", object: name(e), field: ident(m), span: span() });
  const tensor = (...dims: (number | string)[]): A.TensorType => ({
    kind: "TensorType",
    dtype: "f32",
    shape: dims.map((d) => (typeof d === "number" ? { kind: "fixed" as const, size: d, span: span() } : { kind: "named" as const, name: d, span: span() })),
    span: span(),
  });
  const v = ident("v");
  const any: A.AggregateExpr = { kind: "AggregateExpr", aggregate: "any", variable: v, list: root("obs", "items"), body: bin(">", name("v"), root("obs", "x")), span: span() };
  const infer: A.InferNode = {
    kind: "Infer",
    model: ident("m"),
    items: [
      { kind: "feed", input: ident("i"), value: { kind: "ListLit", elements: [root("obs", "x"), num(1)], span: span() }, span: span() },
      {
        kind: "write",
        target: { kind: "LValue", root: "out", path: [ident("speed")], span: span() },
        // A [batch, 1] output is one float per agent: a scalar (docs/language.md §4.4).
        value: name("o"),
        span: span(),
      },
    ],
    span: span(),
  };
  const flip: A.MatchExpr = {
    kind: "MatchExpr",
    scrutinee: root("state", "mode"),
    arms: [
      { kind: "MatchArm", member: ident("B"), value: enumMember("Mode", "A"), span: span() },
      { kind: "MatchArm", member: ident("A"), value: enumMember("Mode", "B"), span: span() },
    ],
    span: span(),
  };
  const main = executor("main", {
    body: {
      kind: "Parallel",
      children: [
        { kind: "Decorator", decorator: "invert", child: { kind: "Check", condition: any, span: span() }, span: span() },
        infer,
        set("state", "mode", flip),
      ],
      openBrace: span(),
      span: span(),
    },
  });
  const decls: A.Decl[] = [
    {
      kind: "ObservationDecl",
      fields: [field("x"), { kind: "Field", name: ident("items"), type: { kind: "ListType", element: floatType(), capacity: 3, span: span() }, span: span() }],
      span: span(),
    },
    { kind: "OutputDecl", fields: [field("speed")], span: span() },
    { kind: "EnumDecl", name: ident("Mode"), members: [ident("A"), ident("B")], span: span() },
    { kind: "StateDecl", fields: [{ kind: "Field", name: ident("mode"), type: named("Mode"), init: enumMember("Mode", "B"), span: span() }], span: span() },
    { kind: "EventDecl", name: ident("hot"), when: bin(">", root("obs", "x"), num(5)), span: span() },
    {
      kind: "ModelDecl",
      name: ident("m"),
      path: { kind: "StringLit", value: "m.onnx", span: span() },
      backend: "onnx",
      backendSpan: span(),
      ports: [
        { kind: "ModelPort", direction: "input", name: ident("i"), type: tensor("batch", 2), span: span() },
        { kind: "ModelPort", direction: "output", name: ident("o"), type: tensor("batch", 1), span: span() },
      ],
      span: span(),
    },
    main,
    { kind: "ShieldDecl", output: ident("speed"), rule: { kind: "clamp", min: num(0), max: num(1), span: span() }, span: span() },
  ];
  return { kind: "Module", file: FILE, imports: [], decls, comments: [], span: { start: 0, end: offset } };
}

function lowerModule(module: A.Module) {
  const sources = new Map([[FILE, " ".repeat(offset + 1)]]);
  const resolved = resolve({ entry: FILE, modules: new Map([[FILE, module]]), importTargets: new Map() });
  const checked = check(resolved.program, { sources });
  const errors = [...resolved.diagnostics, ...checked.diagnostics].filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
  expect(errors).toEqual([]);
  return loadIR(JSON.parse(JSON.stringify(lower(checked.program, sources))));
}

describe("lowering a hand-built program", () => {
  it("resolves msg to the handled kind's payload, redirects arbitrated writes to proposals, and reads emitted() from the channel", () => {
    const ir = lowerModule(layered());
    expect(printPolicy(ir)).toBe(
      [
        "planner boss: (seq (check (> obs.x 1)) (emit Go v=obs.x))",
        "executor a on Go: (set proposal.a.speed msg.boss.Go.v)",
        "executor a default: (set proposal.a.speed 0)",
        "executor b: (set proposal.b.speed 2)",
      ].join("\n"),
    );
    expect(ir.arbiters[0]!.strategy).toEqual({ k: "priority", executors: [0, 1] });
    const expectStep = ir.tests[0]!.steps[1]!;
    if (expectStep.k !== "expect") throw new Error(expectStep.k);
    expect(printExpr(ir, expectStep.expr)).toBe("(== msg.boss.kind Order.Go)");
    expect(ir.tests[0]!.steps[0]).toMatchObject({ k: "run", ticks: 3, ms: null });
  });

  it("lowers aggregates, infer ports, enum matches, parallel defaults, events and shields", () => {
    const ir = lowerModule(assorted());
    expect(printPolicy(ir)).toBe(
      "executor main: (par 3 1 (invert (check (any $0 obs.items (> $0 obs.x))))" +
        " (infer m (feed i [obs.x 1]) (write out.speed port.o)) (set state.mode (match state.mode Mode.B Mode.A)))",
    );
    expect(ir.layout.vars.find((x) => x.name === "state.mode")).toMatchObject({ init: [1], type: { k: "enum", members: ["A", "B"] } });
    expect(ir.events.map((e) => [e.name, e.when === undefined ? null : printExpr(ir, e.when)])).toEqual([["hot", "(> obs.x 5)"]]);
    const rule = ir.shields[0]!.rule;
    expect(rule.k === "clamp" ? [printExpr(ir, rule.min), printExpr(ir, rule.max)] : rule.k).toEqual(["0", "1"]);
    expect(ir.models[0]).toMatchObject({ name: "m", path: "m.onnx", inputs: [{ name: "i", size: 2 }], outputs: [{ name: "o", size: 1 }] });
    expect(ir.locals).toBe(1);
  });

  it("runs in the reference interpreter: the followed executor's proposal wins, with the planner's payload", () => {
    const pool = createPool(lowerModule(layered()), { stepMs: 100 });
    pool.setObservation(0, { x: 0.5 });
    pool.runSync(1);
    // No message yet: `a` runs its default handler, and its proposal (0) beats b's (2) by priority.
    expect(pool.getOutput(0)).toEqual({ speed: 0 });
    pool.setObservation(0, { x: 3 });
    pool.runSync(6);
    expect(pool.getOutput(0)).toEqual({ speed: 3 });
    expect(pool.drainErrors()).toEqual([]);
  });

  it("inlines both calls with their own state, binding parameters and the default through the checker's tables", () => {
    const ir = lowerModule(program());
    expect(printPolicy(ir)).toBe(
      "executor main: (seq" +
        " (seq (check (< bump#1.state.n 10)) (set bump#1.state.n (+ bump#1.state.n 1)))" +
        " (seq (check (< bump#2.state.n obs.x)) (set bump#2.state.n (+ bump#2.state.n 1)))" +
        " (set out.speed obs.x))",
    );
    expect(ir.layout.vars.map((v) => [v.name, v.offset, v.init ?? null])).toEqual([
      ["obs.x", 0, null],
      ["out.speed", 1, null],
      ["bump#1.state.n", 2, [5]],
      ["bump#2.state.n", 3, [5]],
    ]);
    expect(ir.layout.frameSize).toBe(4);
  });
});
