// What an observation value must satisfy where the policy reads it. Observations live in per-field columns of the
// pool's memory (pool.ts), which a host may write directly (pool.observationColumn): nothing checks those writes,
// so every node that reads an observation checks the current agent's value first. One description per field
// serves the interpreter (tree.ts), the generated code (the emitter prints it as text) and the error message.
import type { IRExpr, IRType, IRVar, PolicyIR } from "./ir.ts";
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

/** What is left of a field's check on one branch of a comparison (see fusedCompare). */
export interface BranchCheck {
  /** The branch pins the value to the constant: valid exactly when the constant is (`constValid`). */
  readonly pinned: boolean;
  /** The one value the branch leaves valid (a two-valued field such as a bool, on the branch that excludes the
   *  other), tested as `x === only`; null otherwise. */
  readonly only: number | null;
  readonly lo: boolean;
  readonly hi: boolean;
  readonly int: boolean;
}

/** A condition comparing one scalar observation with a constant, with the field's check split over the
 *  comparison's two outcomes: on `x < c` the upper end is already proved when c ≤ hi; on `x == c` the value is
 *  the constant, whose validity is known now; NaN fails every comparison but `!=` and always lands on a branch
 *  that still tests a range end (which NaN fails). */
export interface FusedCompare {
  readonly v: IRVar;
  /** Index of the field in layout.observation. */
  readonly k: number;
  readonly check: ObsCheck;
  readonly op: "<" | "<=" | ">" | ">=" | "==" | "!=";
  readonly c: number;
  /** The condition is the negation of `x op c`. */
  readonly negate: boolean;
  readonly constValid: boolean;
  readonly onTrue: BranchCheck;
  readonly onFalse: BranchCheck;
}

const MIRROR = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" } as const;

/** The fused form of condition `cond` — `obs.x op c`, `c op obs.x`, `obs.flag` (as `!= 0`), any of those under
 *  `not` — or null. The interpreter (tree.ts) and the emitter (node-code.ts) both evaluate a check whose
 *  condition has one this way: the comparison first, then only what is left of the check. */
export function fusedCompare(ir: PolicyIR, cond: number): FusedCompare | null {
  let negate = false;
  let x: IRExpr = ir.exprs[cond]!;
  while (x.k === "unary" && x.op === "not") {
    negate = !negate;
    x = ir.exprs[x.operand]!;
  }
  let read: IRExpr;
  let op: FusedCompare["op"];
  let c: number;
  if (x.k === "read") [read, op, c] = [x, "!=", 0];
  else if (x.k === "binary" && x.op in MIRROR) {
    const l = ir.exprs[x.left]!;
    const r = ir.exprs[x.right]!;
    const bop = x.op as FusedCompare["op"];
    if (l.k === "read" && r.k === "const" && r.value.length === 1) [read, op, c] = [l, bop, r.value[0]!];
    else if (r.k === "read" && l.k === "const" && l.value.length === 1) [read, op, c] = [r, MIRROR[bop], l.value[0]!];
    else return null;
  } else return null;
  if (read.k !== "read") return null;
  const v = ir.layout.vars[read.var]!;
  const check = v.region === "obs" ? obsCheck(v.type) : null;
  if (check === null || check.size !== 1) return null;
  const { lo, hi } = check;
  const branch = (needLo: boolean, needHi: boolean): BranchCheck => ({ pinned: false, only: null, lo: needLo, hi: needHi, int: check.int });
  const pinned: BranchCheck = { pinned: true, only: null, lo: false, hi: false, int: false };
  // A two-valued integer field (a bool, int[0, 1], a two-member enum) compared with one of its values: the branch
  // where it differs from that value leaves exactly the other one valid.
  const unpinned =
    check.int && hi - lo === 1 && (c === lo || c === hi)
      ? ({ pinned: false, only: c === lo ? hi : lo, lo: false, hi: false, int: false } satisfies BranchCheck)
      : branch(true, true);
  let onTrue: BranchCheck;
  let onFalse: BranchCheck;
  switch (op) {
    case "<":
    case "<=":
      [onTrue, onFalse] = [branch(true, c > hi), branch(c < lo, true)];
      break;
    case ">":
    case ">=":
      [onTrue, onFalse] = [branch(c < lo, true), branch(true, c > hi)];
      break;
    case "==":
      [onTrue, onFalse] = [pinned, unpinned];
      break;
    default:
      [onTrue, onFalse] = [unpinned, pinned];
  }
  const constValid = c >= lo && c <= hi && (!check.int || Number.isInteger(c));
  return { v, k: ir.layout.observation.indexOf(v.id), check, op, c, negate, constValid, onTrue, onFalse };
}
