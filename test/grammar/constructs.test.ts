// One parse test per construct of docs/grammar.ebnf, asserting the AST shape (not just "no errors").
import { describe, expect, it } from "vitest";
import { parse } from "../../src/grammar/index.ts";
import type * as A from "../../src/grammar/ast.ts";

function ok(text: string): A.Module {
  const r = parse(text, "t.hpol");
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.module;
}
function decl<K extends A.Decl["kind"]>(text: string, kind: K): Extract<A.Decl, { kind: K }> {
  const m = ok(text);
  expect(m.decls).toHaveLength(1);
  expect(m.decls[0].kind).toBe(kind);
  return m.decls[0] as Extract<A.Decl, { kind: K }>;
}
/** The body of `tree T() { <node> }`. */
function node(src: string): A.TreeNode {
  return decl(`tree T() {\n${src}\n}`, "TreeDecl").body;
}
/** The expression of `const x = <expr>`. */
function expr(src: string): A.Expr {
  return decl(`const x = ${src}`, "ConstDecl").value;
}

describe("module, imports, comments", () => {
  it("parses a module header, imports and keeps comments", () => {
    const m = ok('module shooter\nimport { Pose, Aim, } from "lib/common.hpol"\n// line\n/* block */\nconst a = 1');
    expect(m.name?.name).toBe("shooter");
    expect(m.imports[0].names.map((n) => n.name)).toEqual(["Pose", "Aim"]);
    expect(m.imports[0].from.value).toBe("lib/common.hpol");
    expect(m.comments.map((c) => [c.text, c.block])).toEqual([["// line", false], ["/* block */", true]]);
  });
  it("parses an empty file", () => {
    const m = ok("");
    expect(m.decls).toEqual([]);
  });
});

describe("types", () => {
  it("type alias with every type form", () => {
    const t = (src: string) => decl(`type X = ${src}`, "TypeAliasDecl").type;
    expect(t("bool")).toMatchObject({ kind: "BoolType" });
    expect(t("int")).toMatchObject({ kind: "IntType" });
    expect(t("int [-5, 10]")).toMatchObject({ kind: "IntType", range: { min: -5, max: 10 } });
    expect(t("float [0.5, 1.5]")).toMatchObject({ kind: "FloatType", range: { min: 0.5, max: 1.5 } });
    expect(t("vec2")).toMatchObject({ kind: "VecType", size: 2 });
    expect(t("vec3")).toMatchObject({ kind: "VecType", size: 3 });
    expect(t("vec4")).toMatchObject({ kind: "VecType", size: 4 });
    expect(t("vec<7>")).toMatchObject({ kind: "VecType", size: 7 });
    expect(t("list<list<int, 2>, 8>")).toMatchObject({ kind: "ListType", capacity: 8, element: { kind: "ListType", capacity: 2 } });
    expect(t("tensor<f32, [batch, 4, ?]>")).toMatchObject({
      kind: "TensorType",
      dtype: "f32",
      shape: [{ kind: "named", name: "batch" }, { kind: "fixed", size: 4 }, { kind: "dynamic" }],
    });
    for (const d of ["f64", "i32", "i64", "bool"]) expect(t(`tensor<${d}, [1]>`)).toMatchObject({ dtype: d });
    expect(t("Pose")).toMatchObject({ kind: "NamedType", name: { name: "Pose" } });
  });
  it("enum with trailing comma", () => {
    const e = decl("enum Stance { Idle, Cover, Attack, }", "EnumDecl");
    expect(e.members.map((m) => m.name)).toEqual(["Idle", "Cover", "Attack"]);
  });
  it("record with fields named by contextual and reserved words", () => {
    const r = decl("record Target { pos: vec2, value: float\n type: int\n count: int }", "RecordDecl");
    expect(r.fields.map((f) => [f.name.name, f.type.kind])).toEqual([
      ["pos", "VecType"],
      ["value", "FloatType"],
      ["type", "IntType"],
      ["count", "IntType"],
    ]);
  });
  it("message with kinds, payloads, optional commas", () => {
    const m = decl("message Intent { Hold, Attack { target: int, urgency: float } Retreat }", "MessageDecl");
    expect(m.kinds.map((k) => [k.name.name, k.fields.length])).toEqual([["Hold", 0], ["Attack", 2], ["Retreat", 0]]);
  });
  it("const with and without a type", () => {
    expect(decl("const max_hp: int = 100", "ConstDecl")).toMatchObject({ name: { name: "max_hp" }, type: { kind: "IntType" }, value: { kind: "NumberLit", value: 100, isInt: true } });
    expect(decl("const speed = 2.5", "ConstDecl").type).toBeUndefined();
  });
});

describe("host contract", () => {
  it("observation and output blocks", () => {
    expect(decl("observation { hp: float [0, 100]\n enemies: list<vec2, 8> }", "ObservationDecl").fields).toHaveLength(2);
    expect(decl("output { move: vec2, fire: bool }", "OutputDecl").fields.map((f) => f.name.name)).toEqual(["move", "fire"]);
  });
  it("extern condition, function and action", () => {
    expect(decl("extern condition can_see(target: int)", "ExternDecl")).toMatchObject({ externKind: "condition", name: { name: "can_see" }, params: [{ name: { name: "target" } }] });
    expect(decl("extern function dist(a: vec2, b: vec2,) -> float", "ExternDecl")).toMatchObject({ externKind: "function", returns: { kind: "FloatType" } });
    const a = decl("extern action shoot(power: float = 1.0) async writes fire, move", "ExternDecl");
    expect(a).toMatchObject({ externKind: "action", async: true });
    expect(a.params[0].default).toMatchObject({ kind: "NumberLit", value: 1 });
    expect(a.writes.map((w) => w.name)).toEqual(["fire", "move"]);
    expect(decl("extern action wait_here()", "ExternDecl")).toMatchObject({ async: false, writes: [] });
  });
  it("events, raised by the host or edge-triggered", () => {
    expect(decl("event Hit", "EventDecl").when).toBeUndefined();
    expect(decl("event LowHp when obs.hp < 20", "EventDecl").when).toMatchObject({ kind: "BinaryExpr", op: "<" });
  });
  it("top-level state with initial values", () => {
    const s = decl("state { n: int = 0, seen: bool = false }", "StateDecl");
    expect(s.fields.map((f) => f.init?.kind)).toEqual(["NumberLit", "BoolLit"]);
  });
  it("model with ports", () => {
    const m = decl('model Policy from "models/p.onnx" using onnx {\n input obs: tensor<f32, [1, 8]>\n output action: tensor<f32, [1, 2]>\n}', "ModelDecl");
    expect(m).toMatchObject({ name: { name: "Policy" }, path: { value: "models/p.onnx" }, backend: "onnx" });
    expect(m.ports.map((p) => [p.direction, p.name.name])).toEqual([["input", "obs"], ["output", "action"]]);
    expect(decl('model M from "m/model.json" using tfjs { }', "ModelDecl").backend).toBe("tfjs");
  });
});

describe("trees and nodes", () => {
  it("tree with params and state", () => {
    const t = decl("tree Patrol(speed: float = 1.5, n: int) {\n state { i: int = 0 }\n succeed\n}", "TreeDecl");
    expect(t.params.map((p) => p.name.name)).toEqual(["speed", "n"]);
    expect(t.state?.fields[0].name.name).toBe("i");
    expect(t.body).toMatchObject({ kind: "ConstStatus", status: "success" });
  });
  it("composites in memory and reactive forms, with labels", () => {
    expect(node('sequence "patrol" { succeed fail }')).toMatchObject({ kind: "Composite", composite: "sequence", label: { value: "patrol" }, children: [{ status: "success" }, { status: "failure" }] });
    expect(node("selector { running }")).toMatchObject({ composite: "selector", children: [{ status: "running" }] });
    expect(node("reactive sequence { succeed }")).toMatchObject({ composite: "reactive_sequence" });
    expect(node("reactive selector { succeed }")).toMatchObject({ composite: "reactive_selector" });
    expect(node("race { succeed fail }")).toMatchObject({ composite: "race" });
  });
  it("the open brace of a composite is recorded", () => {
    const n = node("sequence { succeed }") as A.CompositeNode;
    expect(n.openBrace.end - n.openBrace.start).toBe(1);
  });
  it("parallel with thresholds", () => {
    expect(node("parallel(success: 2, failure: 1) \"both\" { succeed succeed }")).toMatchObject({ kind: "Parallel", success: { value: 2 }, failure: { value: 1 }, label: { value: "both" } });
    const p = node("parallel { succeed }") as A.ParallelNode;
    expect(p.success).toBeUndefined();
  });
  it("every decorator", () => {
    expect(node("invert succeed")).toMatchObject({ kind: "Decorator", decorator: "invert", child: { kind: "ConstStatus" } });
    expect(node("repeat(3) succeed")).toMatchObject({ decorator: "repeat", count: { value: 3 } });
    expect(node("retry(2) succeed")).toMatchObject({ decorator: "retry", count: { value: 2 } });
    expect(node("timeout(2s) succeed")).toMatchObject({ decorator: "timeout", duration: { ms: 2000 } });
    expect(node("cooldown(500ms) succeed")).toMatchObject({ decorator: "cooldown", duration: { ms: 500 } });
    expect(node("delay(1.5s) succeed")).toMatchObject({ decorator: "delay", duration: { ms: 1500 } });
    expect(node("once succeed")).toMatchObject({ decorator: "once" });
    expect(node("force_success fail")).toMatchObject({ decorator: "force_success" });
    expect(node("force_failure succeed")).toMatchObject({ decorator: "force_failure" });
    expect(node("guard while obs.ok succeed")).toMatchObject({ decorator: "guard_while", condition: { kind: "FieldAccess" } });
    expect(node("guard until obs.done succeed")).toMatchObject({ decorator: "guard_until" });
  });
  it("leaves", () => {
    expect(node("check obs.hp > 10")).toMatchObject({ kind: "Check", condition: { kind: "BinaryExpr", op: ">" } });
    expect(node("do move_to(obs.goal, speed: 2.0,)")).toMatchObject({ kind: "Do", action: { name: "move_to" }, args: [{ value: { kind: "FieldAccess" } }, { name: { name: "speed" } }] });
    expect(node("set state.path[2].x = 1")).toMatchObject({ kind: "Set", target: { root: "state", path: [{ kind: "Ident", name: "path" }, { kind: "NumberLit" }, { kind: "Ident", name: "x" }] } });
    expect(node("set out.move = vec2(1, 0)")).toMatchObject({ target: { root: "out" }, value: { kind: "CallExpr", callee: { name: "vec2" } } });
    expect(node("emit Attack { target: 3, urgency: 0.5 }")).toMatchObject({ kind: "Emit", messageKind: { name: "Attack" }, fields: [{ name: { name: "target" } }, { name: { name: "urgency" } }] });
    expect(node("emit Hold")).toMatchObject({ kind: "Emit", fields: [] });
    expect(node("call Patrol(1.0)")).toMatchObject({ kind: "Call", tree: { name: "Patrol" }, args: [{}] });
    expect(node("wait 250ms")).toMatchObject({ kind: "Wait", duration: { ms: 250, text: "250ms" } });
  });
  it("infer with every item", () => {
    const n = node("infer Policy {\n feed obs = [obs.x, obs.y]\n write out.move = action\n chunk 4\n refine 3 from action to prev\n async timeout 100ms\n}");
    expect(n).toMatchObject({
      kind: "Infer",
      model: { name: "Policy" },
      items: [
        { kind: "feed", input: { name: "obs" }, value: { kind: "ListLit" } },
        { kind: "write", target: { root: "out" }, value: { kind: "NameRef", name: "action" } },
        { kind: "chunk", steps: { value: 4 } },
        { kind: "refine", times: { value: 3 }, from: { name: "action" }, to: { name: "prev" } },
        { kind: "async", timeout: { ms: 100 } },
      ],
    });
  });
});

describe("layers", () => {
  it("planner with several triggers", () => {
    const p = decl("planner Brain every 500ms at 2hz on Hit, Seen emits Intent {\n state { k: int = 0 }\n emit Hold\n}", "PlannerDecl");
    expect(p.triggers.map((t) => t.kind)).toEqual(["every", "rate", "on"]);
    expect(p.triggers[1]).toMatchObject({ rate: { hz: 2 } });
    expect(p.triggers[2]).toMatchObject({ events: [{ name: "Hit" }, { name: "Seen" }] });
    expect(p.emits.name).toBe("Intent");
    expect(p.state?.fields).toHaveLength(1);
  });
  it("executor with a body", () => {
    const e = decl("executor Drive at 30hz writes move, fire {\n set out.fire = false\n}", "ExecutorDecl");
    expect(e).toMatchObject({ rate: { kind: "rate", rate: { hz: 30 } }, writes: [{ name: "move" }, { name: "fire" }], body: { kind: "Set" }, handlers: [] });
  });
  it("executor with handlers", () => {
    const e = decl("executor Act every 33ms follows Brain writes move {\n on Attack do aim()\n on Hold succeed\n default fail\n}", "ExecutorDecl");
    expect(e.follows?.name).toBe("Brain");
    expect(e.body).toBeUndefined();
    expect(e.handlers.map((h) => h.messageKind?.name ?? "default")).toEqual(["Attack", "Hold", "default"]);
  });
  it("arbiters with every strategy", () => {
    expect(decl("arbiter move: priority(A, B)", "ArbiterDecl")).toMatchObject({ output: { name: "move" }, strategy: { kind: "priority", executors: [{ name: "A" }, { name: "B" }] } });
    expect(decl("arbiter fire: vote(A, B, C)", "ArbiterDecl").strategy.kind).toBe("vote");
    expect(decl("arbiter move: utility { A => obs.hp, B => 1.0 - obs.hp }", "ArbiterDecl").strategy).toMatchObject({ kind: "utility", entries: [{ executor: { name: "A" } }, { executor: { name: "B" } }] });
    expect(decl("arbiter move: blend { A => 0.5\n B => 0.5 }", "ArbiterDecl").strategy.kind).toBe("blend");
    expect(decl("arbiter move: filter(value.x > 0) then priority(A)", "ArbiterDecl").strategy).toMatchObject({
      kind: "filter",
      predicate: { kind: "BinaryExpr", left: { kind: "FieldAccess", object: { kind: "RootRef", root: "value" } } },
      then: { kind: "priority" },
    });
  });
  it("shields", () => {
    expect(decl("shield speed: clamp(0.0, 1.0)", "ShieldDecl")).toMatchObject({ output: { name: "speed" }, rule: { kind: "clamp", min: { value: 0 }, max: { value: 1 } } });
    expect(decl("shield fire: deny when obs.ally_in_line fallback false", "ShieldDecl").rule).toMatchObject({ kind: "deny", when: { kind: "FieldAccess" }, fallback: { kind: "BoolLit", value: false } });
  });
});

describe("tests", () => {
  it("every test step", () => {
    const t = decl('test "fires when it sees" {\n given obs { hp: 50, seen: true }\n given state { n: 1 }\n raise Hit\n inject Brain Attack { target: 2 }\n inject Brain Hold\n run 10 ticks\n run 2s\n expect out.fire == true and emitted(Brain)\n}', "TestDecl");
    expect(t.name.value).toBe("fires when it sees");
    expect(t.steps.map((s) => s.kind)).toEqual(["given", "given", "raise", "inject", "inject", "run", "run", "expect"]);
    expect(t.steps[0]).toMatchObject({ target: "obs", fields: [{ name: { name: "hp" } }, { name: { name: "seen" } }] });
    expect(t.steps[1]).toMatchObject({ target: "state" });
    expect(t.steps[3]).toMatchObject({ planner: { name: "Brain" }, messageKind: { name: "Attack" }, fields: [{}] });
    expect(t.steps[5]).toMatchObject({ ticks: 10 });
    expect(t.steps[6]).toMatchObject({ time: { ms: 2000 } });
  });
});

describe("expressions", () => {
  it("precedence: or < and < not < comparison < additive < multiplicative < unary < postfix", () => {
    expect(expr("a or b and not c")).toMatchObject({ op: "or", right: { op: "and", right: { kind: "UnaryExpr", op: "not" } } });
    expect(expr("1 + 2 * 3 == 7")).toMatchObject({ op: "==", left: { op: "+", right: { op: "*" } } });
    expect(expr("a - b - c")).toMatchObject({ op: "-", left: { op: "-" } });
    expect(expr("-x.y[0]")).toMatchObject({ kind: "UnaryExpr", op: "-", operand: { kind: "IndexExpr", object: { kind: "FieldAccess" } } });
    expect(expr("(1 + 2) * 3")).toMatchObject({ op: "*", left: { op: "+" } });
    expect(expr("a % b / c")).toMatchObject({ op: "/", left: { op: "%" } });
  });
  it("every comparison operator", () => {
    for (const op of ["==", "!=", "<", "<=", ">", ">="]) expect(expr(`a ${op} b`)).toMatchObject({ kind: "BinaryExpr", op });
  });
  it("literals, roots and names", () => {
    expect(expr("3")).toMatchObject({ kind: "NumberLit", isInt: true });
    expect(expr("3.0")).toMatchObject({ kind: "NumberLit", isInt: false });
    expect(expr("1e3")).toMatchObject({ value: 1000, isInt: false });
    expect(expr("250ms")).toMatchObject({ kind: "TimeLit", ms: 250 });
    expect(expr("true")).toMatchObject({ kind: "BoolLit", value: true });
    expect(expr('"a\\"b\\n"')).toMatchObject({ kind: "StringLit", value: 'a"b\n' });
    for (const r of ["obs", "state", "out", "msg", "value"]) expect(expr(r)).toMatchObject({ kind: "RootRef", root: r });
    expect(expr("speed")).toMatchObject({ kind: "NameRef", name: "speed" });
    expect(expr("Stance.Cover")).toMatchObject({ kind: "FieldAccess", object: { kind: "NameRef", name: "Stance" }, field: { name: "Cover" } });
    expect(expr("clamp(x, lo: 0, hi: 1)")).toMatchObject({ kind: "CallExpr", callee: { name: "clamp" }, args: [{}, { name: { name: "lo" } }, { name: { name: "hi" } }] });
    expect(expr("[1, 2, 3,]")).toMatchObject({ kind: "ListLit", elements: [{}, {}, {}] });
    expect(expr("[]")).toMatchObject({ kind: "ListLit", elements: [] });
  });
  it("if, match and aggregates", () => {
    expect(expr("if a then 1 else 2")).toMatchObject({ kind: "IfExpr", condition: { kind: "NameRef" }, then: { value: 1 }, else: { value: 2 } });
    expect(expr("match s { Idle => 0, Cover => 1\n Attack => 2 }")).toMatchObject({ kind: "MatchExpr", arms: [{ member: { name: "Idle" } }, {}, {}] });
    for (const agg of ["any", "all", "count", "sum", "min_by", "max_by", "min_of", "max_of"]) {
      expect(expr(`${agg}(e in obs.enemies: e.hp)`)).toMatchObject({ kind: "AggregateExpr", aggregate: agg, variable: { name: "e" }, list: { kind: "FieldAccess" }, body: { kind: "FieldAccess" } });
    }
    expect(expr("count(3)")).toMatchObject({ kind: "CallExpr", callee: { name: "count" } });
  });
  it("spans cover the source text of each node", () => {
    const text = "const x = a + b * 2";
    const e = parse(text, "t.hpol").module.decls[0] as A.ConstDecl;
    expect(text.slice(e.value.span.start, e.value.span.end)).toBe("a + b * 2");
    const b = e.value as A.BinaryExpr;
    expect(text.slice(b.right.span.start, b.right.span.end)).toBe("b * 2");
    expect(text.slice(b.opSpan.start, b.opSpan.end)).toBe("+");
    expect(text.slice(e.span.start, e.span.end)).toBe(text);
  });
});
