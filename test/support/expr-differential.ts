// Differential evaluation of one IR expression three ways: the compiler's constant folding (the fold.ts
// functions, composed the way lowering composes them), the interpreter (a pool of createPool) and the emitted
// TypeScript module (emitPolicy, imported and run). A batch of expressions becomes one policy: an executor whose
// body is a sequence of `set out.rI = eI` (and, for bools, a `check eI` choosing the value of `out.tI`, so the
// emitter's condition printing is covered too), run for one step; the results are read from the agents' raw
// frame slots, so a list's unused slots count as much as its elements.
import type { IRBinaryOp, IRBuiltin, IRType, IRUnaryOp, PolicyIR } from "../../src/runtime/index.ts";
import { createPool, loadIR, typeSize } from "../../src/runtime/index.ts";
import { foldBinary, foldBuiltin, foldConstruct, foldIndex, foldUnary } from "../../src/compiler/lower/fold.ts";
import { IRBuilder, check, sel, seq, set } from "../runtime/support/builder.ts";
import { loadEmitted, writeEmitted } from "../emit/support/harness.ts";

/** An expression tree; a leaf is a constant in the IR, or (with `state`) a read of a state var holding it. */
export type Term =
  | { readonly k: "leaf"; readonly type: IRType; readonly value: readonly number[]; readonly state?: boolean }
  | { readonly k: "unary"; readonly type: IRType; readonly op: IRUnaryOp; readonly operand: Term }
  | { readonly k: "binary"; readonly type: IRType; readonly op: IRBinaryOp; readonly left: Term; readonly right: Term }
  | { readonly k: "builtin"; readonly type: IRType; readonly fn: IRBuiltin; readonly args: readonly Term[] }
  | { readonly k: "index"; readonly type: IRType; readonly object: Term; readonly index: Term }
  | { readonly k: "field"; readonly type: IRType; readonly object: Term; readonly offset: number }
  | { readonly k: "construct"; readonly type: IRType; readonly elements: readonly Term[] }
  | { readonly k: "if"; readonly type: IRType; readonly cond: Term; readonly then: Term; readonly else: Term };

export interface Outcome {
  readonly term: Term;
  /** Undefined when folding declines (a non-finite result, a random draw): the runtime computes it. */
  readonly fold: readonly number[] | undefined;
  readonly interpreter: readonly number[];
  readonly emitted: readonly number[];
  /** For bool terms: 1/0 as decided by a `check` node of each implementation. */
  readonly checked?: { readonly interpreter: number; readonly emitted: number };
}

/** The value `fold.ts` computes for a term, composed as lowering composes it (undefined: not folded). */
export function foldTerm(t: Term): number[] | undefined {
  switch (t.k) {
    case "leaf":
      return [...t.value];
    case "unary": {
      const v = foldTerm(t.operand);
      return v && foldUnary(t.op, v, t.operand.type);
    }
    case "binary": {
      const a = foldTerm(t.left);
      const b = foldTerm(t.right);
      return a && b && foldBinary(t.op, t.type, a, b, t.left.type, t.right.type);
    }
    case "builtin": {
      const args = t.args.map(foldTerm);
      if (!args.every((a): a is number[] => a !== undefined)) return undefined;
      return foldBuiltin(t.fn, args, t.args.map((a) => a.type), t.type);
    }
    case "index": {
      const o = foldTerm(t.object);
      const i = foldTerm(t.index);
      return o && i && foldIndex(t.object.type, o, i[0]!, t.type);
    }
    case "field": {
      const o = foldTerm(t.object);
      return o && o.slice(t.offset, t.offset + typeSize(t.type));
    }
    case "construct": {
      const es = t.elements.map(foldTerm);
      if (!es.every((e): e is number[] => e !== undefined)) return undefined;
      return foldConstruct(t.type, es);
    }
    case "if": {
      const c = foldTerm(t.cond);
      if (c === undefined) return undefined;
      return foldTerm(c[0] !== 0 ? t.then : t.else);
    }
  }
}

/** The IR of one policy evaluating every term, and where each result lands in an agent's frame. */
export function policyFor(terms: readonly Term[], name = "exprs"): { ir: PolicyIR; results: { field: string; checkField?: string }[]; sentinel: string } {
  const b = new IRBuilder(name);
  let leaves = 0;
  const build = (t: Term): number => {
    switch (t.k) {
      case "leaf":
        return t.state ? b.read(b.stateVar(`v${leaves++}`, t.type, [...t.value])) : b.konst(t.type, [...t.value]);
      case "unary":
        return b.expr2("unary", t.type, { op: t.op, operand: build(t.operand) });
      case "binary": {
        const left = build(t.left);
        return b.expr2("binary", t.type, { op: t.op, left, right: build(t.right) });
      }
      case "builtin":
        return b.expr2("builtin", t.type, { fn: t.fn, args: t.args.map(build) });
      case "index": {
        const object = build(t.object);
        return b.expr2("index", t.type, { object, index: build(t.index) });
      }
      case "field":
        return b.expr2("field", t.type, { object: build(t.object), offset: t.offset });
      case "construct":
        return b.expr2("construct", t.type, { elements: t.elements.map(build) });
      case "if": {
        const cond = build(t.cond);
        const then = build(t.then);
        return b.expr2("if", t.type, { cond, then, else: build(t.else) });
      }
    }
  };
  const body = [];
  const outs: { v: number; checkV?: number }[] = [];
  const writes: number[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const v = b.out(`r${i}`, t.type);
    writes.push(v);
    const e = build(t);
    body.push(set(b.read(v), e));
    if (t.type.k === "bool") {
      const checkV = b.out(`t${i}`, { k: "bool" });
      writes.push(checkV);
      body.push(sel(seq(check(e), set(b.read(checkV), b.bool(true))), set(b.read(checkV), b.bool(false))));
      outs.push({ v, checkV });
    } else outs.push({ v });
  }
  // Set last: proves the whole sequence ran (every `set` succeeds).
  const sentinel = b.out("done", { k: "bool" });
  writes.push(sentinel);
  body.push(set(b.read(sentinel), b.bool(true)));
  b.executor("main", { periodMs: 100, default: seq(...body), writes });
  const ir = b.build();
  const varOf = (id: number) => ir.layout.vars[id]!;
  return {
    ir,
    results: outs.map((o) => ({ field: varOf(o.v).field, ...(o.checkV !== undefined ? { checkField: varOf(o.checkV).field } : {}) })),
    sentinel: varOf(sentinel).field,
  };
}

/** Evaluates every term by folding, in the interpreter and in emitted code. */
export async function evaluateAll(terms: readonly Term[], name: string): Promise<Outcome[]> {
  const built = policyFor(terms, name);
  const { results, sentinel } = built;
  // What the runtime gets is the serialised IR, validated.
  const ir = loadIR(JSON.parse(JSON.stringify(built.ir)));
  // Outputs are read raw, slot for slot, from the pool's output columns (one agent: the whole column).
  const run = (pool: { stepSync(): void; outputColumn(field: string): Float64Array; drainErrors(): unknown[] }): ((field: string) => number[]) => {
    pool.stepSync();
    const errors = pool.drainErrors();
    if (errors.length > 0) throw new Error(`runtime errors: ${JSON.stringify(errors)}`);
    if (pool.outputColumn(sentinel)[0] !== 1) throw new Error("the executor did not run its whole body");
    return (field) => Array.from(pool.outputColumn(field));
  };
  const interpreted = run(createPool(ir, { agents: 1, seed: 1 }));
  const emitted = run((await loadEmitted(writeEmitted(ir, name)))({ agents: 1, seed: 1 }));
  return terms.map((term, i) => {
    const r = results[i]!;
    return {
      term,
      fold: foldTerm(term),
      interpreter: interpreted(r.field),
      emitted: emitted(r.field),
      ...(r.checkField !== undefined ? { checked: { interpreter: interpreted(r.checkField)[0]!, emitted: emitted(r.checkField)[0]! } } : {}),
    };
  });
}

/** The same float64 values slot for slot; NaN equals NaN and -0 equals 0 (the IR is JSON, which has no -0). */
export function sameSlots(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i])));
}

/** Why an outcome is not unanimous, or undefined when fold (if it folded), interpreter and emitter agree. */
export function disagreement(o: Outcome): string | undefined {
  const parts: string[] = [];
  if (o.fold !== undefined && !sameSlots(o.fold, o.interpreter)) parts.push(`fold ${fmt(o.fold)} ≠ interpreter ${fmt(o.interpreter)}`);
  if (!sameSlots(o.emitted, o.interpreter)) parts.push(`emitted ${fmt(o.emitted)} ≠ interpreter ${fmt(o.interpreter)}`);
  if (o.checked) {
    if (o.checked.interpreter !== o.interpreter[0]) parts.push(`interpreter check ${o.checked.interpreter} ≠ its value ${o.interpreter[0]}`);
    if (o.checked.emitted !== o.interpreter[0]) parts.push(`emitted check ${o.checked.emitted} ≠ interpreter value ${o.interpreter[0]}`);
  }
  return parts.length === 0 ? undefined : `${show(o.term)}: ${parts.join("; ")}`;
}

const fmt = (v: readonly number[]): string => `[${v.join(", ")}]`;

/** A term as an s-expression, for failure messages. */
export function show(t: Term): string {
  switch (t.k) {
    case "leaf":
      return `${t.state ? "state" : "const"}:${typeText(t.type)}${fmt(t.value)}`;
    case "unary":
      return `(${t.op} ${show(t.operand)})`;
    case "binary":
      return `(${t.op}:${typeText(t.type)} ${show(t.left)} ${show(t.right)})`;
    case "builtin":
      return `(${t.fn}:${typeText(t.type)} ${t.args.map(show).join(" ")})`;
    case "index":
      return `(index:${typeText(t.type)} ${show(t.object)} ${show(t.index)})`;
    case "field":
      return `(field ${show(t.object)} ${t.offset})`;
    case "construct":
      return `(construct:${typeText(t.type)} ${t.elements.map(show).join(" ")})`;
    case "if":
      return `(if ${show(t.cond)} ${show(t.then)} ${show(t.else)})`;
  }
}

export function typeText(t: IRType): string {
  switch (t.k) {
    case "vec":
      return `vec${t.size}`;
    case "list":
      return `list<${typeText(t.element)},${t.capacity}>`;
    case "tensor":
      return `tensor[${t.shape.join(",")}]`;
    default:
      return t.k;
  }
}
