// Scalar expressions → TypeScript expression text over the agent frame (`m` = env.mem, `fb` = frame base).
// Only pure expressions are printed inline; anything that calls an extern, draws randomness or works on blocks
// (vectors, records, lists, aggregates) calls the interpreter's precompiled closure `S[id]` instead, so its
// evaluation order, fault recording and stream draws are exactly the reference ones. Every printed operation
// copies the semantics of src/runtime/expr-compiler.ts and src/runtime/builtin-math.ts (total division, half-away
// rounding, log of ≤ 0 is 0); test/lower/expr-differential*.test.ts hold them to the same results.
import type { IRExpr, PolicyIR } from "../../runtime/ir.ts";
import { exprOperands, typeSize } from "../../runtime/ir.ts";

export interface ExprFacts {
  /** The expression (or an operand) calls an extern: evaluating it may fault. */
  readonly mayFault: readonly boolean[];
  /** The expression (or an operand) calls an extern or draws from the agent's stream. */
  readonly impure: readonly boolean[];
  /** Observation indices read by each expression (the interpreter fails leaves reading a rejected one). */
  readonly obsReads: readonly (readonly number[])[];
}

export function exprFacts(ir: PolicyIR): ExprFacts {
  const obsIndex = new Map<number, number>();
  ir.layout.observation.forEach((v, i) => obsIndex.set(v, i));
  const mayFault: boolean[] = [];
  const impure: boolean[] = [];
  const obsReads: number[][] = [];
  for (const x of ir.exprs) {
    const ops = exprOperands(x);
    const draws = x.k === "builtin" && (x.fn === "random" || x.fn === "gaussian" || x.fn === "sample");
    mayFault.push(x.k === "extern" || ops.some((o) => mayFault[o]));
    impure.push(x.k === "extern" || draws || ops.some((o) => impure[o]));
    const acc = new Set<number>();
    if (x.k === "read" && obsIndex.has(x.var)) acc.add(obsIndex.get(x.var)!);
    for (const o of ops) for (const r of obsReads[o]!) acc.add(r);
    obsReads.push([...acc]);
  }
  return { mayFault, impure, obsReads };
}

/** Vars that live in the pool's columns rather than the agent frame: observations and outputs (pool.ts). */
export function columnVars(ir: PolicyIR): number[] {
  return [...ir.layout.observation, ...ir.layout.output];
}

const inColumn = (ir: PolicyIR, v: number): boolean => {
  const r = ir.layout.vars[v]!.region;
  return r === "obs" || r === "out";
};

/** Frame offset of a location known at compile time (a var, or a field of one), else null. Observations and
 *  outputs live in the pool's columns, not in the frame: for them see columnSlotCode. */
export function staticOffset(ir: PolicyIR, id: number): number | null {
  const x = ir.exprs[id]!;
  if (x.k === "read") return inColumn(ir, x.var) ? null : ir.layout.vars[x.var]!.offset;
  if (x.k === "field") {
    const base = staticOffset(ir, x.object);
    return base === null ? null : base + x.offset;
  }
  return null;
}

/** Text of the slot of a column var's read (or a field of one) for agent `a`: column `C<var id>` (an installer
 *  constant taken from the pool's `ex.colBase`) at `a * size + offset`; null for anything else. */
export function columnSlotCode(ir: PolicyIR, id: number): string | null {
  let off = 0;
  let x = ir.exprs[id]!;
  while (x.k === "field") {
    off += x.offset;
    x = ir.exprs[x.object]!;
  }
  if (x.k !== "read" || !inColumn(ir, x.var)) return null;
  const size = ir.layout.vars[x.var]!.size;
  return size === 1 ? `C${x.var} + a` : `C${x.var} + a * ${size}${off === 0 ? "" : ` + ${off}`}`;
}

const num = (v: number): string => (Object.is(v, -0) ? "-0" : v < 0 ? `(${v})` : String(v));

/** Text of scalar expression `id`; its value is a number (bools 0/1, enums ordinals). */
export function scalarCode(ir: PolicyIR, facts: ExprFacts, id: number): string {
  const x = ir.exprs[id]!;
  if (facts.impure[id]) return `S[${id}]!()`;
  return inline(ir, facts, x) ?? `S[${id}]!()`;
}

/** Text of scalar expression `id` as a JS boolean (`value !== 0`), printing comparisons and logic directly. */
export function truthCode(ir: PolicyIR, facts: ExprFacts, id: number): string {
  const x = ir.exprs[id]!;
  const sz = (e: number): number => typeSize(ir.exprs[e]!.type);
  if (!facts.impure[id] && typeSize(x.type) === 1) {
    if (x.k === "const") return x.value[0] !== 0 ? "true" : "false";
    if (x.k === "unary" && x.op === "not" && sz(x.operand) === 1) return `!${truthCode(ir, facts, x.operand)}`;
    if (x.k === "binary") {
      if (x.op === "and") return `(${truthCode(ir, facts, x.left)} && ${truthCode(ir, facts, x.right)})`;
      if (x.op === "or") return `(${truthCode(ir, facts, x.left)} || ${truthCode(ir, facts, x.right)})`;
      const cmp = { "==": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" } as Record<string, string>;
      if (cmp[x.op] && sz(x.left) === 1 && sz(x.right) === 1) {
        return `(${scalarCode(ir, facts, x.left)} ${cmp[x.op]} ${scalarCode(ir, facts, x.right)})`;
      }
    }
  }
  return `(${scalarCode(ir, facts, id)} !== 0)`;
}

function inline(ir: PolicyIR, facts: ExprFacts, x: IRExpr): string | null {
  const sz = (e: number): number => typeSize(ir.exprs[e]!.type);
  const c = (e: number): string => scalarCode(ir, facts, e);
  if (typeSize(x.type) !== 1) return null;
  switch (x.k) {
    case "const":
      return num(x.value[0]!);
    case "read":
    case "field": {
      // A scalar observation is read once per node into `o<var id>`, where the node checks it (node-code.ts
      // obsGuardCode): one load for the check and every use.
      if (x.k === "read" && ir.layout.vars[x.var]!.region === "obs") return `o${x.var}`;
      const off = staticOffset(ir, x.id);
      if (off !== null) return `m[fb + ${off}]`;
      const col = columnSlotCode(ir, x.id);
      return col === null ? null : `m[${col}]`;
    }
    case "unary":
      if (sz(x.operand) !== 1) return null;
      return x.op === "neg" ? `-(${c(x.operand)})` : `(${c(x.operand)} !== 0 ? 0 : 1)`;
    case "binary": {
      if (x.op === "and") return `(${c(x.left)} !== 0 && ${c(x.right)} !== 0 ? 1 : 0)`;
      if (x.op === "or") return `(${c(x.left)} !== 0 || ${c(x.right)} !== 0 ? 1 : 0)`;
      if (sz(x.left) !== 1 || sz(x.right) !== 1) return null;
      const l = c(x.left);
      const r = c(x.right);
      switch (x.op) {
        case "+":
        case "-":
        case "*":
          return `(${l} ${x.op} ${r})`;
        case "/":
          return x.type.k === "int" ? `divInt(${l}, ${r})` : `divFloat(${l}, ${r})`;
        case "%":
          return `modTotal(${l}, ${r})`;
        case "==":
          return `(${l} === ${r} ? 1 : 0)`;
        case "!=":
          return `(${l} !== ${r} ? 1 : 0)`;
        default:
          return `(${l} ${x.op} ${r} ? 1 : 0)`;
      }
    }
    case "if":
      return `(${c(x.cond)} !== 0 ? ${c(x.then)} : ${c(x.else)})`;
    case "builtin": {
      if (x.args.some((a) => sz(a) !== 1 || ir.exprs[a]!.type.k === "list")) return null;
      const a = x.args.map(c);
      switch (x.fn) {
        case "abs":
        case "floor":
        case "ceil":
        case "sign":
        case "sin":
        case "cos":
        case "exp":
          return `Math.${x.fn}(${a[0]})`;
        case "min":
        case "max":
          return `Math.${x.fn}(${a[0]}, ${a[1]})`;
        case "atan2":
          // -0 is 0 to the language (src/runtime/builtin-math.ts).
          return `Math.atan2(${a[0]} + 0, ${a[1]} + 0)`;
        case "pow":
          return `Math.pow(${a[0]} + 0, ${a[1]})`;
        case "clamp":
          return `Math.min(Math.max(${a[0]}, ${a[1]}), ${a[2]})`;
        case "sqrt":
          return `Math.sqrt(Math.max(0, ${a[0]}))`;
        case "round":
          return `roundHalfAway(${a[0]})`;
        case "log":
          return `logTotal(${a[0]})`;
        case "lerp":
          return `lerp(${a[0]}, ${a[1]}, ${a[2]})`;
        case "int":
          return `Math.trunc(${a[0]})`;
        case "float":
          return `(${a[0]})`;
        default:
          return null;
      }
    }
    default:
      return null;
  }
}

/** Helpers the printed expressions call (module scope of the emitted file). */
export const EXPR_HELPERS = `
/** x / 0 is 0: the expression language is total (docs/semantics.md). */
function divInt(a: number, b: number): number {
  return b === 0 ? 0 : Math.trunc(a / b);
}
function divFloat(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
function modTotal(a: number, b: number): number {
  return b === 0 ? 0 : a % b;
}
/** Half away from zero (Math.round rounds -0.5 up). */
function roundHalfAway(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v));
}
function logTotal(v: number): number {
  return v > 0 ? Math.log(v) : 0;
}
function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}
`;
