// The numeric builtins of the IR as one table, shared by the interpreter (src/runtime/expr-compiler.ts), the
// compiler's constant folding (src/compiler/lower/fold.ts) and the checker's folding of constants, so the three
// compute every builtin from the same code. The emitter prints the same operations as text
// (src/compiler/emit/expr-code.ts); test/lower/expr-differential.test.ts holds all of them to the same results.
//
// Every function here is total on finite inputs: `sqrt` of a negative number is 0, `log` of a non-positive
// number is 0, `round` is half away from zero (Math.round rounds -0.5 up), `int` truncates toward zero.
import type { IRBuiltin } from "./ir.ts";

/** One component of a componentwise builtin; unused arguments are 0. */
export type ComponentFn = (a: number, b: number, c: number) => number;

/**
 * Builtins applied component by component when an argument is a vector, tensor or list: every argument of
 * one slot broadcasts, the others align slot by slot (a list contributes its elements, never its length slot).
 * `gaussian` is componentwise too, but draws from the agent's stream, so it is not in this table.
 */
export const COMPONENTWISE: Readonly<Partial<Record<IRBuiltin, ComponentFn>>> = {
  abs: (a) => Math.abs(a),
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  clamp: (a, lo, hi) => Math.min(Math.max(a, lo), hi),
  sqrt: (a) => Math.sqrt(Math.max(0, a)),
  floor: (a) => Math.floor(a),
  ceil: (a) => Math.ceil(a),
  round: (a) => Math.sign(a) * Math.round(Math.abs(a)),
  sign: (a) => Math.sign(a),
  sin: (a) => Math.sin(a),
  cos: (a) => Math.cos(a),
  // -0 and 0 are one value in the language (the IR is JSON, which has no -0): the two functions whose result
  // tells them apart see 0.
  atan2: (y, x) => Math.atan2(y + 0, x + 0),
  pow: (a, b) => Math.pow(a + 0, b),
  exp: (a) => Math.exp(a),
  log: (a) => (a > 0 ? Math.log(a) : 0),
  lerp: (a, b, t) => a + (b - a) * t,
  int: (a) => Math.trunc(a),
  float: (a) => a,
};

/** Dot product of `n` slots at `p` and at `q` (summed in slot order: the order fixes the rounding). */
export function dotAt(m: ArrayLike<number>, p: number, q: number, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += m[p + i]! * m[q + i]!;
  return acc;
}

/** Euclidean distance between `n` slots at `p` and at `q` (`length` is the distance from a zero block). */
export function distanceAt(m: ArrayLike<number>, p: number, q: number, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const d = m[p + i]! - m[q + i]!;
    acc += d * d;
  }
  return Math.sqrt(acc);
}

/** Euclidean length of `n` slots at `p`. */
export function lengthAt(m: ArrayLike<number>, p: number, n: number): number {
  return Math.sqrt(dotAt(m, p, p, n));
}

/** Index of the first greatest of `n` slots at `p` (0 when `n` is 0). */
export function argmaxAt(m: ArrayLike<number>, p: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (m[p + i]! > m[p + best]!) best = i;
  return best;
}
