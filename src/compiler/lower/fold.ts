// Compile-time evaluation of pure IR operations on flattened values (the slot layout of ir.ts: bools 0/1,
// enums as ordinals). The semantics are the IR's (documented in ir.ts and the checker's CONTEXT.md):
// arithmetic is componentwise with scalar broadcast, an int-typed `/` truncates toward zero, `x / 0` and
// `x % 0` are 0, `%` has the sign of the dividend (JavaScript), `round` is half away from zero, `log` of a
// non-positive number is 0, reads past a list's length give zeros.
// Every function returns undefined rather than folding to a non-finite number, so anything unusual is left
// for the runtime to compute.
import type { IRBinaryOp, IRBuiltin, IRType, IRUnaryOp } from "../../runtime/ir.ts";
import { typeSize } from "../../runtime/ir.ts";

type Value = readonly number[];

function finite(v: number[]): number[] | undefined {
  for (const x of v) if (!Number.isFinite(x)) return undefined;
  return v;
}

export function foldUnary(op: IRUnaryOp, v: Value): number[] | undefined {
  return finite(op === "neg" ? v.map((x) => -x) : [v[0] ? 0 : 1]);
}

export function foldBinary(op: IRBinaryOp, result: IRType, a: Value, b: Value): number[] | undefined {
  switch (op) {
    case "and":
      return [a[0] && b[0] ? 1 : 0];
    case "or":
      return [a[0] || b[0] ? 1 : 0];
    case "==":
    case "!=": {
      let same = a.length === b.length;
      for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
      return [same === (op === "==") ? 1 : 0];
    }
    case "<":
      return [a[0]! < b[0]! ? 1 : 0];
    case "<=":
      return [a[0]! <= b[0]! ? 1 : 0];
    case ">":
      return [a[0]! > b[0]! ? 1 : 0];
    case ">=":
      return [a[0]! >= b[0]! ? 1 : 0];
    default:
      break;
  }
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  const intResult = result.k === "int";
  for (let i = 0; i < n; i++) {
    const x = a.length === 1 ? a[0]! : a[i]!;
    const y = b.length === 1 ? b[0]! : b[i]!;
    let r: number;
    switch (op) {
      case "+":
        r = x + y;
        break;
      case "-":
        r = x - y;
        break;
      case "*":
        r = x * y;
        break;
      case "/":
        r = y === 0 ? 0 : intResult ? Math.trunc(x / y) : x / y;
        break;
      case "%":
        r = y === 0 ? 0 : x % y;
        break;
    }
    out.push(r + 0); // normalise -0 so folded constants print and compare as written
  }
  return finite(out);
}

/** Builtins the runtime applies component by component when an argument is a vector (scalars broadcast). */
const COMPONENTWISE = new Set<IRBuiltin>(["abs", "min", "max", "clamp", "floor", "ceil", "round", "sign", "lerp", "sqrt"]);
/** Builtins whose arguments are whole vectors or lists. */
const WHOLE_VALUE = new Set<IRBuiltin>(["length", "dot", "distance", "len", "argmax", "sample", "vec2", "vec3", "vec4", "normalize"]);

export function foldBuiltin(fn: IRBuiltin, args: readonly Value[], argTypes: readonly IRType[]): number[] | undefined {
  const width = Math.max(1, ...args.map((a) => a.length));
  if (width > 1 && !WHOLE_VALUE.has(fn)) {
    if (!COMPONENTWISE.has(fn)) return undefined;
    const out: number[] = [];
    for (let i = 0; i < width; i++) {
      const column = args.map((a) => [a.length === 1 ? a[0]! : a[i]!]);
      const v = foldBuiltin(fn, column, argTypes);
      if (v === undefined) return undefined;
      out.push(v[0]!);
    }
    return out;
  }
  const s = (i: number): number => args[i]![0]!;
  switch (fn) {
    case "abs":
      return finite([Math.abs(s(0))]);
    case "min":
      return finite([Math.min(s(0), s(1))]);
    case "max":
      return finite([Math.max(s(0), s(1))]);
    case "clamp":
      return finite([Math.min(Math.max(s(0), s(1)), s(2))]);
    case "sqrt":
      return finite([Math.sqrt(Math.max(s(0), 0))]);
    case "round":
      // Half away from zero, as the runtime rounds.
      return finite([Math.sign(s(0)) * Math.round(Math.abs(s(0))) + 0]);
    case "floor":
    case "ceil":
    case "sign":
    case "sin":
    case "cos":
    case "exp":
      return finite([Math[fn](s(0)) + 0]);
    case "log":
      return finite([s(0) > 0 ? Math.log(s(0)) : 0]);
    case "atan2":
      return finite([Math.atan2(s(0), s(1))]);
    case "pow":
      return finite([Math.pow(s(0), s(1))]);
    case "lerp":
      return finite([s(0) + (s(1) - s(0)) * s(2)]);
    case "int":
      return finite([Math.trunc(s(0)) + 0]);
    case "float":
      return finite([s(0)]);
    case "vec2":
    case "vec3":
    case "vec4":
      return finite(args.map((a) => a[0]!));
    case "length":
      return finite([Math.hypot(...args[0]!)]);
    case "normalize": {
      const len = Math.hypot(...args[0]!);
      return finite(len === 0 ? args[0]!.map(() => 0) : args[0]!.map((x) => x / len));
    }
    case "dot":
      return finite([args[0]!.reduce((acc, x, i) => acc + x * args[1]![i]!, 0)]);
    case "distance":
      return finite([Math.hypot(...args[0]!.map((x, i) => x - args[1]![i]!))]);
    case "len":
      return [s(0)];
    case "argmax": {
      if (argTypes[0]?.k === "list") return foldListArgmax(args[0]!);
      let best = 0;
      const v = args[0]!;
      for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
      return [best];
    }
    case "sample":
    case "gaussian":
    case "random":
      return undefined;
  }
}

/** `argmax` over a list value: the elements start after the length slot. */
export function foldListArgmax(v: Value): number[] {
  const n = v[0]!;
  let best = 0;
  for (let i = 1; i < n; i++) if (v[1 + i]! > v[1 + best]!) best = i;
  return [best];
}

/** Element `index` (truncated toward zero) of a vec, list or tensor value; zeros when out of range. */
export function foldIndex(objectType: IRType, object: Value, index: number, element: IRType): number[] {
  const size = typeSize(element);
  const i = Math.trunc(index);
  const zeros = (): number[] => new Array<number>(size).fill(0);
  if (objectType.k === "list") {
    if (i < 0 || i >= object[0]!) return zeros();
    return object.slice(1 + i * size, 1 + (i + 1) * size);
  }
  const count = object.length / size;
  if (i < 0 || i >= count) return zeros();
  return object.slice(i * size, (i + 1) * size);
}

/** A constructed vector, record or list from its element values; a list is padded to its capacity. */
export function foldConstruct(type: IRType, elements: readonly Value[]): number[] {
  const flat: number[] = [];
  if (type.k === "list") flat.push(elements.length);
  for (const e of elements) flat.push(...e);
  const size = typeSize(type);
  while (flat.length < size) flat.push(0);
  return flat;
}
