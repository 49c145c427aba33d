// The builtin functions of the expression language, as data (one manifest shared by checker and lowering).
// Every builtin is total: it returns a value for every input (see CONTEXT.md, "Static semantics").
import { floatType, intType, boolType, withRange, type Interval, type Type } from "../types/type.ts";
import { hull, imax, imin, iabs } from "../types/interval.ts";
import { COMPONENTWISE } from "../../runtime/builtin-math.ts";

export type BuiltinResult = { readonly type: Type } | { readonly badArg: number; readonly expected: string };

export interface Builtin {
  readonly name: string;
  /** Accepted argument counts. */
  readonly arity: number | readonly number[];
  /** Draws from the seeded RNG: not allowed in constants, and lowering must thread the RNG. */
  readonly random: boolean;
  /** Only inside test blocks. */
  readonly testOnly?: boolean;
  readonly signature: string;
  /** Result type from argument types; arguments are never the poisoned type when this is called. */
  readonly type: (args: readonly Type[]) => BuiltinResult;
}

const num = (t: Type) => t.kind === "int" || t.kind === "float";
const rangeOrAll = (t: Type): Interval =>
  (t.kind === "int" || t.kind === "float") && t.range ? t.range : { min: -Infinity, max: Infinity };
const numKind = (...ts: Type[]): "int" | "float" => (ts.every((t) => t.kind === "int") ? "int" : "float");

/** The same shape without inferred ranges (after element-wise arithmetic the ranges are unknown). */
function dropRange(t: Type): Type {
  if (t.kind === "int" || t.kind === "float") return { kind: t.kind };
  if (t.kind === "list") return { ...t, element: dropRange(t.element) };
  return t;
}

/** The same shape with float numbers: int → float, list<int, N> → list<float, N>; vectors and tensors as they are. */
function floatElements(t: Type): Type {
  if (t.kind === "int") return floatType;
  if (t.kind === "list" && t.element.kind === "int") return { ...t, element: floatType };
  return t;
}

function needNum(args: readonly Type[]): BuiltinResult | undefined {
  for (let i = 0; i < args.length; i++) if (!num(args[i])) return { badArg: i, expected: "a number" };
  return undefined;
}

/** Element count of a vector, a list of numbers or a tensor with a static shape. */
function numericLength(t: Type): number | undefined {
  if (t.kind === "vec") return t.size;
  if (t.kind === "list" && num(t.element)) return t.capacity;
  if (t.kind === "tensor" && t.dtype !== "bool" && t.shape.every((d) => typeof d === "number")) {
    return (t.shape as number[]).reduce((a, b) => a * b, 1);
  }
  return undefined;
}

function vecCtor(n: number): Builtin {
  return {
    name: `vec${n}`,
    arity: n,
    random: false,
    signature: `vec${n}(${["x", "y", "z", "w"].slice(0, n).map((c) => `${c}: float`).join(", ")}) -> vec${n}`,
    type: (args) => needNum(args) ?? { type: { kind: "vec", size: n } },
  };
}

const list: Builtin[] = [
  {
    name: "abs",
    arity: 1,
    random: false,
    signature: "abs(x: number) -> number",
    type: (a) => needNum(a) ?? { type: withRange(numKind(a[0]), iabs(rangeOrAll(a[0]))) },
  },
  {
    name: "min",
    arity: 2,
    random: false,
    signature: "min(a: number, b: number) -> number",
    type: (a) => needNum(a) ?? { type: withRange(numKind(...a), imin(rangeOrAll(a[0]), rangeOrAll(a[1]))) },
  },
  {
    name: "max",
    arity: 2,
    random: false,
    signature: "max(a: number, b: number) -> number",
    type: (a) => needNum(a) ?? { type: withRange(numKind(...a), imax(rangeOrAll(a[0]), rangeOrAll(a[1]))) },
  },
  {
    name: "clamp",
    arity: 3,
    random: false,
    signature: "clamp(x: number, lo: number, hi: number) -> number  (min(max(x, lo), hi))",
    type: (a) =>
      needNum(a) ?? {
        type: withRange(numKind(...a), imin(imax(rangeOrAll(a[0]), rangeOrAll(a[1])), rangeOrAll(a[2]))),
      },
  },
  {
    name: "sqrt",
    arity: 1,
    random: false,
    signature: "sqrt(x: number) -> float  (sqrt(max(x, 0)))",
    type: (a) => {
      const bad = needNum(a);
      if (bad) return bad;
      const r = rangeOrAll(a[0]);
      return { type: withRange("float", { min: Math.sqrt(Math.max(0, r.min)), max: Math.sqrt(Math.max(0, r.max)) }) };
    },
  },
  ...(["floor", "ceil", "round"] as const).map(
    (name): Builtin => ({
      name,
      arity: 1,
      random: false,
      signature: `${name}(x: number) -> int`,
      type: (a) => {
        const bad = needNum(a);
        if (bad) return bad;
        const r = rangeOrAll(a[0]);
        // Monotone, so the range's ends map to the result's ends; the runtime's rounding (half away from zero).
        const f = COMPONENTWISE[name]!;
        return { type: withRange("int", { min: f(r.min, 0, 0), max: f(r.max, 0, 0) }) };
      },
    }),
  ),
  {
    name: "float",
    arity: 1,
    random: false,
    signature: "float(x: number) -> float",
    type: (a) => needNum(a) ?? { type: withRange("float", (a[0] as { range?: Interval }).range) },
  },
  vecCtor(2),
  vecCtor(3),
  vecCtor(4),
  {
    name: "length",
    arity: 1,
    random: false,
    signature: "length(v: vecN) -> float",
    type: (a) => (a[0].kind === "vec" ? { type: withRange("float", { min: 0, max: Infinity }) } : { badArg: 0, expected: "a vector" }),
  },
  {
    name: "normalize",
    arity: [1, 3],
    random: false,
    signature:
      "normalize(v: vecN) -> vecN  (unit length; the zero vector stays zero)\n" +
      "normalize(x, mean, std) -> type of x  ((x - mean) / std element-wise, a zero std gives 0; x, mean, std: numbers, vectors, lists or tensors of N elements)",
    type: (a) => {
      if (a.length === 1) return a[0].kind === "vec" ? { type: a[0] } : { badArg: 0, expected: "a vector" };
      const n = numericLength(a[0]) ?? (num(a[0]) ? 1 : undefined);
      if (n === undefined) return { badArg: 0, expected: "numbers, a vector, a list or a tensor" };
      for (const i of [1, 2]) {
        const m = numericLength(a[i]) ?? (num(a[i]) ? 1 : undefined);
        if (m !== n && !num(a[i])) return { badArg: i, expected: `a number or ${n} elements` };
      }
      // A quotient: float numbers and list elements (an int `/` would truncate).
      return { type: floatElements(dropRange(a[0])) };
    },
  },
  {
    name: "clip",
    arity: 3,
    random: false,
    signature: "clip(x, lo: float, hi: float) -> type of x  (element-wise clamp of a number, vector, list or tensor)",
    type: (a) => {
      if (num(a[0])) return needNum(a) ?? { type: withRange(numKind(...a), imin(imax(rangeOrAll(a[0]), rangeOrAll(a[1])), rangeOrAll(a[2]))) };
      if (numericLength(a[0]) === undefined) return { badArg: 0, expected: "a number, vector, list or tensor" };
      if (needNum(a.slice(1))) return { badArg: num(a[1]) ? 2 : 1, expected: "a number" };
      // A list's elements are clamped like a number: their kind and range follow (vectors and tensors have none).
      const x = a[0];
      if (x.kind !== "list" || !num(x.element)) return { type: x };
      const element = withRange(numKind(x.element, a[1], a[2]), imin(imax(rangeOrAll(x.element), rangeOrAll(a[1])), rangeOrAll(a[2])));
      return { type: { ...x, element } };
    },
  },
  {
    name: "int",
    arity: 1,
    random: false,
    signature: "int(x: number) -> int  (truncates toward zero)",
    type: (a) => {
      const bad = needNum(a);
      if (bad) return bad;
      const r = rangeOrAll(a[0]);
      return { type: withRange("int", { min: Math.trunc(r.min), max: Math.trunc(r.max) }) };
    },
  },
  {
    name: "dot",
    arity: 2,
    random: false,
    signature: "dot(a: vecN, b: vecN) -> float",
    type: (a) =>
      a[0].kind !== "vec"
        ? { badArg: 0, expected: "a vector" }
        : a[1].kind !== "vec" || a[1].size !== a[0].size
          ? { badArg: 1, expected: `vec of size ${a[0].size}` }
          : { type: floatType },
  },
  {
    name: "distance",
    arity: 2,
    random: false,
    signature: "distance(a: vecN, b: vecN) -> float",
    type: (a) =>
      a[0].kind !== "vec"
        ? { badArg: 0, expected: "a vector" }
        : a[1].kind !== "vec" || a[1].size !== a[0].size
          ? { badArg: 1, expected: `vec of size ${a[0].size}` }
          : { type: withRange("float", { min: 0, max: Infinity }) },
  },
  {
    name: "len",
    arity: 1,
    random: false,
    signature: "len(l: list<T, N>) -> int[0, N]  (the current number of elements)",
    type: (a) => (a[0].kind === "list" ? { type: { kind: "int", range: { min: 0, max: a[0].capacity } } } : { badArg: 0, expected: "a list" }),
  },
  {
    name: "argmax",
    arity: 1,
    random: false,
    signature: "argmax(x: vecN | list of numbers | tensor) -> int[0, N-1]  (first maximum)",
    type: (a) => {
      const n = numericLength(a[0]);
      return n === undefined || n < 1 ? { badArg: 0, expected: "a vector, list or tensor of numbers" } : { type: { kind: "int", range: { min: 0, max: n - 1 } } };
    },
  },
  {
    name: "sample",
    arity: 1,
    random: true,
    signature: "sample(logits: vecN | list of numbers | tensor) -> int[0, N-1]  (categorical over softmax(logits), seeded RNG)",
    type: (a) => {
      const n = numericLength(a[0]);
      return n === undefined || n < 1 ? { badArg: 0, expected: "a vector, list or tensor of numbers" } : { type: { kind: "int", range: { min: 0, max: n - 1 } } };
    },
  },
  {
    name: "sample_categorical",
    arity: 1,
    random: true,
    signature: "sample_categorical(logits) -> int[0, N-1]  (the same as sample)",
    type: (a) => {
      const n = numericLength(a[0]);
      return n === undefined || n < 1 ? { badArg: 0, expected: "a vector, list or tensor of numbers" } : { type: { kind: "int", range: { min: 0, max: n - 1 } } };
    },
  },
  {
    name: "sample_gaussian",
    arity: 2,
    random: true,
    signature: "sample_gaussian(mean, std: float) -> type of mean  (element-wise Gaussian noise around mean, seeded RNG)",
    type: (a) => {
      if (!num(a[1])) return { badArg: 1, expected: "a number" };
      if (num(a[0])) return { type: floatType };
      return numericLength(a[0]) === undefined ? { badArg: 0, expected: "a number, vector, list or tensor" } : { type: floatElements(dropRange(a[0])) };
    },
  },
  {
    name: "gaussian",
    arity: 2,
    random: true,
    signature: "gaussian(mean: float, std: float) -> float  (seeded RNG)",
    type: (a) => needNum(a) ?? { type: floatType },
  },
  {
    name: "random",
    arity: 0,
    random: true,
    signature: "random() -> float[0, 1]  (uniform, seeded RNG)",
    type: () => ({ type: { kind: "float", range: { min: 0, max: 1 } } }),
  },
  {
    name: "emitted",
    arity: 1,
    random: false,
    testOnly: true,
    signature: "emitted(planner) -> the planner's message type (the kind it last emitted); test blocks only",
    // Typed specially by the checker: its argument is a planner name, not a value.
    type: () => ({ type: intType }),
  },
];

export const builtins: ReadonlyMap<string, Builtin> = new Map(list.map((b) => [b.name, b]));

export { boolType, hull };
