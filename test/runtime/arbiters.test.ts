// Every arbiter strategy and both shields; shields always have the last word on an output.
import { describe, expect, it } from "vitest";
import { IRBuilder, FLOAT, INT, vec, act, check, seq, set, succeed } from "./support/builder.ts";
import type { NodeSpec } from "./support/builder.ts";
import type { IRStrategy } from "../../src/runtime/ir.ts";
import { createPool } from "../../src/runtime/pool.ts";
import { MemorySink } from "../../src/runtime/trace.ts";

/** Three executors A, B, C proposing obs-controlled values for one float output `speed`. */
function proposers(strategy: (b: IRBuilder, ids: { A: number; B: number; C: number }) => IRStrategy, type = FLOAT) {
  const b = new IRBuilder();
  const speed = b.out("speed", type);
  const vals = ["a", "b", "c"].map((n) => b.obs(n, type));
  const enabled = ["ea", "eb", "ec"].map((n) => b.obs(n, INT));
  const names = ["A", "B", "C"] as const;
  const props = names.map((name, i) => {
    const x = b.executor(name, { periodMs: 100, writes: [speed] });
    const prop = b.proposal(x, speed);
    const body: NodeSpec = seq(check(b.bin("==", b.read(enabled[i]!), b.num(1))), set(b.read(prop.var), b.read(vals[i]!)));
    b.setDefault(x, body);
    return prop;
  });
  const s = strategy(b, { A: 0, B: 1, C: 2 });
  b.arbiter(speed, s, props);
  return { b, speed };
}

function run(b: IRBuilder, obs: Record<string, unknown>, shields?: (b: IRBuilder) => void) {
  shields?.(b);
  const sink = new MemorySink();
  const pool = createPool(b.build(), { stepMs: 100, trace: sink });
  pool.setObservation(0, obs);
  pool.stepSync();
  return { out: pool.getOutput(0), line: JSON.parse(sink.lines[1]!) as Record<string, unknown[]>, pool };
}

describe("arbiters", () => {
  it("priority: the first listed executor with a proposal wins", () => {
    const { b } = proposers((_b, e) => ({ k: "priority", executors: [e.B, e.A, e.C] }));
    const r = run(b, { a: 1, b: 2, c: 3, ea: 1, eb: 0, ec: 1 });
    expect(r.out["speed"]).toBe(1);
    expect(r.line["arb"]).toEqual([[0, 0, 0]]);
  });

  it("priority: with no proposal the output keeps its value and the decision is -1", () => {
    const { b } = proposers((_b, e) => ({ k: "priority", executors: [e.A, e.B, e.C] }));
    const r = run(b, { a: 1, b: 2, c: 3, ea: 0, eb: 0, ec: 0 });
    expect(r.out["speed"]).toBe(0);
    expect(r.line["arb"]).toEqual([[0, 0, -1]]);
  });

  it("vote: the most proposed value wins; ties go to the first listed", () => {
    const { b } = proposers((_b, e) => ({ k: "vote", executors: [e.A, e.B, e.C] }));
    expect(run(b, { a: 1, b: 5, c: 5, ea: 1, eb: 1, ec: 1 }).out["speed"]).toBe(5);
    const { b: b2 } = proposers((_b, e) => ({ k: "vote", executors: [e.C, e.B, e.A] }));
    expect(run(b2, { a: 1, b: 2, c: 3, ea: 1, eb: 1, ec: 1 }).out["speed"]).toBe(3);
  });

  it("utility: the highest score wins, scores see the proposal as `value`", () => {
    // score = -|value - 2.2|: the proposal closest to 2.2 wins.
    const { b } = proposers((b, e) => {
      const score = () => b.neg(b.call("abs", [b.bin("-", b.value(FLOAT), b.num(2.2))], FLOAT));
      return { k: "utility", entries: [e.A, e.B, e.C].map((executor) => ({ executor, expr: score() })) };
    });
    const r = run(b, { a: 1, b: 2, c: 3, ea: 1, eb: 1, ec: 1 });
    expect(r.out["speed"]).toBe(2);
    expect(r.line["arb"]).toEqual([[0, 0, 1]]);
  });

  it("blend: weighted average of the proposals present", () => {
    const { b } = proposers((b, e) => ({
      k: "blend",
      entries: [
        { executor: e.A, expr: b.num(1) },
        { executor: e.B, expr: b.num(3) },
        { executor: e.C, expr: b.num(100) },
      ],
    }));
    const r = run(b, { a: 2, b: 6, c: 1000, ea: 1, eb: 1, ec: 0 });
    expect(r.out["speed"]).toBe((2 * 1 + 6 * 3) / 4);
    expect(r.line["arb"]).toEqual([[0, 0, -2]]);
  });

  it("blend with every weight zero takes the first listed proposal present", () => {
    const { b } = proposers((b, e) => ({
      k: "blend",
      entries: [
        { executor: e.A, expr: b.num(0) },
        { executor: e.B, expr: b.num(-2) },
        { executor: e.C, expr: b.num(0) },
      ],
    }));
    const r = run(b, { a: 2, b: 6, c: 9, ea: 0, eb: 1, ec: 1 });
    expect(r.out["speed"]).toBe(6);
    expect(r.line["arb"]).toEqual([[0, 0, 1]]);
  });

  it("blend works componentwise on vectors", () => {
    const { b } = proposers(
      (b, e) => ({ k: "blend", entries: [e.A, e.B].map((executor) => ({ executor, expr: b.num(1) })) }),
      vec(2),
    );
    const r = run(b, { a: [0, 2], b: [4, 0], c: [9, 9], ea: 1, eb: 1, ec: 0 });
    expect(r.out["speed"]).toEqual([2, 1]);
  });

  it("filter then strategy: proposals failing the predicate are dropped first", () => {
    const { b } = proposers((b, e) => ({
      k: "filter",
      predicate: b.bin("<", b.value(FLOAT), b.num(2.5)),
      then: { k: "priority", executors: [e.C, e.B, e.A] },
    }));
    const r = run(b, { a: 1, b: 2, c: 3, ea: 1, eb: 1, ec: 1 });
    expect(r.out["speed"]).toBe(2);
  });
});

describe("shields", () => {
  it("clamp bounds the arbitrated output, and is traced when it intervenes", () => {
    const { b, speed } = proposers((_b, e) => ({ k: "priority", executors: [e.A] }));
    const r = run(b, { a: 12, b: 0, c: 0, ea: 1, eb: 0, ec: 0 }, (b) => b.shield(speed, { k: "clamp", min: b.num(-5), max: b.num(5) }));
    expect(r.out["speed"]).toBe(5);
    expect(r.line["shield"]).toEqual([[0, 0]]);
  });

  it("deny replaces a denied value with the fallback; allowed values pass untouched", () => {
    const build = () => {
      const { b, speed } = proposers((_b, e) => ({ k: "priority", executors: [e.A] }));
      return { b, speed };
    };
    const deny = (b: IRBuilder, speed: number) =>
      b.shield(speed, { k: "deny", when: b.bin(">", b.call("abs", [b.value(FLOAT)], FLOAT), b.num(3)), fallback: b.num(0.5) });
    const x = build();
    expect(run(x.b, { a: -4, b: 0, c: 0, ea: 1, eb: 0, ec: 0 }, (b) => deny(b, x.speed)).out["speed"]).toBe(0.5);
    const y = build();
    expect(run(y.b, { a: 2, b: 0, c: 0, ea: 1, eb: 0, ec: 0 }, (b) => deny(b, y.speed)).out["speed"]).toBe(2);
  });

  it("nothing writes past a shield: direct writes, action writes and arbiters are all clamped", () => {
    const b = new IRBuilder();
    const speed = b.out("speed", FLOAT);
    const turn = b.out("turn", FLOAT);
    const push = b.action("push", [], { writes: [turn] });
    b.executor("E", { periodMs: 100, writes: [speed, turn], default: seq(set(b.read(speed), b.num(99)), act(push), succeed()) });
    b.shield(speed, { k: "clamp", min: b.num(0), max: b.num(1) });
    b.shield(turn, { k: "clamp", min: b.num(-1), max: b.num(1) });
    const pool = createPool(b.build(), {
      stepMs: 100,
      externs: { push: (ctx: { write: (o: string, v: unknown) => boolean }) => (ctx.write("turn", -40), "success") },
    });
    pool.stepSync();
    expect(pool.getOutput(0)).toEqual({ speed: 1, turn: -1 });
  });

  it("an action writing an output it does not declare gets HP8014 and the output is untouched", () => {
    const b = new IRBuilder();
    const speed = b.out("speed", FLOAT);
    b.out("turn", FLOAT);
    const push = b.action("push", [], { writes: [speed] });
    b.executor("E", { periodMs: 100, writes: [speed], default: act(push) });
    const pool = createPool(b.build(), {
      stepMs: 100,
      externs: { push: (ctx: { write: (o: string, v: unknown) => boolean }) => (ctx.write("turn", 1) ? "success" : "failure") },
    });
    pool.stepSync();
    expect(pool.getOutput(0)["turn"]).toBe(0);
    expect(pool.drainErrors().map((e) => e.code)).toEqual(["HP8014"]);
  });
});
