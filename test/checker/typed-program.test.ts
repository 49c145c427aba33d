// The typed program is what lowering consumes: every expression typed, every name bound, every call bound
// with its arguments in parameter order.
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/compiler/program.ts";
import { formatType } from "../../src/compiler/types/type.ts";
import type * as A from "../../src/grammar/ast.ts";

const host = { readFile: () => undefined };

const text = `enum Mode { Idle, Run }
const LIMIT: float[0, 1] = 0.75
observation { hp: float[0, 100], pos: vec2, enemies: list<vec2, 4>, mode: Mode }
output { speed: float[0, 1], aim: vec2 }
message Intent { Go { target: vec2 }, Stop }
state { ticks: int[0, 1000] = 0 }
extern action shout(volume: float = 1.0)
tree approach(goal: vec2, throttle: float[0, 1] = LIMIT) {
  sequence { set out.aim = goal set out.speed = throttle }
}
planner brain every 500ms emits Intent {
  selector {
    sequence { check obs.mode == Mode.Run check any(e in obs.enemies: distance(e, obs.pos) < 10.0) emit Go { target: obs.enemies[0] } }
    emit Stop
  }
}
executor legs at 30hz follows brain writes speed, aim {
  on Go sequence {
    do shout()
    call approach(msg.target)
    set state.ticks = clamp(state.ticks + 1, 0, 1000)
  }
  on Stop set out.speed = match obs.mode { Idle => 0.0, Run => LIMIT }
}
`;

function walkExprs(node: unknown, out: A.Expr[]): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walkExprs(n, out);
    return;
  }
  const kind = (node as { kind?: string }).kind;
  const exprKinds = new Set(["NumberLit", "BoolLit", "NameRef", "RootRef", "FieldAccess", "IndexExpr", "CallExpr", "ListLit", "UnaryExpr", "BinaryExpr", "IfExpr", "MatchExpr", "AggregateExpr"]);
  // Durations in triggers and decorators are literals of the syntax, not expressions; count, chunk and
  // refine counts likewise. Everything else of an expression kind must be typed.
  if (kind && exprKinds.has(kind)) out.push(node as A.Expr);
  for (const [key, value] of Object.entries(node)) if (key !== "span" && key !== "comments") walkExprs(value, out);
}

describe("typed program", () => {
  const result = checkSource(text, "/virtual/typed.hpol", host);
  const program = result.program!;

  it("checks cleanly", () => {
    expect(result.diagnostics).toEqual([]);
    expect(program).toBeDefined();
  });

  it("types every value expression", () => {
    const exprs: A.Expr[] = [];
    walkExprs(program.modules[0].module.decls, exprs);
    expect(exprs.length).toBeGreaterThan(30);
    const untyped = exprs.filter((e) => !program.exprTypes.has(e) && !(e.kind === "NameRef" && program.bindings.get(e)?.kind === "type"));
    expect(untyped.map((e) => e.kind)).toEqual([]);
    const typeOf = (pred: (e: A.Expr) => boolean) => formatType(program.exprTypes.get(exprs.find(pred)!)!);
    expect(typeOf((e) => e.kind === "AggregateExpr")).toBe("bool");
    expect(typeOf((e) => e.kind === "MatchExpr")).toBe("float[0, 0.75]");
    expect(typeOf((e) => e.kind === "IndexExpr")).toBe("vec2");
  });

  it("binds names, calls and arguments", () => {
    const exprs: A.Expr[] = [];
    walkExprs(program.modules[0].module.decls, exprs);
    const limit = exprs.find((e): e is A.NameRef => e.kind === "NameRef" && e.name === "LIMIT")!;
    expect(program.bindings.get(limit)?.kind).toBe("const");
    expect(program.constValues.get(program.bindings.get(limit) as never)).toBe(0.75);
    const [callNode, tree] = [...program.calls][0];
    expect(tree.name).toBe("approach");
    const args = program.args.get(callNode)!;
    expect(args).toHaveLength(2);
    expect(args[1]).toBe(tree.decl.params[1].default); // the default fills the missing argument
    expect(program.trees.get(tree)?.writes.has("aim")).toBe(true);
    const enumMember = [...program.members.values()].find((m) => m.kind === "enumMember");
    expect(enumMember).toMatchObject({ kind: "enumMember", index: 1 });
  });

  it("records layers, authority and periods", () => {
    expect(program.planners.map((p) => [p.symbol.name, p.periodMs, p.message?.name])).toEqual([["brain", 500, "Intent"]]);
    const legs = program.executors[0];
    expect(legs.periodMs).toBeCloseTo(1000 / 30);
    expect(legs.follows?.name).toBe("brain");
    expect([...legs.writes]).toEqual(["speed", "aim"]);
    expect([...legs.written].sort()).toEqual(["aim", "speed"]);
  });
});
