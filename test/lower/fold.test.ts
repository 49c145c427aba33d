// Folding must compute exactly what the runtime would: every folded operation is compared with the reference
// interpreter's expression compiler evaluating the same IR on the same constant operands.
import { describe, expect, it } from "vitest";
import { compileExprs, type EvalEnv } from "../../src/runtime/expr-compiler.ts";
import type { IRBinaryOp, IRBuiltin, IRExpr, IRType, PolicyIR } from "../../src/runtime/ir.ts";
import { IR_VERSION } from "../../src/runtime/ir.ts";
import { foldBinary, foldBuiltin, foldConstruct, foldIndex, foldUnary } from "../../src/compiler/lower/fold.ts";
import { zeroValue } from "../../src/compiler/lower/ir-types.ts";

const INT: IRType = { k: "int" };
const FLOAT: IRType = { k: "float" };
const BOOL: IRType = { k: "bool" };
const vec = (size: number): IRType => ({ k: "vec", size });
const list = (element: IRType, capacity: number): IRType => ({ k: "list", element, capacity });

interface Operand {
  readonly type: IRType;
  readonly value: readonly number[];
}
const int = (v: number): Operand => ({ type: INT, value: [v] });
const float = (v: number): Operand => ({ type: FLOAT, value: [v] });
const vecOf = (...v: number[]): Operand => ({ type: vec(v.length), value: v });

/** Slot values compared as numbers: folding writes 0 where the runtime may leave -0 (the same float64 value
 *  for every operation and for JSON traces). */
const num = (v: readonly number[] | undefined): number[] | undefined => v?.map((x) => x + 0);

/** Evaluates the last expression with the runtime's compiler, after constant operands. */
function runtime(operands: readonly Operand[], make: (ids: number[]) => Omit<IRExpr, "id">): number[] {
  const exprs: IRExpr[] = operands.map((o, id) => ({ id, k: "const", type: o.type, value: o.value }) as IRExpr);
  const ids = exprs.map((x) => x.id);
  exprs.push({ id: exprs.length, ...make(ids) } as IRExpr);
  const ir: PolicyIR = {
    irVersion: IR_VERSION,
    name: "fold",
    layout: { frameSize: 0, vars: [], observation: [], output: [], state: [] },
    externs: [], events: [], models: [], messages: [], planners: [], executors: [], arbiters: [], shields: [], nodes: [],
    exprs,
    locals: 0,
    tests: [],
    spans: { nodes: [], exprs: exprs.map(() => null) },
  };
  const env: EvalEnv = {
    mem: new Float64Array(0), fb: 0, agent: 0, valueOff: 0, localOff: new Float64Array(0), node: -1, faulted: false,
    rng: () => { throw new Error("no rng in folding"); },
    callExtern: () => { throw new Error("no externs in folding"); },
    portOff: () => { throw new Error("no ports in folding"); },
  };
  const compiled = compileExprs(ir, env, 0);
  env.mem = new Float64Array(compiled.scratchSize + 1);
  for (const c of compiled.constInits) env.mem.set(c.value, c.off);
  const last = exprs.length - 1;
  const off = compiled.block[last]!();
  return num(Array.from(env.mem.subarray(off, off + compiled.size[last]!)))!;
}

const BINARY_CASES: [IRBinaryOp, IRType, Operand, Operand][] = [];
for (const op of ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">="] as const) {
  const result = ["==", "!=", "<", "<=", ">", ">="].includes(op) ? BOOL : op === "/" ? FLOAT : INT;
  for (const [a, b] of [[7, 2], [-7, 2], [7, -2], [3, 3], [0, 5]] as const) BINARY_CASES.push([op, result, int(a), int(b)]);
  if (op !== "/") BINARY_CASES.push([op, result, int(7), int(0)]);
  BINARY_CASES.push([op, ["+", "-", "*", "/", "%"].includes(op) ? FLOAT : BOOL, float(2.5), float(-0.75)]);
}
BINARY_CASES.push(["/", INT, int(-7), int(2)], ["/", INT, int(7), int(0)]);
BINARY_CASES.push(["+", vec(2), vecOf(1, 2), vecOf(0.5, -4)], ["*", vec(3), vecOf(1, 2, 3), float(2)], ["/", vec(2), vecOf(1, 3), float(4)]);
BINARY_CASES.push(["==", BOOL, vecOf(1, 2), vecOf(1, 2)], ["!=", BOOL, vecOf(1, 2), vecOf(1, 3)]);
BINARY_CASES.push(["and", BOOL, int(1), int(0)], ["or", BOOL, int(0), int(1)], ["and", BOOL, int(1), int(1)]);

const BUILTIN_CASES: [IRBuiltin, IRType, Operand[]][] = [
  ["abs", FLOAT, [float(-2.5)]],
  ["min", INT, [int(3), int(-4)]],
  ["max", FLOAT, [float(3), float(-4)]],
  ["clamp", FLOAT, [float(12), float(0), float(10)]],
  ["clamp", vec(2), [vecOf(-3, 0.5), float(-1), float(1)]],
  ["abs", vec(2), [vecOf(-3, 0.5)]],
  ["max", vec(2), [vecOf(-3, 0.5), float(0)]],
  ["floor", vec(2), [vecOf(-3.5, 0.5)]],
  ["sqrt", FLOAT, [float(-4)]],
  ["sqrt", FLOAT, [float(6.25)]],
  ["floor", INT, [float(-2.5)]],
  ["ceil", INT, [float(-2.5)]],
  ["round", INT, [float(-2.5)]],
  ["round", INT, [float(2.5)]],
  ["round", INT, [float(-0.4)]],
  ["sign", FLOAT, [float(-3)]],
  ["sin", FLOAT, [float(1)]],
  ["cos", FLOAT, [float(1)]],
  ["atan2", FLOAT, [float(1), float(-1)]],
  ["pow", FLOAT, [float(2), float(10)]],
  ["exp", FLOAT, [float(1.5)]],
  ["log", FLOAT, [float(0)]],
  ["log", FLOAT, [float(10)]],
  ["lerp", FLOAT, [float(2), float(4), float(0.25)]],
  ["int", INT, [float(-2.7)]],
  ["float", FLOAT, [int(3)]],
  ["length", FLOAT, [vecOf(3, 4)]],
  ["normalize", vec(2), [vecOf(3, 4)]],
  ["normalize", vec(3), [vecOf(0, 0, 0)]],
  ["dot", FLOAT, [vecOf(1, 2, 3), vecOf(4, 5, 6)]],
  ["distance", FLOAT, [vecOf(1, 1), vecOf(4, 5)]],
  ["argmax", INT, [vecOf(1, 5, 5, 2)]],
  ["len", INT, [{ type: list(FLOAT, 4), value: [2, 1, 2, 0, 0] }]],
  ["vec3", vec(3), [float(1), float(2), int(3)]],
];

describe("constant folding agrees with the runtime", () => {
  it.each(BINARY_CASES.map(([op, t, a, b]) => [`${a.value} ${op} ${b.value} : ${t.k}`, op, t, a, b] as const))("%s", (_, op, t, a, b) => {
    const folded = foldBinary(op, t, a.value, b.value, a.type, b.type);
    expect(folded).toBeDefined();
    expect(folded).toEqual(runtime([a, b], ([l, r]) => ({ k: "binary", type: t, op, left: l!, right: r! })));
  });

  it.each(BUILTIN_CASES.map(([fn, t, args]) => [`${fn}(${args.map((a) => a.value.join(" ")).join(", ")})`, fn, t, args] as const))("%s", (_, fn, t, args) => {
    const folded = num(foldBuiltin(fn, args.map((a) => a.value), args.map((a) => a.type), t));
    expect(folded).toBeDefined();
    expect(folded).toEqual(runtime(args, (ids) => ({ k: "builtin", type: t, fn, args: ids })));
  });

  it("negation and not", () => {
    expect(foldUnary("neg", [3, -2], vec(2))).toEqual(runtime([vecOf(3, -2)], ([x]) => ({ k: "unary", type: vec(2), op: "neg", operand: x! })));
    expect(foldUnary("not", [0], BOOL)).toEqual(runtime([{ type: BOOL, value: [0] }], ([x]) => ({ k: "unary", type: BOOL, op: "not", operand: x! })));
  });

  it("indexing reads zeros past a list's length or a vector's size, and truncates the index", () => {
    const l: Operand = { type: list(vec(2), 3), value: [2, 1, 2, 3, 4, 0, 0] };
    for (const i of [0, 1, 1.7, 2, -1, 5]) {
      const idx = float(i);
      expect(foldIndex(l.type, l.value, i, vec(2))).toEqual(runtime([l, idx], ([o, x]) => ({ k: "index", type: vec(2), object: o!, index: x! })));
    }
    const v = vecOf(5, 6, 7);
    for (const i of [0, 2, 3, -1]) {
      expect(foldIndex(v.type, v.value, i, FLOAT)).toEqual(runtime([v, int(i)], ([o, x]) => ({ k: "index", type: FLOAT, object: o!, index: x! })));
    }
  });

  it("constructs vectors and lists, a list padded to its capacity", () => {
    const t = list(INT, 4);
    expect(foldConstruct(t, [[7], [8]])).toEqual([2, 7, 8, 0, 0]);
    expect(foldConstruct(t, [[7], [8]])).toEqual(runtime([int(7), int(8)], (ids) => ({ k: "construct", type: t, elements: ids })));
  });

  it("leaves non-finite results and random draws to the runtime", () => {
    expect(foldBinary("*", FLOAT, [1e308], [10], FLOAT, FLOAT)).toBeUndefined();
    expect(foldBuiltin("pow", [[10], [400]], [FLOAT, FLOAT], FLOAT)).toBeUndefined();
    expect(foldBuiltin("random", [], [], FLOAT)).toBeUndefined();
    expect(foldBuiltin("gaussian", [[0], [1]], [FLOAT, FLOAT], FLOAT)).toBeUndefined();
  });

  it("zero values: numbers whose range excludes 0 start at the lower bound", () => {
    expect(zeroValue({ k: "record", name: "R", fields: [
      { name: "a", type: { k: "float", min: 1, max: 5 } },
      { name: "b", type: { k: "int", min: -5, max: -2 } },
      { name: "c", type: { k: "int", min: -5, max: 5 } },
      { name: "d", type: list(vec(2), 2) },
    ] })).toEqual([1, -5, 0, 0, 0, 0, 0, 0]);
  });
});
