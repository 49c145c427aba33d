// The expression language: arithmetic, vectors, records, lists, aggregates, match, builtins, randomness.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, FLOAT, INT, vec, set, seq } from "./support/builder.ts";
import type { IRType } from "../../src/runtime/index.ts";
import { createPool } from "../../src/runtime/index.ts";

const Enemy: IRType = {
  k: "record",
  name: "Enemy",
  fields: [
    { name: "pos", type: vec(2) },
    { name: "hp", type: INT },
  ],
};
const Enemies: IRType = { k: "list", element: Enemy, capacity: 4 };
const Stance: IRType = { k: "enum", name: "Stance", members: ["idle", "cover", "charge"] };

/** Evaluate `make(b)` into a state var of `type` after one step and return it. */
function evaluate(type: IRType, make: (b: IRBuilder, o: { enemies: number; me: number; stance: number; n: number }) => number, obs: Record<string, unknown>) {
  const b = new IRBuilder();
  const enemies = b.obs("enemies", Enemies);
  const me = b.obs("me", vec(2));
  const stance = b.obs("stance", Stance);
  const n = b.obs("n", INT);
  const result = b.stateVar("result", type);
  const value = make(b, { enemies, me, stance, n });
  b.executor("E", { periodMs: 100, default: seq(set(b.read(result), value)) });
  const pool = createPool(b.build(), { stepMs: 100, seed: 42 });
  pool.setObservation(0, { enemies: [], me: [0, 0], stance: "idle", n: 0, ...obs });
  pool.stepSync();
  return pool.read(0, "state.result");
}

const foes = [
  { pos: [3, 4], hp: 10 },
  { pos: [1, 1], hp: 50 },
  { pos: [-6, 8], hp: 30 },
];

describe("expressions", () => {
  it("integer division truncates and division by zero gives 0 for ints", () => {
    expect(evaluate(INT, (b, o) => b.bin("/", b.read(o.n), b.num(4)), { n: -7 })).toBe(-1);
    expect(evaluate(INT, (b, o) => b.bin("/", b.num(7), b.read(o.n)), { n: 0 })).toBe(0);
    expect(evaluate(INT, (b, o) => b.bin("%", b.read(o.n), b.num(4)), { n: 7 })).toBe(3);
  });

  it("vector arithmetic is componentwise with scalar broadcast; length, distance, dot, normalize", () => {
    expect(evaluate(vec(2), (b, o) => b.bin("*", b.bin("+", b.read(o.me), b.konst(vec(2), [1, 2])), b.num(2.0, FLOAT)), { me: [1, 1] })).toEqual([4, 6]);
    expect(evaluate(FLOAT, (b, o) => b.call("length", [b.read(o.me)], FLOAT), { me: [3, 4] })).toBe(5);
    expect(evaluate(FLOAT, (b, o) => b.call("distance", [b.read(o.me), b.konst(vec(2), [0, 1])], FLOAT), { me: [3, 5] })).toBe(5);
    expect(evaluate(FLOAT, (b, o) => b.call("dot", [b.read(o.me), b.konst(vec(2), [2, 3])], FLOAT), { me: [1, 2] })).toBe(8);
    expect(evaluate(vec(2), (b, o) => b.call("normalize", [b.read(o.me)], vec(2)), { me: [0, 5] })).toEqual([0, 1]);
    expect(evaluate(vec(3), (b) => b.call("vec3", [b.num(1), b.num(2), b.num(3)], vec(3)), {})).toEqual([1, 2, 3]);
  });

  it("records and lists: field access, indexing, len; out-of-range reads are zeros", () => {
    expect(evaluate(INT, (b, o) => b.field(b.index(b.read(o.enemies), b.num(1)), "hp"), { enemies: foes })).toBe(50);
    expect(evaluate(INT, (b, o) => b.call("len", [b.read(o.enemies)], INT), { enemies: foes })).toBe(3);
    expect(evaluate(INT, (b, o) => b.field(b.index(b.read(o.enemies), b.num(3)), "hp"), { enemies: foes })).toBe(0);
  });

  it("indexing a tensor selects a sub-tensor over its first dimension", () => {
    const T: IRType = { k: "tensor", dtype: "f32", shape: [3, 2] };
    const t = (b: IRBuilder) => b.konst(T, [1, 2, 3, 4, 5, 6]);
    expect(evaluate(vec(2), (b) => b.expr2("index", vec(2), { object: t(b), index: b.num(1) }), {})).toEqual([3, 4]);
    expect(evaluate(vec(2), (b) => b.expr2("index", vec(2), { object: t(b), index: b.num(3) }), {})).toEqual([0, 0]);
  });

  it("list and vector literals: a list's length is its element count", () => {
    const two = (b: IRBuilder) =>
      b.construct([b.konst(Enemy, [1, 2, 10]), b.konst(Enemy, [3, 4, 20])], Enemies);
    expect(evaluate(INT, (b) => b.call("len", [two(b)], INT), {})).toBe(2);
    expect(evaluate(INT, (b) => b.field(b.index(two(b), b.num(1)), "hp"), {})).toBe(20);
    expect(evaluate(Enemies, (b) => two(b), {})).toEqual([
      { pos: [1, 2], hp: 10 },
      { pos: [3, 4], hp: 20 },
    ]);
    expect(evaluate(vec(2), (b, o) => b.construct([b.read(o.n), b.num(5)], vec(2)), { n: 4 })).toEqual([4, 5]);
  });

  it("aggregates: any, all, count, sum, min_of, max_of, min_by, max_by", () => {
    const agg = (kind: "any" | "all" | "count" | "sum" | "min_of" | "max_of", type: IRType, body: (b: IRBuilder, e: number) => number) =>
      evaluate(type, (b, o) => {
        const l = b.newLocal();
        return b.aggregate(kind, l, b.read(o.enemies), body(b, b.local(l, Enemy)), type);
      }, { enemies: foes });
    const hp = (b: IRBuilder, e: number) => b.field(e, "hp");
    expect(agg("any", BOOL, (b, e) => b.bin(">", hp(b, e), b.num(40)))).toBe(true);
    expect(agg("all", BOOL, (b, e) => b.bin(">", hp(b, e), b.num(10)))).toBe(false);
    expect(agg("count", INT, (b, e) => b.bin(">=", hp(b, e), b.num(30)))).toBe(2);
    expect(agg("sum", INT, hp)).toBe(90);
    expect(agg("min_of", INT, hp)).toBe(10);
    expect(agg("max_of", INT, hp)).toBe(50);
    // The nearest enemy to `me`, by min_by over distance.
    const nearest = evaluate(Enemy, (b, o) => {
      const l = b.newLocal();
      const dist = b.call("distance", [b.field(b.local(l, Enemy), "pos"), b.read(o.me)], FLOAT);
      return b.aggregate("min_by" as never, l, b.read(o.enemies), dist, Enemy);
    }, { enemies: foes, me: [0, 0] });
    expect(nearest).toEqual({ pos: [1, 1], hp: 50 });
    const empty = evaluate(INT, (b, o) => {
      const l = b.newLocal();
      return b.aggregate("max_of", l, b.read(o.enemies), b.field(b.local(l, Enemy), "hp"), INT);
    }, { enemies: [] });
    expect(empty).toBe(0);
  });

  it("float and int division by zero are 0 (the language is total)", () => {
    expect(evaluate(FLOAT, (b, o) => b.bin("/", b.num(3.0, FLOAT), b.call("float", [b.read(o.n)], FLOAT), FLOAT), { n: 0 })).toBe(0);
    expect(evaluate(vec(2), (b, o) => b.bin("/", b.read(o.me), b.konst(vec(2), [0, 2])), { me: [4, 4] })).toEqual([0, 2]);
  });

  it("arithmetic and componentwise builtins on lists act on the elements and keep the length", () => {
    const Nums: IRType = { k: "list", element: FLOAT, capacity: 4 };
    const b0 = (b: IRBuilder) => b.construct([b.num(1.0, FLOAT), b.num(-2.0, FLOAT), b.num(5.0, FLOAT)], Nums);
    expect(evaluate(Nums, (b) => b.bin("-", b0(b), b.num(1.0, FLOAT), Nums), {})).toEqual([0, -3, 4]);
    expect(evaluate(Nums, (b) => b.bin("*", b0(b), b.konst(vec(4), [1, 2, 3, 4]), Nums), {})).toEqual([1, -4, 15]);
    expect(evaluate(Nums, (b) => b.call("clamp", [b0(b), b.num(-1.0, FLOAT), b.num(1.0, FLOAT)], Nums), {})).toEqual([1, -1, 1]);
    expect(evaluate(Nums, (b) => b.neg(b0(b)), {})).toEqual([-1, 2, -5]);
    // argmax over a list looks at its current elements only.
    expect(evaluate(INT, (b) => b.call("argmax", [b0(b)], INT), {})).toBe(2);
  });

  it("match selects the arm of the enum ordinal; if/else; boolean logic", () => {
    expect(evaluate(INT, (b, o) => b.match(b.read(o.stance), [b.num(10), b.num(20), b.num(30)]), { stance: "charge" })).toBe(30);
    expect(evaluate(INT, (b, o) => b.iff(b.bin(">", b.read(o.n), b.num(2)), b.num(1), b.num(2)), { n: 3 })).toBe(1);
    expect(evaluate(BOOL, (b, o) => b.bin("or", b.not(b.bin("==", b.read(o.n), b.num(1))), b.bool(false)), { n: 1 })).toBe(false);
    expect(evaluate(BOOL, (b, o) => b.bin("==", b.read(o.me), b.konst(vec(2), [1, 2])), { me: [1, 2] })).toBe(true);
  });

  it("builtins: clamp, abs, min, max, round half away from zero, argmax", () => {
    expect(evaluate(FLOAT, (b) => b.call("clamp", [b.num(7.5, FLOAT), b.num(0), b.num(5)], FLOAT), {})).toBe(5);
    expect(evaluate(FLOAT, (b) => b.call("round", [b.num(-2.5, FLOAT)], FLOAT), {})).toBe(-3);
    expect(evaluate(vec(2), (b, o) => b.call("abs", [b.read(o.me)], vec(2)), { me: [-1, 2] })).toEqual([1, 2]);
    expect(evaluate(INT, (b) => b.call("argmax", [b.konst(vec(4), [1, 9, 9, 2])], INT), {})).toBe(1);
  });

  it("random draws come from the agent's seeded stream", () => {
    const draw = () => evaluate(FLOAT, (b) => b.call("random", [], FLOAT), {});
    const a = draw();
    expect(draw()).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(1);
    // sample() is categorical over softmax(logits).
    const sample = evaluate(INT, (b) => b.call("sample", [b.konst(vec(3), [-50, 50, -50])], INT), {});
    expect(sample).toBe(1);
    // gaussian around a vector mean draws one value per component.
    const noisy = evaluate(vec(2), (b) => b.call("gaussian", [b.konst(vec(2), [10, -10]), b.num(0.5, FLOAT)], vec(2)), {}) as number[];
    expect(noisy[0]).not.toBe(10);
    expect(Math.abs(noisy[0]! - 10)).toBeLessThan(5);
    expect(Math.abs(noisy[1]! + 10)).toBeLessThan(5);
  });

  it("sample follows softmax(logits) over many draws", () => {
    const b = new IRBuilder();
    const counts = b.stateVar("counts", vec(3));
    const pick = b.stateVar("pick", INT);
    // logits ln(1), ln(2), ln(7): probabilities 0.1, 0.2, 0.7
    const logits = b.konst(vec(3), [0, Math.log(2), Math.log(7)]);
    b.executor("E", { periodMs: 100, default: set(b.read(pick), b.call("sample", [logits], INT)) });
    const pool = createPool(b.build(), { stepMs: 100, seed: 9 });
    const seen = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      pool.stepSync();
      seen[pool.read(0, "state.pick") as number]!++;
    }
    void counts;
    expect(seen[0]! / 4000).toBeCloseTo(0.1, 1);
    expect(seen[1]! / 4000).toBeCloseTo(0.2, 1);
    expect(seen[2]! / 4000).toBeCloseTo(0.7, 1);
  });
});
