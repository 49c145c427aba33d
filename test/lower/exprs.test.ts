// Expressions: constant folding, enums as ordinals, records and lists, aggregates and their locals.
import { describe, expect, it } from "vitest";
import { printPolicy } from "../../src/runtime/ir-print.ts";
import { createPool } from "../../src/runtime/pool.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";
import { compile, HOST, varNamed } from "./compile.ts";

/** Expression ids referenced from anywhere in the IR (nodes, other expressions, layers, tests). */
function referencedExprs(ir: PolicyIR): Set<number> {
  const seen = new Set<number>();
  const add = (id: number | undefined): void => {
    if (id !== undefined) seen.add(id);
  };
  for (const n of ir.nodes) {
    const o = n as unknown as Record<string, unknown>;
    for (const key of ["cond", "target", "value"]) add(o[key] as number | undefined);
    for (const key of ["args", "values"]) for (const x of (o[key] as number[] | undefined) ?? []) add(x);
    if (n.k === "infer") for (const x of [...n.feeds, ...n.writes]) add(x.value), add("target" in x ? x.target : undefined);
  }
  for (const x of ir.exprs) {
    const o = x as unknown as Record<string, unknown>;
    for (const key of ["object", "index", "operand", "left", "right", "cond", "then", "else", "scrutinee", "list", "body"]) add(o[key] as number | undefined);
    for (const key of ["elements", "arms", "args"]) for (const y of (o[key] as number[] | undefined) ?? []) add(y);
  }
  for (const e of ir.events) add(e.when);
  return seen;
}

describe("lowering expressions", () => {
  it("folds constants, constant arithmetic, decided conditions and structured constants, leaving no dead constants", () => {
    const ir = compile(`${HOST}
const BASE = 2
const LIMIT: float = BASE * 3.0 + 1.0
const ROUTE: list<vec2, 3> = [vec2(1.0, 2.0), vec2(3.0, 4.0)]
executor main every 100ms writes move, speed {
  sequence {
    check obs.x > LIMIT
    check if BASE > 1 then obs.flag else obs.x > 0.0
    set out.move = ROUTE[1] + vec2(-1.0 * BASE, 0.0)
    set out.speed = obs.x * (10 % 4) + len(ROUTE)
    check false or obs.flag
  }
}
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (check (> obs.x 7)) (check obs.flag) (set out.move [1 4]) (set out.speed (+ (* obs.x 2) 2)) (check obs.flag))",
    );
    const used = referencedExprs(ir);
    // Folding emits a constant only where an unfoldable parent needs it: every expression is used.
    expect(ir.exprs.filter((x) => !used.has(x.id)).map((x) => x.id)).toEqual([]);
  });

  it("maps enum members to ordinals, initial values included, and orders match arms by ordinal", () => {
    const ir = compile(`${HOST}
enum Mode { Idle, Walk, Run }
state {
  mode: Mode = Mode.Walk
}
executor main every 100ms writes speed {
  sequence {
    check state.mode == Mode.Run
    set out.speed = match state.mode { Run => 3.0, Idle => 0.0, Walk => 1.0 }
    set state.mode = Mode.Idle
  }
}
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (check (== state.mode Mode.Run)) (set out.speed (match state.mode 0 1 3)) (set state.mode Mode.Idle))",
    );
    const mode = varNamed(ir, "state.mode");
    expect(mode.init).toEqual([1]);
    expect(mode.type).toEqual({ k: "enum", name: "Mode", members: ["Idle", "Walk", "Run"] });
  });

  it("lays out records and lists, with zero values, list lengths and field offsets", () => {
    const ir = compile(`${HOST}
record Target {
  id: int
  pos: vec2
  hp: float[1.0, 100.0]
}
state {
  t: Target
  seen: list<int, 3> = [4, 5]
}
executor main every 100ms {
  sequence {
    set state.t.pos.y = obs.x
    set state.seen[1] = 7
    check state.t.hp > 50.0
    check state.seen[2] == state.t.id
  }
}
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (set state.t.pos.y obs.x) (set state.seen[1] 7) (check (> state.t.hp 50)) (check (== state.seen[2] state.t.id)))",
    );
    const t = varNamed(ir, "state.t");
    const seen = varNamed(ir, "state.seen");
    // id, pos.x, pos.y, hp — hp's range excludes 0, so it starts at its lower bound.
    expect([t.size, t.init]).toEqual([4, [0, 0, 0, 1]]);
    expect([seen.size, seen.init]).toEqual([4, [2, 4, 5, 0]]);
    expect(seen.offset).toBe(t.offset + 4);
    const set = ir.nodes.find((n) => n.k === "set")!;
    const target = ir.exprs[(set as { target: number }).target]!;
    expect(target).toMatchObject({ k: "field", offset: 1, type: { k: "float" } });
    expect(ir.exprs[(target as { object: number }).object]).toMatchObject({ k: "field", offset: 1, type: { k: "vec", size: 2 } });
  });

  it("numbers aggregate variables per policy, nested ones distinctly", () => {
    const ir = compile(`${HOST}
executor main every 100ms {
  sequence {
    check any(v in obs.items : v > obs.x)
    check count(v in obs.items : all(w in obs.items : w >= v)) > 0
    check sum(v in obs.items : v) > 1.0
  }
}
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (check (any $0 obs.items (> $0 obs.x))) (check (> (count $1 obs.items (all $2 obs.items (>= $2 $1))) 0))" +
        " (check (> (sum $3 obs.items $3) 1)))",
    );
    expect(ir.locals).toBe(4);
  });
});

describe("lowering normalize(x, mean, std)", () => {
  it("is (x - mean) / std as written: division is total, so a zero std gives 0 without a guard", () => {
    const ir = compile(`${HOST}
executor main every 100ms writes move, speed {
  sequence {
    set out.move = normalize(obs.pos, vec2(1.0, 2.0), vec2(2.0, 0.0))
    set out.speed = normalize(obs.x, 1.0, obs.y)
  }
}
`);
    expect(printPolicy(ir)).toBe("executor main: (seq (set out.move (/ (- obs.pos [1 2]) [2 0])) (set out.speed (/ (- obs.x 1) obs.y)))");
    const pool = createPool(ir, { agents: 1 });
    expect(pool.setObservation(0, { x: 4, y: 0, flag: false, pos: [5, 7], items: [] })).toBe(true);
    pool.stepSync();
    expect(pool.getOutput(0)).toMatchObject({ move: [2, 0], speed: 0 });
  });

  it("normalises a list's live elements componentwise: the result keeps the list's length", () => {
    const ir = compile(`${HOST}
const MEAN: tensor<f32, [4]> = [1.0, 1.0, 1.0, 1.0]
const STD: tensor<f32, [4]> = [2.0, 2.0, 2.0, 2.0]
executor main every 100ms writes speed {
  set out.speed = sum(v in normalize(obs.items, MEAN, STD) : v)
}
`);
    expect(printPolicy(ir)).toBe("executor main: (set out.speed (sum $0 (/ (- obs.items [1 1 1 1]) [2 2 2 2]) $0))");
    const pool = createPool(ir, { agents: 1 });
    expect(pool.setObservation(0, { x: 0, y: 0, flag: false, pos: [0, 0], items: [5, 7] })).toBe(true);
    pool.stepSync();
    // (5 - 1) / 2 + (7 - 1) / 2: the two unused elements take no part.
    expect(pool.getOutput(0)["speed"]).toBe(5);
  });
});
