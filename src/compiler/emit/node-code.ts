// Tree nodes → straight-line TypeScript. A layer root becomes one function whose body inlines its whole subtree:
// every node is a labelled block that leaves its status in `s<id>`; resumable composites jump to their stored
// child with `if (i <= k)` chains instead of a loop over child closures. Each block copies the node semantics of
// src/runtime/tree.ts line for line (same state slots, same status reports, same halt order), because traces
// of emitted code must be byte-identical to the interpreter's.
//
// Roots containing an infer node are left to the interpreter (suspension and resumption stay there); such
// roots never reach this file. `do` and `emit` leaves call the interpreter's precompiled leaf closure `TI[id]`
// after settling pending reactive halts themselves: both are calls into the host anyway.
import type { IRNode, PolicyIR } from "../../runtime/ir.ts";
import { nodeChildren, typeSize } from "../../runtime/ir.ts";
import type { ExprFacts } from "./expr-code.ts";
import { commentText, stringLiteral } from "./safe-text.ts";
import { asyncActionsUnder } from "../../runtime/timeout-actions.ts";
import { columnSlotCode, scalarCode, staticOffset, truthCode } from "./expr-code.ts";
import type { NodeStateLayout } from "../../runtime/node-state-layout.ts";
import { canRun, validFlagOffset } from "../../runtime/node-facts.ts";
import { fusedCompare, int32Range, obsCheck } from "../../runtime/obs-check.ts";
import type { BranchCheck } from "../../runtime/obs-check.ts";

/** Mirrors TIME_EPS of src/runtime/tree.ts: clocks are multiples of a float step. */
const TIME_EPS = "1e-6";

export interface NodeCodeContext {
  readonly ir: PolicyIR;
  readonly facts: ExprFacts;
  readonly layout: NodeStateLayout;
  /** Nodes whose status byte untraced code still writes (untracedStatusKept). */
  readonly kept: Uint8Array;
  /** Which of the two versions of every generated function is being printed: the traced one reports every
   *  status through `rp` (the tracer records changes), the untraced one only stores the bytes that are read
   *  back. The installer picks one per pool, so neither tests for tracing per node. */
  readonly traced?: boolean;
  /** Some generated node is a reactive composite, so a leaf may have pending branch halts to flush first.
   *  Without one, `depth` is always 0 and leaves do not test it. */
  readonly pendingHalts: boolean;
  /** Function splitting: nodes per subtree, the node budget left in the function being printed, and the subtrees
   *  that did not fit and get a function of their own (V8 stops optimising very large functions). */
  readonly split?: { readonly sizes: readonly number[]; remaining: number; readonly queue: number[] };
}

/** Nodes in each node's subtree (itself included). */
export function subtreeSizes(ir: PolicyIR): number[] {
  const sizes = new Array<number>(ir.nodes.length).fill(1);
  // Children have larger ids than their parents: a backward pass sees every child before its parent.
  for (let id = ir.nodes.length - 1; id >= 0; id--) for (const c of nodeChildren(ir.nodes[id]!)) sizes[id]! += sizes[c]!;
  return sizes;
}

/** Status report of node `id`: `${s} = ${report(id, status)};` stores the status once into `s<id>` and then
 *  records it (traced: only changes reach the trace). Untraced, a node that can never run records nothing: no
 *  one reads its status back (see untracedStatusKept in src/runtime/node-facts.ts, which the interpreter uses
 *  too). */
function reportCode(cx: NodeCodeContext, id: number, status: string): string {
  if (cx.traced) return `${status}; rp(${id}, s${id})`;
  return cx.kept[id] === 1 ? `${status}; st[sb + ${id}] = s${id}` : status;
}

/** Name of the function printed for subtree `id` in the version being printed (see NodeCodeContext.traced). */
export function functionName(cx: NodeCodeContext, kind: "tick" | "run", id: number): string {
  return `${kind}_${id}${cx.traced ? "_traced" : ""}`;
}

const isActive = (id: number): string => `act(${id})`;

/** Where control goes when a node settles: statements that end in a jump (`s0 = SUCCESS; break n0;`), or null
 *  for "on with the code right after this node's". */
export type Continuation = string[] | null;

/**
 * Untraced code of a node that can never run (no node of its subtree returns running or suspends), for an agent
 * with no rejected observation (rejection marks are not checked: the root sends such agents to the interpreter).
 * Instead of leaving a status in `s<id>` for the parent to test, the node jumps straight to where its parent
 * goes next (`onSuccess`, `onFailure`; at most one of them null): sequences and selectors become chains of
 * conditional jumps, and a check becomes its comparison. Statuses are neither stored nor traced — no node of
 * such a subtree keeps one untraced (untracedStatusKept), the root aside, which the caller stores.
 */
export function flowCode(cx: NodeCodeContext, id: number, onSuccess: Continuation, onFailure: Continuation): string[] {
  const { ir } = cx;
  const n = ir.nodes[id]!;
  const split = cx.split;
  if (split) split.remaining--;
  const comment = `// node ${id}: ${n.k}${n.label ? ` "${commentText(n.label)}"` : ""}${spanNote(ir, id)}`;
  const indent = (lines: readonly string[]): string[] => lines.map((l) => "  " + l);
  /** `if (cond) { onTrue } else { onFalse }`, leaving out an empty arm. */
  const branch = (cond: string, onTrue: Continuation, onFalse: Continuation): string[] => {
    if (onTrue === null) return [`if (!(${cond})) {`, ...indent(onFalse ?? []), `}`];
    if (onFalse === null) return [`if (${cond}) {`, ...indent(onTrue), `}`];
    return [`if (${cond}) {`, ...indent(onTrue), `} else {`, ...indent(onFalse), `}`];
  };
  /** A child: as flow code, or — past the function budget — a call of its own function and a status test. */
  const child = (c: number, s: Continuation, f: Continuation): string[] => {
    if (split && split.sizes[c]! > 1 && split.sizes[c]! > split.remaining) {
      split.queue.push(c);
      return [`{`, `  const s${c} = ${functionName(cx, "tick", c)}(); // node ${c}: ${ir.nodes[c]!.k}, printed as its own function`, ...indent(branch(`s${c} === SUCCESS`, s, f)), `}`];
    }
    return flowCode(cx, c, s, f);
  };
  switch (n.k) {
    case "sequence":
    case "selector": {
      // A sequence goes on to the next child on success and leaves on failure; a selector the other way round.
      // Leaving towards a null continuation means jumping to the end of this node's block.
      const isSeq = n.k === "sequence";
      const exit = isSeq ? onFailure : onSuccess;
      const L = `n${id}`;
      const leave = exit ?? [`break ${L};`];
      const body: string[] = [];
      n.children.forEach((c, i) => {
        const last = i === n.children.length - 1;
        const next = last ? (isSeq ? onSuccess : onFailure) : null;
        body.push(...(isSeq ? child(c, next, leave) : child(c, leave, next)));
      });
      return [comment, ...(exit === null ? [`${L}: {`, ...indent(body), `}`] : [`{`, ...indent(body), `}`])];
    }
    case "check": {
      const fused = fusedCheck(cx, n.cond);
      if (fused) {
        const yes = fused.negate ? onFailure : onSuccess;
        const no = fused.negate ? onSuccess : onFailure;
        const bad = [`badObs(${id}, ${fused.k}, a);`, ...(onFailure ?? [])];
        const arm = (valid: string, then: Continuation): Continuation =>
          valid === "true" ? then : valid === "false" ? bad : branch(valid, then, bad);
        return [comment, `{`, `  const ${fused.local} = m[C${fused.v} + a];`, ...indent(branch(fused.cmp, arm(fused.onTrue, yes), arm(fused.onFalse, no))), `}`];
      }
      const reads = obsGuardCode(cx, id, [n.cond], false);
      const decls = reads ? reads.decls : [];
      const truth = truthCode(ir, cx.facts, n.cond);
      const body: string[] = [];
      if (cx.facts.mayFault[n.cond]) {
        body.push(`env.node = ${id};`, `env.faulted = false;`, `const v = ${truth};`);
        body.push(...branch("v && !env.faulted", onSuccess, onFailure));
      } else body.push(...branch(truth, onSuccess, onFailure));
      if (reads) return [comment, `{`, ...indent(decls), ...indent(branch(reads.record, onFailure ?? [], body)), `}`];
      return [comment, `{`, ...indent(body), `}`];
    }
    default: {
      // Any other kind: its status code (which ends with the status in s<id>), then a test of that status.
      if (split) split.remaining++;
      return [`{`, ...indent(tickCode(cx, id)), ...indent(branch(`s${id} === SUCCESS`, onSuccess, onFailure)), `}`];
    }
  }
}

/** The observation check of a leaf reading `exprs`, null when it reads no observation. Like tree.ts obsGuard:
 *  each value read (in order) against its declared type, then setObservation's rejection marks. `decls` load
 *  each scalar observation once into `o<var id>`, which the check and the leaf's printed expressions read
 *  (expr-code.ts); `record`: the condition that records HP8021 at the first failure (the leaf then fails);
 *  `test`: the same condition without recording and without the locals (for leaves whose interpreter closure
 *  records it itself). */
function obsGuardCode(cx: NodeCodeContext, id: number, exprs: readonly number[], marks = true): { decls: string[]; record: string; test: string } | null {
  const acc = new Set<number>();
  for (const e of exprs) for (const o of cx.facts.obsReads[e]!) acc.add(o);
  if (acc.size === 0) return null;
  const decls: string[] = [];
  const record: string[] = [];
  const test: string[] = [];
  for (const k of acc) {
    const v = cx.ir.layout.vars[cx.ir.layout.observation[k]!]!;
    const c = obsCheck(v.type);
    if (c === null) continue;
    if (c.size === 1) {
      decls.push(`const o${v.id} = m[C${v.id} + a];`);
      record.push(`(!ok${k}(o${v.id}) && badObs(${id}, ${k}, a))`);
      test.push(`!ok${k}(m[C${v.id} + a])`);
    } else {
      const ok = `vecOk(C${v.id} + a * ${c.size}, ${c.size})`;
      record.push(`(!${ok} && badObs(${id}, ${k}, a))`);
      test.push(`!${ok}`);
    }
  }
  if (marks) {
    record.push(`(obsBad && bad(${id}, READS_${id}))`);
    test.push(`(obsBad && hasBad(READS_${id}))`);
  }
  if (record.length === 0) return null;
  return { decls, record: record.join(" || "), test: test.join(" || ") };
}

const JS_OP: Record<string, string> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "===", "!=": "!==" };

/** The text of a check whose condition compares one scalar observation with a constant (the runtime's
 *  fusedCompare): the comparison, then on each branch only what is left of the field's check. `code` gives
 *  SUCCESS, FAILURE or -1 (the value is invalid). */
function fusedCheck(
  cx: NodeCodeContext,
  cond: number,
): { v: number; k: number; local: string; cmp: string; negate: boolean; onTrue: string; onFalse: string; code: string } | null {
  const f = fusedCompare(cx.ir, cond);
  if (f === null) return null;
  const o = `o${f.v.id}`;
  const { lo, hi } = f.check;
  const rest = (b: BranchCheck): string => {
    if (b.pinned) return f.constValid ? "true" : "false";
    if (b.only !== null) return `${o} === ${String(b.only)}`;
    const int = !b.int ? [] : int32Range(f.check) ? [`(${o} | 0) === ${o}`] : [`Math.trunc(${o}) === ${o}`];
    const parts = [...(b.lo ? [`${o} >= ${String(lo)}`] : []), ...(b.hi ? [`${o} <= ${String(hi)}`] : []), ...int];
    return parts.length === 0 ? "true" : parts.join(" && ");
  };
  const [yes, no] = f.negate ? ["FAILURE", "SUCCESS"] : ["SUCCESS", "FAILURE"];
  const arm = (valid: string, status: string): string => (valid === "true" ? status : valid === "false" ? "-1" : `(${valid} ? ${status} : -1)`);
  const lit = Object.is(f.c, -0) ? "-0" : String(f.c);
  const cmp = `${o} ${JS_OP[f.op]} ${lit}`;
  const [onTrue, onFalse] = [rest(f.onTrue), rest(f.onFalse)];
  return { v: f.v.id, k: f.k, local: o, cmp, negate: f.negate, onTrue, onFalse, code: `(${cmp}) ? ${arm(onTrue, yes)} : ${arm(onFalse, no)}` };
}

/** Install-scope validity tests of the scalar observations (`ok<k>(x)`), printed from the runtime's ObsCheck. */
export function obsCheckFunctions(ir: PolicyIR): string[] {
  const lines: string[] = [];
  ir.layout.observation.forEach((v, k) => {
    const c = obsCheck(ir.layout.vars[v]!.type);
    if (c === null || c.size !== 1) return;
    // Two equality tests for a 0/1 field (bools, two-member enums, int[0, 1]); else the range, and for integers
    // the truncation test (exact through `| 0` within 32 bits, which the range then guarantees).
    const range = `x >= ${String(c.lo)} && x <= ${String(c.hi)}`;
    const int = !c.int ? "" : int32Range(c) ? " && (x | 0) === x" : " && Math.trunc(x) === x";
    const test = c.int && c.lo === 0 && c.hi === 1 ? "x === 0 || x === 1" : `${range}${int}`;
    lines.push(`function ok${k}(x: number): boolean {`, `  return ${test};`, `}`, `void ok${k};`);
  });
  return lines;
}

/** Every node of the subtree under `root` (root included). */
export function subtree(ir: PolicyIR, root: number): number[] {
  const out: number[] = [];
  const walk = (id: number): void => {
    out.push(id);
    for (const c of nodeChildren(ir.nodes[id]!)) walk(c);
  };
  walk(root);
  return out;
}

/** Obs-index arrays of the leaves that check for rejected observations (install-scope constants). */
export function readsTables(cx: NodeCodeContext, ids: readonly number[]): string[] {
  const lines: string[] = [];
  for (const id of ids) {
    const exprs = leafExprs(cx.ir.nodes[id]!);
    if (exprs === null) continue;
    const acc = new Set<number>();
    for (const e of exprs) for (const o of cx.facts.obsReads[e]!) acc.add(o);
    if (acc.size > 0) lines.push(`const READS_${id} = Int32Array.of(${[...acc].join(", ")});`);
  }
  return lines;
}

function leafExprs(n: IRNode): readonly number[] | null {
  switch (n.k) {
    case "check":
      return [n.cond];
    case "guard_while":
    case "guard_until":
      return [n.cond];
    case "set":
      return [n.target, n.value];
    case "emit":
      return n.values;
    case "do":
      return n.args;
    default:
      return null;
  }
}

/** Child id tables of composites (install-scope constants, used by halts and branch switches). */
export function kidTables(cx: NodeCodeContext, ids: readonly number[]): string[] {
  const lines: string[] = [];
  for (const id of ids) {
    const n = cx.ir.nodes[id]!;
    if ("children" in n) lines.push(`const KIDS_${id} = Int32Array.of(${n.children.join(", ")});`);
  }
  return lines;
}

/** Statements computing node `id`'s tick into `s<id>` (declared by these statements). */
export function tickCode(cx: NodeCodeContext, id: number): string[] {
  const { ir, facts, layout } = cx;
  const n = ir.nodes[id]!;
  const io = layout.intOff[id]!;
  const fo = layout.floatOff[id]!;
  const s = `s${id}`;
  const L = `n${id}`;
  const report = (rid: number, status: string): string => reportCode(cx, rid, status);
  const out: string[] = [`// node ${id}: ${n.k}${n.label ? ` "${commentText(n.label)}"` : ""}${spanNote(ir, id)}`, `let ${s} = 0;`];
  const block = (body: string[]): void => {
    out.push(`${L}: {`, ...body.map((l) => "  " + l), `}`);
  };
  const split = cx.split;
  if (split) split.remaining--;
  const kid = (c: number): string[] => {
    if (split && split.sizes[c]! > 1 && split.sizes[c]! > split.remaining) {
      split.queue.push(c);
      return [`let s${c} = ${functionName(cx, "tick", c)}(); // node ${c}: ${ir.nodes[c]!.k}, printed as its own function`];
    }
    return tickCode(cx, c);
  };
  switch (n.k) {
    case "sequence":
    case "selector": {
      const stopOn = n.k === "sequence" ? "FAILURE" : "SUCCESS";
      const allDone = n.k === "sequence" ? "SUCCESS" : "FAILURE";
      // When no child can return running, the stored resume index is always 0: it is neither read nor written.
      const resumable = n.children.some((c) => canRun(ir, c));
      const body: string[] = resumable ? [`const i${id} = I[ib + ${io}];`] : [];
      n.children.forEach((c, i) => {
        const inner: string[] = [...kid(c)];
        if (canRun(ir, c)) inner.push(`if (s${c} === RUNNING) {`, `  I[ib + ${io}] = ${i};`, `  ${s} = ${report(id, "RUNNING")};`, `  break ${L};`, `}`);
        inner.push(`if (s${c} === ${stopOn}) {`, ...(resumable ? [`  I[ib + ${io}] = 0;`] : []), `  ${s} = ${report(id, stopOn)};`, `  break ${L};`, `}`);
        if (resumable) body.push(`if (i${id} <= ${i}) {`, ...inner.map((l) => "  " + l), `}`);
        else body.push(`{`, ...inner.map((l) => "  " + l), `}`);
      });
      if (resumable) body.push(`I[ib + ${io}] = 0;`);
      body.push(`${s} = ${report(id, allDone)};`);
      block(body);
      break;
    }
    case "reactive_sequence":
    case "reactive_selector": {
      const decisive = n.k === "reactive_sequence" ? "FAILURE" : "SUCCESS";
      const allDone = n.k === "reactive_sequence" ? "SUCCESS" : "FAILURE";
      const body: string[] = [];
      const len = n.children.length;
      if (!n.children.some((c) => canRun(ir, c))) {
        // No child can run: no branch is ever remembered, so nothing is ever pending or halted here.
        for (const c of n.children) {
          body.push(`{`, ...kid(c).map((l) => "  " + l), `  if (s${c} === ${decisive}) {`, `    ${s} = ${report(id, `s${c}`)};`, `    break ${L};`, `  }`, `}`);
        }
        body.push(`${s} = ${report(id, allDone)};`);
        block(body);
        break;
      }
      n.children.forEach((c, i) => {
        body.push(`{`);
        // A running later branch is halted lazily: when this earlier child starts a leaf, or settles.
        if (i < len - 1) body.push(`  const mk = I[ib + ${io}] - 1 > ${i} ? depth : -1;`, `  if (mk >= 0) pending[depth++] = ${id};`);
        body.push(...kid(c).map((l) => "  " + l));
        if (i < len - 1) body.push(`  if (mk >= 0 && depth > mk) depth = mk;`);
        body.push(`  const r2 = I[ib + ${io}] - 1;`);
        body.push(`  if (s${c} === RUNNING || s${c} === ${decisive}) {`);
        body.push(`    if (r2 >= 0 && r2 !== ${i}) halt[KIDS_${id}[r2]]!();`);
        body.push(`    I[ib + ${io}] = s${c} === RUNNING ? ${i + 1} : 0;`);
        body.push(`    ${s} = ${report(id, `s${c}`)};`, `    break ${L};`, `  }`);
        body.push(`  if (r2 === ${i}) I[ib + ${io}] = 0;`, `}`);
      });
      body.push(`I[ib + ${io}] = 0;`, `${s} = ${report(id, allDone)};`);
      block(body);
      break;
    }
    case "parallel":
    case "race": {
      const isRace = n.k === "race";
      const needS = n.k === "parallel" ? n.success : 1;
      const needF = n.k === "parallel" ? n.failure : 1;
      const len = n.children.length;
      const finish = (status: string): string[] => [
        ...n.children.map((c, i) => `if (I[ib + ${io + i}] === 0 || I[ib + ${io + i}] === 4) halt[${c}]!();`),
        ...n.children.map((_, i) => `I[ib + ${io + i}] = 0;`),
        `${s} = ${report(id, status)};`,
        `break ${L};`,
      ];
      const body: string[] = [];
      n.children.forEach((c, i) => {
        body.push(`if (I[ib + ${io + i}] === 0) {`);
        body.push(...kid(c).map((l) => "  " + l));
        body.push(`  if (s${c} === SUCCESS || s${c} === FAILURE) {`, `    I[ib + ${io + i}] = s${c};`);
        if (isRace) body.push(...finish(`s${c}`).map((l) => "    " + l));
        body.push(`  } else I[ib + ${io + i}] = 0;`, `}`);
      });
      if (isRace) body.push(`${s} = ${report(id, "RUNNING")};`);
      else {
        body.push(`let ok = 0;`, `let ko = 0;`);
        for (let i = 0; i < len; i++) body.push(`if (I[ib + ${io + i}] === SUCCESS) ok++;`, `else if (I[ib + ${io + i}] === FAILURE) ko++;`);
        body.push(`if (ok >= ${needS}) {`, ...finish("SUCCESS").map((l) => "  " + l), `}`);
        body.push(`if (ko >= ${needF} || ok + (${len} - ok - ko) < ${needS}) {`, ...finish("FAILURE").map((l) => "  " + l), `}`);
        body.push(`${s} = ${report(id, "RUNNING")};`);
      }
      block(body);
      break;
    }
    case "invert":
    case "force_success":
    case "force_failure": {
      const c = n.child;
      const done = n.k === "invert" ? `s${c} === SUCCESS ? FAILURE : SUCCESS` : n.k === "force_success" ? "SUCCESS" : "FAILURE";
      out.push(...kid(c), `${s} = ${report(id, `s${c} === RUNNING ? RUNNING : ${done}`)};`);
      break;
    }
    case "once": {
      const c = n.child;
      block([
        `const done = I[ib + ${io}];`,
        `if (done !== 0) {`,
        `  ${s} = ${report(id, "done")};`,
        `  break ${L};`,
        `}`,
        ...kid(c),
        `if (s${c} !== RUNNING) I[ib + ${io}] = s${c};`,
        `${s} = ${report(id, `s${c}`)};`,
      ]);
      break;
    }
    case "repeat":
    case "retry": {
      const again = n.k === "repeat" ? "SUCCESS" : "FAILURE";
      if (n.count === 0) {
        out.push(`${s} = ${report(id, again)};`);
        break;
      }
      const c = n.child;
      block([
        ...kid(c),
        `if (s${c} === RUNNING) {`,
        `  ${s} = ${report(id, "RUNNING")};`,
        `  break ${L};`,
        `}`,
        `if (s${c} !== ${again}) {`,
        `  I[ib + ${io}] = 0;`,
        `  ${s} = ${report(id, `s${c}`)};`,
        `  break ${L};`,
        `}`,
        `const done = I[ib + ${io}] + 1;`,
        `if (done >= ${n.count}) {`,
        `  I[ib + ${io}] = 0;`,
        `  ${s} = ${report(id, again)};`,
        `  break ${L};`,
        `}`,
        `I[ib + ${io}] = done;`,
        `${s} = ${report(id, "RUNNING")};`,
      ]);
      break;
    }
    case "timeout": {
      const c = n.child;
      // Async actions still running at the deadline are recorded (HP8015) before the halt, as in tree.ts.
      const timedOut = asyncActionsUnder(ir, c).map((a) => {
        const name = ir.externs[(ir.nodes[a] as IRNode & { k: "do" }).extern]!.name;
        return `  if ((st[sb + ${a}] & 3) === RUNNING) env.fault(${a}, "actionTimedOut", { name: ${stringLiteral(name)}, ms: ${n.ms} });`;
      });
      const body = [
        `if (!${isActive(id)}) F[xb + ${fo}] = now;`,
        `else if (now - F[xb + ${fo}] + ${TIME_EPS} >= ${n.ms}) {`,
        ...timedOut,
        `  halt[${c}]!();`,
        `  ${s} = ${report(id, "FAILURE")};`,
        `  break ${L};`,
        `}`,
      ];
      if (n.ms <= 0) body.push(`${s} = ${report(id, "FAILURE")};`);
      else body.push(...kid(c), `${s} = ${report(id, `s${c}`)};`);
      block(body);
      break;
    }
    case "delay": {
      const c = n.child;
      block([
        `if (I[ib + ${io}] === 0) {`,
        `  I[ib + ${io}] = 1;`,
        `  F[xb + ${fo}] = now;`,
        `}`,
        `if (I[ib + ${io}] === 1) {`,
        `  if (now - F[xb + ${fo}] + ${TIME_EPS} < ${n.ms}) {`,
        `    ${s} = ${report(id, "RUNNING")};`,
        `    break ${L};`,
        `  }`,
        `  I[ib + ${io}] = 2;`,
        `}`,
        ...kid(c),
        `if (s${c} !== RUNNING) I[ib + ${io}] = 0;`,
        `${s} = ${report(id, `s${c}`)};`,
      ]);
      break;
    }
    case "cooldown": {
      const c = n.child;
      block([
        `if (!${isActive(id)} && I[ib + ${io}] === 1 && now - F[xb + ${fo}] + ${TIME_EPS} < ${n.ms}) {`,
        `  ${s} = ${report(id, "FAILURE")};`,
        `  break ${L};`,
        `}`,
        ...kid(c),
        `if (s${c} !== RUNNING) {`,
        `  I[ib + ${io}] = 1;`,
        `  F[xb + ${fo}] = now;`,
        `}`,
        `${s} = ${report(id, `s${c}`)};`,
      ]);
      break;
    }
    case "guard_while":
    case "guard_until": {
      const c = n.child;
      const reads = obsGuardCode(cx, id, [n.cond]);
      const body: string[] = [];
      if (reads) body.push(...reads.decls, `if (${reads.record}) {`, `  halt[${c}]!();`, `  ${s} = ${report(id, "FAILURE")};`, `  break ${L};`, `}`);
      body.push(`env.node = ${id};`, `env.faulted = false;`, `const v = ${truthCode(ir, facts, n.cond)};`);
      const stop = n.k === "guard_while" ? "env.faulted || !v" : "env.faulted || v";
      const stopStatus = n.k === "guard_while" ? "FAILURE" : "env.faulted ? FAILURE : SUCCESS";
      body.push(`if (${stop}) {`, `  halt[${c}]!();`, `  ${s} = ${report(id, stopStatus)};`, `  break ${L};`, `}`);
      body.push(...kid(c), `${s} = ${report(id, `s${c}`)};`);
      block(body);
      break;
    }
    case "check": {
      const fused = fusedCheck(cx, n.cond);
      if (fused) {
        // One observation compared with a constant: the comparison first, then only the part of the field's
        // check that the comparison's outcome leaves open (fusedCheck). Same statuses and errors, in the same
        // order, as the separate check below.
        out.push(
          `{`,
          `  const ${fused.local} = m[C${fused.v} + a];`,
          `  ${s} = ${fused.code};`,
          `  if (${s} < 0) {`,
          `    ${s} = FAILURE;`,
          `    badObs(${id}, ${fused.k}, a);`,
          `  } else if (obsBad && bad(${id}, READS_${id})) ${s} = FAILURE;`,
          `  ${s} = ${report(id, s)};`,
          `}`,
        );
        break;
      }
      const reads = obsGuardCode(cx, id, [n.cond]);
      const eval_ = facts.mayFault[n.cond]
        ? [`env.node = ${id};`, `env.faulted = false;`, `const v = ${truthCode(ir, facts, n.cond)};`, `${s} = ${report(id, "v && !env.faulted ? SUCCESS : FAILURE")};`]
        : [`${s} = ${report(id, `${truthCode(ir, facts, n.cond)} ? SUCCESS : FAILURE`)};`];
      // Braced, so that the locals of checks at one level (a sequence inlines its children) do not collide.
      if (reads) out.push(`{`, ...reads.decls.map((l) => "  " + l), `  if (${reads.record}) {`, `    ${s} = ${report(id, "FAILURE")};`, `  } else {`, ...eval_.map((l) => "    " + l), `  }`, `}`);
      else out.push(`{`, ...eval_.map((l) => "  " + l), `}`);
      break;
    }
    case "set": {
      const reads = obsGuardCode(cx, id, [n.target, n.value]);
      const sz = typeSize(ir.exprs[n.target]!.type);
      const valid = validFlagOffset(ir, n.target);
      const markValid = valid >= 0 ? [`  m[fb + ${valid}] = 1;`] : [];
      const fast = sz === 1 && !facts.mayFault[n.value] && !facts.mayFault[n.target];
      const body: string[] = [];
      if (reads) body.push(...reads.decls, `if (${reads.record}) {`, `  ${s} = ${report(id, "FAILURE")};`, `  break ${L};`, `}`);
      if (cx.pendingHalts) body.push(`if (depth !== 0) startLeaf();`);
      const off = staticOffset(ir, n.target);
      const col = columnSlotCode(ir, n.target);
      if (fast) {
        body.push(`const v = ${scalarCode(ir, facts, n.value)};`);
        if (off !== null) body.push(`m[fb + ${off}] = v;`, ...markValid.map((l) => l.trim()));
        else if (col !== null) body.push(`m[${col}] = v;`, ...markValid.map((l) => l.trim()));
        else body.push(`const dst = T[${n.target}]!();`, `if (dst >= 0) {`, `  m[dst] = v;`, ...markValid, `}`);
      } else {
        body.push(`env.node = ${id};`, `env.faulted = false;`, `const src = B[${n.value}]!();`);
        body.push(`if (env.faulted) {`, `  ${s} = ${report(id, "FAILURE")};`, `  break ${L};`, `}`);
        body.push(`const dst = T[${n.target}]!();`, `if (dst >= 0) {`, `  m.copyWithin(dst, src, src + ${sz});`, ...markValid, `}`);
      }
      body.push(`${s} = ${report(id, "SUCCESS")};`);
      block(body);
      break;
    }
    case "do":
    case "emit": {
      // The leaf closure checks rejected observations first (and then does not start a leaf); pending reactive
      // halts of this function are flushed before it, exactly where the interpreter would flush them.
      const reads = obsGuardCode(cx, id, n.k === "do" ? n.args : n.values);
      const notRunning = n.k === "do" ? ` && I[ib + ${io}] !== 1` : "";
      const notBad = reads ? ` && !(${reads.test})` : "";
      if (cx.pendingHalts) out.push(`if (depth !== 0${notRunning}${notBad}) startLeaf();`);
      out.push(`${s} = TI[${id}]!();`);
      break;
    }
    case "wait":
      out.push(
        `if (!${isActive(id)}) {`,
        ...(cx.pendingHalts ? [`  if (depth !== 0) startLeaf();`] : []),
        `  F[xb + ${fo}] = now;`,
        `}`,
        `${s} = ${report(id, `now - F[xb + ${fo}] + ${TIME_EPS} >= ${n.ms} ? SUCCESS : RUNNING`)};`,
      );
      break;
    case "const":
      out.push(`${s} = ${report(id, n.status === "success" ? "SUCCESS" : n.status === "failure" ? "FAILURE" : "RUNNING")};`);
      break;
    case "infer":
      throw new Error(`emitter bug: infer node ${id} inside a generated root`);
  }
  return out;
}

/** Statements of node `id`'s halt function (null: keep the interpreter's, for delegated leaves). */
export function haltCode(cx: NodeCodeContext, id: number): string[] | null {
  const n = cx.ir.nodes[id]!;
  const io = cx.layout.intOff[id]!;
  const guard = `if (!act(${id})) return;`;
  switch (n.k) {
    case "sequence":
    case "selector":
      return [guard, `const slot = env.ib + ${io};`, `halt[KIDS_${id}[env.ints[slot]]]!();`, `env.ints[slot] = 0;`, `toIdle(${id});`];
    case "reactive_sequence":
    case "reactive_selector":
      return [guard, `haltBranch(${id});`, `toIdle(${id});`];
    case "parallel":
    case "race":
      return [guard, ...n.children.flatMap((c, i) => [`halt[${c}]!();`, `env.ints[env.ib + ${io + i}] = 0;`]), `toIdle(${id});`];
    case "repeat":
    case "retry":
    case "delay":
      return [guard, `halt[${n.child}]!();`, `env.ints[env.ib + ${io}] = 0;`, `toIdle(${id});`];
    case "invert":
    case "force_success":
    case "force_failure":
    case "once":
    case "timeout":
    case "cooldown":
    case "guard_while":
    case "guard_until":
      return [guard, `halt[${n.child}]!();`, `toIdle(${id});`];
    case "wait":
    case "const":
      return [guard, `toIdle(${id});`];
    case "check":
    case "set":
      return [];
    default:
      return null;
  }
}

/** The `haltBranch` switch: halt the running branch of a reactive composite (see tree.ts haltReactiveBranch). */
export function haltBranchCode(cx: NodeCodeContext, ids: readonly number[]): string[] {
  const cases: string[] = [];
  for (const id of ids) {
    const n = cx.ir.nodes[id]!;
    if (n.k !== "reactive_sequence" && n.k !== "reactive_selector") continue;
    const io = cx.layout.intOff[id]!;
    cases.push(
      `case ${id}: {`,
      `  const slot = env.ib + ${io};`,
      `  const r = env.ints[slot] - 1;`,
      `  if (r >= 0) {`,
      `    env.ints[slot] = 0;`,
      `    halt[KIDS_${id}[r]]!();`,
      `  }`,
      `  return;`,
      `}`,
    );
  }
  return cases;
}

function spanNote(ir: PolicyIR, id: number): string {
  const sp = ir.spans.nodes[id];
  return sp ? ` (${commentText(sp.file.split("/").pop() ?? "")}:${sp.line}:${sp.column})` : "";
}
