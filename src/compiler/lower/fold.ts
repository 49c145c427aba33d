// Compile-time evaluation of pure IR operations on flattened values (the slot layout of ir.ts: bools 0/1,
// enums as ordinals). The semantics are the IR's (documented in ir.ts and the checker's CONTEXT.md):
// arithmetic is componentwise with scalar broadcast, an int-typed `/` truncates toward zero, `x / 0` and
// `x % 0` are 0, `%` has the sign of the dividend (JavaScript), `round` is half away from zero, `log` of a
// non-positive number is 0, reads past a list's length give zeros.
// Every function returns undefined rather than folding to a non-finite number, so anything unusual is left
// for the runtime to compute.
import type { IRBinaryOp, IRBuiltin, IRType, IRUnaryOp } from "../../runtime/ir.ts";
import { typeSize } from "../../runtime/ir.ts";
import { argmaxAt, COMPONENTWISE, distanceAt, dotAt, lengthAt } from "../../runtime/builtin-math.ts";

type Value = readonly number[];

function finite(v: number[]): number[] | undefined {
  for (const x of v) if (!Number.isFinite(x)) return undefined;
  return v;
}

/** `unary` folded; `type` is the operand's (and the result's) type. */
export function foldUnary(op: IRUnaryOp, v: Value, type: IRType): number[] | undefined {
  return finite(op === "neg" ? foldComponentwise(type, [v], [type], (x) => -x[0]!) : [v[0] ? 0 : 1]);
}

/** `binary` folded; `aType` / `bType` are the operand types (a list operand contributes its elements only). */
export function foldBinary(op: IRBinaryOp, result: IRType, a: Value, b: Value, aType: IRType, bType: IRType): number[] | undefined {
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
  const intResult = result.k === "int";
  const arith = (x: number, y: number): number => {
    switch (op) {
      case "+":
        return x + y;
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        return y === 0 ? 0 : intResult ? Math.trunc(x / y) : x / y;
      case "%":
        return y === 0 ? 0 : x % y;
    }
  };
  return finite(foldComponentwise(result, [a, b], [aType, bType], (v) => arith(v[0]!, v[1]!)));
}

/**
 * A componentwise operation folded the way the runtime's `elementwise` computes it: arguments of one slot
 * broadcast, the others align slot by slot; a list argument contributes its live elements (slots past its
 * length read 0) and never its length slot. A list result takes its length from the first list argument and
 * keeps its unused slots at 0. -0 is normalised to 0 so folded constants print and compare as written.
 */
function foldComponentwise(result: IRType, args: readonly Value[], types: readonly IRType[], fn: (v: readonly number[]) => number): number[] {
  const broadcast = types.map((t) => t.k !== "list" && typeSize(t) === 1);
  // Live slots of each argument: a list's current elements, everything of any other value.
  const live = args.map((a, j) => {
    const t = types[j]!;
    return t.k === "list" ? listLength(t, a) * typeSize(t.element) : a.length;
  });
  const out: number[] = [];
  let count = typeSize(result);
  if (result.k === "list") {
    const first = types.findIndex((t) => t.k === "list");
    const length = first < 0 ? 0 : Math.min(result.capacity, listLength(types[first]!, args[first]!));
    out.push(length);
    count = length * typeSize(result.element);
  }
  const v: number[] = new Array<number>(args.length).fill(0);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < args.length; j++) {
      const a = args[j]!;
      const skip = types[j]!.k === "list" ? 1 : 0;
      v[j] = broadcast[j] ? a[0]! : i < live[j]! ? a[skip + i]! : 0;
    }
    out.push(fn(v) + 0);
  }
  while (out.length < typeSize(result)) out.push(0);
  return out;
}

/** The length of a list value, within its capacity (any other value: 0). */
function listLength(t: IRType, v: Value): number {
  return t.k === "list" ? Math.max(0, Math.min(t.capacity, v[0]! | 0)) : 0;
}

/** Builtins whose arguments are whole vectors or lists. */
const WHOLE_VALUE = new Set<IRBuiltin>(["length", "dot", "distance", "len", "argmax", "sample", "vec2", "vec3", "vec4", "normalize"]);

/** `builtin` folded; `result` is the expression's type (the shape of a componentwise result). */
export function foldBuiltin(fn: IRBuiltin, args: readonly Value[], argTypes: readonly IRType[], result: IRType): number[] | undefined {
  const component = COMPONENTWISE[fn];
  if (component !== undefined) return finite(foldComponentwise(result, args, argTypes, (v) => component(v[0]!, v[1] ?? 0, v[2] ?? 0)));
  if (!WHOLE_VALUE.has(fn)) return undefined; // random draws are the runtime's
  switch (fn) {
    case "vec2":
    case "vec3":
    case "vec4":
      // The arguments' slots one after another (an argument may itself be a vector).
      return finite(args.flat());
    case "length":
      return finite([lengthAt(args[0]!, 0, args[0]!.length)]);
    case "normalize": {
      const v = args[0]!;
      const len = lengthAt(v, 0, v.length);
      return finite(v.map((x) => (len > 0 ? x / len : 0)));
    }
    case "dot":
      return finite([dotAt([...args[0]!, ...args[1]!], 0, args[0]!.length, args[0]!.length)]);
    case "distance":
      return finite([distanceAt([...args[0]!, ...args[1]!], 0, args[0]!.length, args[0]!.length)]);
    case "len":
      return [listLength(argTypes[0]!, args[0]!)];
    case "argmax":
      // A list's elements start after its length slot; only the live ones count.
      return argTypes[0]?.k === "list" ? [argmaxAt(args[0]!, 1, listLength(argTypes[0], args[0]!))] : [argmaxAt(args[0]!, 0, args[0]!.length)];
    default:
      return undefined;
  }
}

/** Element `index` (truncated toward zero) of a vec, list or tensor value; zeros when out of range. */
export function foldIndex(objectType: IRType, object: Value, index: number, element: IRType): number[] {
  const size = typeSize(element);
  const i = Math.trunc(index);
  const zeros = (): number[] => new Array<number>(size).fill(0);
  if (objectType.k === "list") {
    if (i < 0 || i >= listLength(objectType, object)) return zeros();
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
