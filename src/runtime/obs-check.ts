// What an observation value must satisfy where the policy reads it. Observations live in per-field columns of the
// pool's memory (pool.ts), which a host may write directly (pool.observationColumn): nothing checks those writes,
// so every node that reads an observation checks the current agent's value first. One description per field
// serves the interpreter (tree.ts), the generated code (the emitter prints it as text) and the error message.
import type { IRType, IRVar } from "./ir.ts";
import { typeSize } from "./ir.ts";
import { describe, encodeValue } from "./values.ts";

/** The values a field's column may hold: every one of `size` numbers per agent lies in [lo, hi] (so none is NaN
 *  or infinite: unbounded ends are ±Number.MAX_VALUE) and, when `int`, is an integer. */
export interface ObsCheck {
  readonly lo: number;
  readonly hi: number;
  readonly int: boolean;
  /** Numbers per agent: 1 for scalars, the element count for vec and tensor fields. */
  readonly size: number;
}

/** The check of a field, or null for records and lists: their encoding (nested fields, a length slot) is the
 *  runtime's own, so they have no column a host may write and are set through setObservation only. */
export function obsCheck(t: IRType): ObsCheck | null {
  switch (t.k) {
    case "bool":
      return { lo: 0, hi: 1, int: true, size: 1 };
    case "enum":
      return { lo: 0, hi: t.members.length - 1, int: true, size: 1 };
    case "int":
    case "float":
      return { lo: t.min ?? -Number.MAX_VALUE, hi: t.max ?? Number.MAX_VALUE, int: t.k === "int", size: 1 };
    case "vec":
    case "tensor":
      return { lo: -Number.MAX_VALUE, hi: Number.MAX_VALUE, int: false, size: typeSize(t) };
    default:
      return null;
  }
}

/** Does `x` satisfy the check? (NaN fails both comparisons.) */
export function obsValid(c: ObsCheck, x: number): boolean {
  return x >= c.lo && x <= c.hi && (!c.int || Math.trunc(x) === x);
}

/** Does the check's integer test fit `(x | 0) === x`? (Exact for integers within 32 bits, which the range
 *  already guarantees.) */
export function int32Range(c: ObsCheck): boolean {
  return c.lo >= -2147483648 && c.hi <= 2147483647;
}

/** Why the value at `mem[at..at+size)` (one agent's value of observation `v`) fails its check, worded as
 *  setObservation words a rejected value; null when it passes. */
export function obsValueProblem(v: IRVar, mem: Float64Array, at: number): string | null {
  const c = obsCheck(v.type);
  if (c === null) return null;
  for (let k = 0; k < c.size; k++) {
    const x = mem[at + k]!;
    if (obsValid(c, x)) continue;
    const t = v.type;
    if (t.k === "vec" || t.k === "tensor") return `${v.field}[${k}]: expected a finite number, got ${describe(x)}`;
    // A column holds bools as 0/1 and enums as ordinals, so those are reported as the numbers they are.
    if (t.k === "bool") return `${v.field}: expected a bool (0 or 1), got ${describe(x)}`;
    return encodeValue(t, x, new Float64Array(1), 0, v.field) ?? `${v.field}: ${describe(x)}`;
  }
  return null;
}
