// The expression semantics issue 4 left unverified, each checked three ways on the same IR expression: constant
// folding, the interpreter and the emitted module (test/support/expr-differential.ts), plus the checker's view
// of the same construct in source form.
import { describe, expect, it } from "vitest";
import type { IRBuiltin, IRType } from "../../src/runtime/index.ts";
import { COMPONENTWISE } from "../../src/runtime/builtin-math.ts";
import { disagreement, evaluateAll, policyFor, sameSlots, type Term } from "../support/expr-differential.ts";
import { loadEmitted, writeEmitted } from "../emit/support/harness.ts";
import { IRBuilder, seq, set } from "../runtime/support/builder.ts";
import { checkFiles, type CompilerHost } from "../../src/compiler/program.ts";
import { compile, SPEC } from "./compile.ts";
import { createPool, type PoolOptions } from "../../src/runtime/index.ts";

const FLOAT: IRType = { k: "float" };
const INT: IRType = { k: "int" };
const vec3: IRType = { k: "vec", size: 3 };
const T23: IRType = { k: "tensor", dtype: "f32", shape: [2, 3] };
const T3: IRType = { k: "tensor", dtype: "f32", shape: [3] };
const LIST4: IRType = { k: "list", element: FLOAT, capacity: 4 };

const leaf = (type: IRType, value: number[], state = false): Term => ({ k: "leaf", type, value, state });
const f = (v: number, state = false): Term => leaf(FLOAT, [v], state);
const i = (v: number, state = false): Term => leaf(INT, [v], state);
const call = (fn: IRBuiltin, type: IRType, ...args: Term[]): Term => ({ k: "builtin", type, fn, args });

/** The other arguments of a componentwise builtin, as scalars. */
const EXTRA: Record<string, number[]> = { min: [0.25], max: [0.25], clamp: [-1, 1], atan2: [0.5], pow: [2], lerp: [3, 0.25] };

async function expectUnanimous(terms: Term[], name: string) {
  const outcomes = await evaluateAll(terms, name);
  expect(outcomes.map(disagreement).filter((d) => d !== undefined)).toEqual([]);
  return outcomes;
}

describe("issue 4: the same expression folds, interprets and runs emitted to the same slots", () => {
  const scalarBuiltins = Object.keys(COMPONENTWISE) as IRBuiltin[];

  it("every numeric builtin on a vector or tensor is componentwise, scalar arguments broadcast", async () => {
    const components = [-2.5, 0.5, 4];
    const rows = [-2.5, 0.5, 4, -0.49, 9, -7.5];
    const terms: Term[] = [];
    const expected: Term[][] = [];
    for (const fn of scalarBuiltins) {
      const extra = (EXTRA[fn] ?? []).map((v) => f(v));
      for (const state of [false, true]) {
        terms.push(call(fn, vec3, leaf(vec3, components, state), ...extra));
        expected.push(components.map((c) => call(fn, FLOAT, f(c, state), ...extra)));
        terms.push(call(fn, T23, leaf(T23, rows, state), ...extra));
        expected.push(rows.map((c) => call(fn, FLOAT, f(c, state), ...extra)));
      }
    }
    const outcomes = await expectUnanimous([...terms, ...expected.flat()], "componentwise");
    // Slot j of the vector result is the builtin applied to component j alone.
    let k = terms.length;
    const byComponent = expected.map((cs) => cs.map(() => outcomes[k++]!.interpreter[0]!));
    terms.forEach((t, n) => {
      expect(sameSlots(outcomes[n]!.interpreter, byComponent[n]!), `${(t as { fn: string }).fn}`).toBe(true);
    });
  });

  it("clip (clamp) on a list keeps its length slot and leaves unused slots zero", async () => {
    const l = (state: boolean) => leaf(LIST4, [2, 5, -3, 0, 0], state);
    const pairList: IRType = { k: "list", element: vec3, capacity: 2 };
    const terms: Term[] = [];
    for (const state of [false, true]) {
      terms.push(call("clamp", LIST4, l(state), f(0), f(1)));
      // A lower bound above 0 would turn unused zero slots into 1 if they were computed.
      terms.push(call("clamp", LIST4, l(state), f(1), f(2)));
      terms.push(call("floor", LIST4, leaf(LIST4, [3, 1.5, -1.5, 2.5, 0], state)));
      terms.push(call("clamp", pairList, leaf(pairList, [1, -4, 0.5, 9, 0, 0, 0], state), f(0), f(1)));
    }
    const outcomes = await expectUnanimous(terms, "list_clip");
    for (const state of [0, 1]) {
      const at = state * 4;
      expect(outcomes[at]!.interpreter).toEqual([2, 1, 0, 0, 0]);
      expect(outcomes[at + 1]!.interpreter).toEqual([2, 2, 1, 0, 0]);
      expect(outcomes[at + 2]!.interpreter).toEqual([3, 1, -2, 2, 0]);
      expect(outcomes[at + 3]!.interpreter).toEqual([1, 0, 0.5, 1, 0, 0, 0]);
    }
  });

  it("a componentwise list result re-evaluated with a shorter list clears the slots it no longer uses", async () => {
    const { ir } = policyFor([call("clamp", LIST4, leaf(LIST4, [4, 5, 6, 7, 8], true), f(1), f(2))], "list_shrink");
    const state = ir.layout.vars.find((v) => v.name === "state.v0")!;
    for (const factory of [(o: PoolOptions) => createPool(ir, o), await loadEmitted(writeEmitted(ir, "list_shrink"))]) {
      const pool = factory({ agents: 1 });
      const out = pool.outputColumn("r0");
      pool.stepSync();
      expect(Array.from(out)).toEqual([4, 2, 2, 2, 2]);
      pool.mem.set([1, 0.5, 0, 0, 0], state.offset);
      pool.runSync(20);
      expect(Array.from(out)).toEqual([1, 1, 0, 0, 0]);
    }
  });

  it("vecN constructors concatenate vector arguments", async () => {
    const vec2: IRType = { k: "vec", size: 2 };
    const outcomes = await expectUnanimous(
      [false, true].flatMap((state) => [call("vec3", vec3, leaf(vec2, [1, 2], state), f(3, state)), call("vec3", vec3, f(0, state), leaf(vec2, [4, 5], state))]),
      "vec_ctor",
    );
    expect(outcomes.map((o) => o.fold)).toEqual([[1, 2, 3], [0, 4, 5], [1, 2, 3], [0, 4, 5]]);
  });

  it("a builtin evaluates each argument once: an extern argument is called once, a random one draws once", async () => {
    const b = new IRBuilder("once");
    const ext = b.fn("reading", [], FLOAT);
    const outs = (["round", "log", "lerp", "sqrt"] as const).map((fn, k) => {
      const o = b.out(`r${k}`, FLOAT);
      const args = fn === "lerp" ? [b.ext(ext), b.num(10), b.num(0.5)] : [b.ext(ext)];
      return { o, value: b.call(fn, args, FLOAT) };
    });
    b.executor("main", { periodMs: 100, default: seq(...outs.map(({ o, value }) => set(b.read(o), value))), writes: outs.map((x) => x.o) });
    const ir = b.build();
    for (const factory of [(o: PoolOptions) => createPool(ir, o), await loadEmitted(writeEmitted(ir, "once"))]) {
      let calls = 0;
      const pool = factory({ agents: 1, externs: { reading: () => [-2.5, 4, 6, 9][calls++ % 4]! } });
      pool.stepSync();
      expect(pool.drainErrors()).toEqual([]);
      expect(calls).toBe(4);
      expect(pool.getOutput(0)).toEqual({ r0: -3, r1: Math.log(4), r2: 8, r3: 3 });
    }
  });

  it("indexing a rank-2 tensor steps one row; indexing the row steps one element", async () => {
    const t = (state: boolean) => leaf(T23, [1, 2, 3, 4, 5, 6], state);
    const terms: Term[] = [];
    for (const state of [false, true]) {
      for (const k of [0, 1, 2, -1]) terms.push({ k: "index", type: T3, object: t(state), index: i(k, state) });
      terms.push({ k: "index", type: FLOAT, object: { k: "index", type: T3, object: t(state), index: i(1, state) }, index: i(2, state) });
      terms.push(call("argmax", INT, { k: "index", type: T3, object: t(state), index: i(0, state) }));
    }
    const outcomes = await expectUnanimous(terms, "tensor_rows");
    for (const state of [0, 1]) {
      const at = state * 6;
      expect(outcomes.slice(at, at + 4).map((o) => o.interpreter)).toEqual([[1, 2, 3], [4, 5, 6], [0, 0, 0], [0, 0, 0]]);
      expect(outcomes[at + 4]!.interpreter).toEqual([6]);
      expect(outcomes[at + 5]!.interpreter).toEqual([2]);
    }
  });
});

/** Errors (code and message) of checking `text`. */
function errorsOf(text: string): string[] {
  const host: CompilerHost = { readFile: (p) => (p === SPEC ? text : undefined), readModel: () => ({ ok: false, kind: "missing", message: "none" }) };
  return checkFiles([SPEC], host).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
}

const SOURCE_HOST = `
observation {
  k: int[0, 3]
  v: float
  pos: vec2
  items: list<float, 4>
}
output {
  a: float
  b: float
  items: list<float, 4>
  row: tensor<f32, [3]>
}
`;

describe("issue 4 in source form: the checker, lowering and both runtimes agree", () => {
  it("the scalar builtins take numbers only: a vector argument is HP3001 (clip is the element-wise one)", () => {
    for (const fn of ["abs(obs.pos)", "floor(obs.pos)", "sqrt(obs.items)", "min(obs.pos, 1.0)", "round(obs.pos)"]) {
      const errors = errorsOf(`${SOURCE_HOST}\nexecutor main every 100ms writes a { set out.a = ${fn} }\n`);
      expect(errors, fn).toHaveLength(1);
      expect(errors[0]).toMatch(/^HP3001 expected a number, found/);
    }
    expect(errorsOf(`${SOURCE_HOST}\nexecutor main every 100ms writes items { set out.items = clip(obs.items, 0.0, 1.0) }\n`)).toEqual([]);
  });

  it("normalize(x, mean, std) is (x - mean) / std whether std is constant or not, and a list keeps its length", () => {
    const ir = compile(`
observation {
  v: float
  s: float
  items: list<float, 4>
}
output {
  a: float
  b: float
  c: float
  items: list<float, 4>
}
executor main every 100ms writes a, b, c, items {
  sequence {
    set out.a = normalize(obs.v, 0.3, 0.7)
    set out.b = normalize(obs.v, 0.3, obs.s)
    set out.c = normalize(4, 1, 2)
    set out.items = normalize(obs.items, 1.0, 2.0)
  }
}
`);
    const pool = createPool(ir, { agents: 1 });
    expect(pool.setObservation(0, { v: 7, s: 0.7, items: [5, 6] })).toBe(true);
    pool.stepSync();
    const out = pool.getOutput(0);
    expect([out["a"], out["b"], out["c"], out["items"]]).toEqual([(7 - 0.3) / 0.7, (7 - 0.3) / 0.7, 1.5, [2, 2.5]]);
  });

  it("clip and sample_gaussian on a list type their elements by what they compute", () => {
    const spec = (value: string) => `observation {
  items: list<float[0.0, 100.0], 4>
  ints: list<int[0, 9], 4>
}
output {
  a: float
}
state {
  l: list<float[0.0, 100.0], 4> = []
  li: list<int, 4> = []
  lf: list<float, 4> = []
}
executor main every 100ms writes a { set ${value} }
`;
    // Bounds above the elements' range push them out of the target's range.
    expect(errorsOf(spec("state.l = clip(obs.items, 150.0, 200.0)"))).toEqual([expect.stringMatching(/^HP3001 /)]);
    expect(errorsOf(spec("state.l = clip(obs.items, 10.0, 20.0)"))).toEqual([]);
    // Float bounds or Gaussian noise make an int list's elements floats.
    expect(errorsOf(spec("state.li = clip(obs.ints, 0.5, 1.5)"))).toEqual([expect.stringMatching(/^HP3001 /)]);
    expect(errorsOf(spec("state.li = clip(obs.ints, 1, 5)"))).toEqual([]);
    expect(errorsOf(spec("state.li = sample_gaussian(obs.ints, 1.0)"))).toEqual([expect.stringMatching(/^HP3001 /)]);
    expect(errorsOf(spec("state.lf = sample_gaussian(obs.ints, 1.0)"))).toEqual([]);
  });

  it("round's inferred range uses the runtime's rounding (half away from zero)", () => {
    const spec = (lo: string) => `observation {\n  v: float[-2.5, 0.0]\n}\noutput {\n  a: float\n}\nstate {\n  k: int[${lo}, 0] = 0\n}\nexecutor main every 100ms writes a { set state.k = round(obs.v) }\n`;
    expect(errorsOf(spec("-2"))).toEqual([expect.stringMatching(/^HP3005 /)]);
    expect(errorsOf(spec("-3"))).toEqual([]);
  });

  it("a folded constant and the same expression computed at run time agree (round, clip of a list, tensor rows)", async () => {
    const ir = compile(`${SOURCE_HOST}
const R = round(-2.5)
const L: list<float, 4> = [5.0, -3.0]
const T: tensor<f32, [2, 3]> = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
state {
  t: tensor<f32, [2, 3]> = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
}
executor main every 100ms writes a, b, items, row {
  sequence {
    set out.a = R
    set out.b = round(obs.v)
    set out.items = clip(L, 0.0, 1.0)
    set out.row = T[1]
    set state.t[0][1] = 9.0
  }
}
`);
    const pool = createPool(ir, { agents: 1 });
    expect(pool.setObservation(0, { k: 1, v: -2.5, pos: [0, 0], items: [5, -3] })).toBe(true);
    pool.stepSync();
    expect(pool.drainErrors()).toEqual([]);
    const out = pool.getOutput(0);
    expect(out["a"]).toBe(out["b"]);
    expect(out["a"]).toBe(-3);
    expect(out["items"]).toEqual([1, 0]);
    expect(out["row"]).toEqual([4, 5, 6]);
    expect(pool.read(0, "state.t")).toEqual([1, 9, 3, 4, 5, 6]);
  });
});
