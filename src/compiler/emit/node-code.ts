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
import { scalarCode, staticOffset, truthCode } from "./expr-code.ts";
import type { NodeStateLayout } from "../../runtime/node-state-layout.ts";
import { canRun, validFlagOffset } from "../../runtime/node-facts.ts";

/** Mirrors TIME_EPS of src/runtime/tree.ts: clocks are multiples of a float step. */
const TIME_EPS = "1e-6";

export interface NodeCodeContext {
  readonly ir: PolicyIR;
  readonly facts: ExprFacts;
  readonly layout: NodeStateLayout;
  /** Nodes whose status byte untraced code still writes (untracedStatusKept). */
  readonly kept: Uint8Array;
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
function reportCode(kept: Uint8Array, id: number, status: string): string {
  return kept[id] === 1 ? `${status}; if (traced) rp(${id}, s${id}); else st[sb + ${id}] = s${id}` : `${status}; if (traced) rp(${id}, s${id})`;
}

const isActive = (id: number): string => `act(${id})`;

/** Observation-rejection check of a leaf: the interpreter fails it (and records HP8021) before anything else. */
function badReadsCheck(cx: NodeCodeContext, id: number, exprs: readonly number[]): string | null {
  const acc = new Set<number>();
  for (const e of exprs) for (const o of cx.facts.obsReads[e]!) acc.add(o);
  return acc.size === 0 ? null : `READS_${id}`;
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
  const report = (rid: number, status: string): string => reportCode(cx.kept, rid, status);
  const out: string[] = [`// node ${id}: ${n.k}${n.label ? ` "${commentText(n.label)}"` : ""}${spanNote(ir, id)}`, `let ${s} = 0;`];
  const block = (body: string[]): void => {
    out.push(`${L}: {`, ...body.map((l) => "  " + l), `}`);
  };
  const split = cx.split;
  if (split) split.remaining--;
  const kid = (c: number): string[] => {
    if (split && split.sizes[c]! > 1 && split.sizes[c]! > split.remaining) {
      split.queue.push(c);
      return [`let s${c} = tick_${c}(); // node ${c}: ${ir.nodes[c]!.k}, printed as its own function`];
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
      const reads = badReadsCheck(cx, id, [n.cond]);
      const body: string[] = [];
      if (reads) body.push(`if (obsBad && bad(${id}, ${reads})) {`, `  halt[${c}]!();`, `  ${s} = ${report(id, "FAILURE")};`, `  break ${L};`, `}`);
      body.push(`env.node = ${id};`, `env.faulted = false;`, `const v = ${truthCode(ir, facts, n.cond)};`);
      const stop = n.k === "guard_while" ? "env.faulted || !v" : "env.faulted || v";
      const stopStatus = n.k === "guard_while" ? "FAILURE" : "env.faulted ? FAILURE : SUCCESS";
      body.push(`if (${stop}) {`, `  halt[${c}]!();`, `  ${s} = ${report(id, stopStatus)};`, `  break ${L};`, `}`);
      body.push(...kid(c), `${s} = ${report(id, `s${c}`)};`);
      block(body);
      break;
    }
    case "check": {
      const reads = badReadsCheck(cx, id, [n.cond]);
      const eval_ = facts.mayFault[n.cond]
        ? [`env.node = ${id};`, `env.faulted = false;`, `const v = ${truthCode(ir, facts, n.cond)};`, `${s} = ${report(id, "v && !env.faulted ? SUCCESS : FAILURE")};`]
        : [`${s} = ${report(id, `${truthCode(ir, facts, n.cond)} ? SUCCESS : FAILURE`)};`];
      if (reads) out.push(`if (obsBad && bad(${id}, ${reads})) {`, `  ${s} = ${report(id, "FAILURE")};`, `} else {`, ...eval_.map((l) => "  " + l), `}`);
      else out.push(`{`, ...eval_.map((l) => "  " + l), `}`);
      break;
    }
    case "set": {
      const reads = badReadsCheck(cx, id, [n.target, n.value]);
      const sz = typeSize(ir.exprs[n.target]!.type);
      const valid = validFlagOffset(ir, n.target);
      const markValid = valid >= 0 ? [`  m[fb + ${valid}] = 1;`] : [];
      const fast = sz === 1 && !facts.mayFault[n.value] && !facts.mayFault[n.target];
      const body: string[] = [];
      if (reads) body.push(`if (obsBad && bad(${id}, ${reads})) {`, `  ${s} = ${report(id, "FAILURE")};`, `  break ${L};`, `}`);
      if (cx.pendingHalts) body.push(`if (depth !== 0) startLeaf();`);
      const off = staticOffset(ir, n.target);
      if (fast) {
        body.push(`const v = ${scalarCode(ir, facts, n.value)};`);
        if (off !== null) body.push(`m[fb + ${off}] = v;`, ...markValid.map((l) => l.trim()));
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
      const reads = badReadsCheck(cx, id, n.k === "do" ? n.args : n.values);
      const notRunning = n.k === "do" ? ` && I[ib + ${io}] !== 1` : "";
      const notBad = reads ? ` && !(obsBad && hasBad(${reads}))` : "";
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
