// Property: random well-typed IR expressions over scalars, vectors, lists and rank-1/rank-2 tensors give the
// same float64 slots folded, interpreted and run as emitted code (NaN equals NaN; -0 equals 0 since the IR is
// JSON). Leaves are constants or state reads, so the emitter prints both constant and frame operands inline.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IRBinaryOp, IRBuiltin, IRType } from "../../src/runtime/index.ts";
import { typeSize } from "../../src/runtime/index.ts";
import { disagreement, evaluateAll, type Term } from "../support/expr-differential.ts";

const FLOAT: IRType = { k: "float" };
const INT: IRType = { k: "int" };
const BOOL: IRType = { k: "bool" };
const VEC2: IRType = { k: "vec", size: 2 };
const VEC3: IRType = { k: "vec", size: 3 };
const LIST4: IRType = { k: "list", element: FLOAT, capacity: 4 };
const T3: IRType = { k: "tensor", dtype: "f32", shape: [3] };
const T23: IRType = { k: "tensor", dtype: "f32", shape: [2, 3] };
const BLOCKS = [VEC2, VEC3, LIST4, T3, T23];

type Arb = fc.Arbitrary<Term>;

/** Finite floats with the edge cases that tell implementations apart (halves, huge values, tiny values). */
const number = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, -0.5, 2.5, -2.5, 3, -7, 1e-9, 1e300, -1e300, Math.PI),
  fc.double({ min: -1000, max: 1000, noNaN: true }).map((x) => x + 0),
);
const smallInt = fc.integer({ min: -6, max: 6 });

function leaf(type: IRType): Arb {
  const state = fc.boolean();
  switch (type.k) {
    case "bool":
      return fc.record({ k: fc.constant("leaf" as const), type: fc.constant(type), value: fc.constantFrom([0], [1]), state });
    case "int":
      return fc.record({ k: fc.constant("leaf" as const), type: fc.constant(type), value: smallInt.map((v) => [v]), state });
    case "list":
      // A list value: its length, its elements, zeros past the length.
      return fc.record({
        k: fc.constant("leaf" as const),
        type: fc.constant(type),
        value: fc.array(number, { maxLength: type.capacity }).map((xs) => [xs.length, ...xs, ...new Array<number>(type.capacity - xs.length).fill(0)]),
        state,
      });
    default:
      return fc.record({ k: fc.constant("leaf" as const), type: fc.constant(type), value: fc.array(number, { minLength: typeSize(type), maxLength: typeSize(type) }), state });
  }
}

const UNARY_MATH: IRBuiltin[] = ["abs", "sqrt", "sign", "sin", "cos", "exp", "log", "float", "floor", "ceil", "round", "int"];
const BINARY_MATH: IRBuiltin[] = ["min", "max", "atan2", "pow"];
const TERNARY_MATH: IRBuiltin[] = ["clamp", "lerp"];
const ARITH: IRBinaryOp[] = ["+", "-", "*", "/", "%"];

const call = (fn: IRBuiltin, type: IRType, args: Term[]): Term => ({ k: "builtin", type, fn, args });

/** Terms of `type`; `depth` bounds the nesting. Built once per (type, depth): arbitraries are reusable. */
const terms = new Map<string, Arb>();
function term(type: IRType, depth: number): Arb {
  const key = `${JSON.stringify(type)}/${depth}`;
  let arb = terms.get(key);
  if (arb === undefined) {
    arb = depth <= 0 ? leaf(type) : fc.oneof(...termOptions(type, depth));
    terms.set(key, arb);
  }
  return arb;
}

function termOptions(type: IRType, depth: number): Arb[] {
  const sub = (t: IRType): Arb => term(t, depth - 1);
  const options: Arb[] = [leaf(type)];
  const cond = (): Arb => fc.tuple(sub(BOOL), sub(type), sub(type)).map(([c, a, b]): Term => ({ k: "if", type, cond: c, then: a, else: b }));
  options.push(cond());
  if (type.k === "bool") {
    options.push(
      fc.tuple(fc.constantFrom<IRBinaryOp>("<", "<=", ">", ">=", "==", "!="), sub(FLOAT), fc.oneof(sub(FLOAT), sub(INT))).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
      fc.tuple(fc.constantFrom<IRBinaryOp>("and", "or"), sub(BOOL), sub(BOOL)).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
      sub(BOOL).map((o): Term => ({ k: "unary", type, op: "not", operand: o })),
      // Whole-value equality: slot by slot, so a list's unused slots must agree too.
      fc.constantFrom(...BLOCKS).chain((t) => fc.tuple(fc.constantFrom<IRBinaryOp>("==", "!="), sub(t), sub(t))).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
    );
  }
  if (type.k === "int") {
    options.push(
      fc.tuple(fc.constantFrom(...ARITH), sub(INT), sub(INT)).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
      fc.tuple(fc.constantFrom<IRBuiltin>("floor", "ceil", "round", "int"), sub(FLOAT)).map(([fn, a]) => call(fn, type, [a])),
      fc.tuple(fc.constantFrom<IRBuiltin>("min", "max"), sub(INT), sub(INT)).map(([fn, a, b]) => call(fn, type, [a, b])),
      fc.constantFrom(VEC3, LIST4, T3, T23).chain((t) => sub(t)).map((a) => call("argmax", type, [a])),
      sub(LIST4).map((a) => call("len", type, [a])),
    );
  }
  if (type.k === "float") {
    options.push(
      sub(FLOAT).map((o): Term => ({ k: "unary", type, op: "neg", operand: o })),
      fc.tuple(fc.constantFrom(...ARITH), sub(FLOAT), fc.oneof(sub(FLOAT), sub(INT))).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
      fc.tuple(fc.constantFrom(...UNARY_MATH), sub(FLOAT)).map(([fn, a]) => call(fn, type, [a])),
      fc.tuple(fc.constantFrom(...BINARY_MATH), sub(FLOAT), sub(FLOAT)).map(([fn, a, b]) => call(fn, type, [a, b])),
      fc.tuple(fc.constantFrom(...TERNARY_MATH), sub(FLOAT), sub(FLOAT), sub(FLOAT)).map(([fn, a, b, c]) => call(fn, type, [a, b, c])),
      fc.tuple(sub(VEC3), fc.integer({ min: 0, max: 2 })).map(([o, offset]): Term => ({ k: "field", type, object: o, offset })),
      fc.tuple(fc.constantFrom(VEC2, LIST4, T3), sub(INT)).chain(([t, i]) => sub(t).map((o): Term => ({ k: "index", type, object: o, index: i }))),
      fc.tuple(sub(T23), sub(INT), sub(INT)).map(([o, i, j]): Term => ({ k: "index", type, object: { k: "index", type: T3, object: o, index: i }, index: j })),
      sub(VEC3).map((v) => call("length", type, [v])),
      fc.tuple(fc.constantFrom<IRBuiltin>("dot", "distance"), sub(VEC2), sub(VEC2)).map(([fn, a, b]) => call(fn, type, [a, b])),
    );
  }
  if (type.k === "vec" || type.k === "list" || type.k === "tensor") {
    // Componentwise over the block: the other arguments broadcast scalars or blocks of the same type.
    const other = (): Arb => fc.oneof(sub(FLOAT), sub(type));
    options.push(
      sub(type).map((o): Term => ({ k: "unary", type, op: "neg", operand: o })),
      fc.tuple(fc.constantFrom(...UNARY_MATH), sub(type)).map(([fn, a]) => call(fn, type, [a])),
      fc.tuple(fc.constantFrom(...BINARY_MATH), sub(type), other()).map(([fn, a, b]) => call(fn, type, [a, b])),
      fc.tuple(fc.constantFrom(...TERNARY_MATH), sub(type), other(), other()).map(([fn, a, b, c]) => call(fn, type, [a, b, c])),
      fc.tuple(fc.constantFrom(...ARITH), sub(type), other()).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
      fc.tuple(fc.constantFrom<IRBinaryOp>("+", "*"), sub(FLOAT), sub(type)).map(([op, l, r]): Term => ({ k: "binary", type, op, left: l, right: r })),
    );
  }
  if (type.k === "vec") {
    options.push(
      fc.array(sub(FLOAT), { minLength: type.size, maxLength: type.size }).map((es): Term => ({ k: "construct", type, elements: es })),
      fc.array(sub(FLOAT), { minLength: type.size, maxLength: type.size }).map((es) => call(`vec${type.size}` as IRBuiltin, type, es)),
      sub(type).map((v) => call("normalize", type, [v])),
      ...(type.size === 3 ? [fc.tuple(sub(VEC2), sub(FLOAT)).map(([v, z]) => call("vec3", type, [v, z]))] : []),
    );
  }
  if (type.k === "list") {
    options.push(fc.array(sub(FLOAT), { maxLength: type.capacity }).map((es): Term => ({ k: "construct", type, elements: es })));
  }
  if (type.k === "tensor" && type.shape.length === 1) {
    options.push(
      fc.tuple(sub(T23), sub(INT)).map(([o, i]): Term => ({ k: "index", type, object: o, index: i })),
      fc.array(sub(FLOAT), { minLength: 3, maxLength: 3 }).map((es): Term => ({ k: "construct", type, elements: es })),
    );
  }
  if (type.k === "tensor" && type.shape.length === 2) {
    options.push(fc.array(sub(T3), { minLength: 2, maxLength: 2 }).map((rows): Term => ({ k: "construct", type, elements: rows })));
  }
  return options;
}

const anyTerm = fc.constantFrom(FLOAT, INT, BOOL, ...BLOCKS).chain((t) => term(t, 3));
const BATCH = 100;
const RUNS = 16;

describe("random expressions: folding, interpreter and emitted code agree bit for bit", () => {
  it(`${RUNS} policies of ${BATCH} expressions each`, async () => {
    let run = 0;
    let folded = 0;
    // Disagreements are collected and asserted after the run: the failing expressions themselves, not a dump of
    // the whole batch, make the report.
    const failures: string[] = [];
    await fc.check(
      fc.asyncProperty(fc.array(anyTerm, { minLength: BATCH, maxLength: BATCH }), async (terms) => {
        const outcomes = await evaluateAll(terms, `prop_${run++}`);
        folded += outcomes.filter((o) => o.fold !== undefined).length;
        const found = outcomes.map(disagreement).filter((d): d is string => d !== undefined);
        failures.push(...found);
        return found.length === 0;
      }),
      { numRuns: RUNS, seed: 20261124, endOnFailure: true },
    );
    expect(failures.slice(0, 5)).toEqual([]);
    // Folding declines only non-finite results; most random expressions must be folded and compared.
    expect(folded).toBeGreaterThan((RUNS * BATCH) / 2);
  });
});
