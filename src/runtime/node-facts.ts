// Static facts about tree nodes that both the interpreter (tree.ts) and the emitted code (src/compiler/emit)
// specialise on, computed once from the IR so both make the same choice.
import type { PolicyIR } from "./ir.ts";

const runMemo = new WeakMap<PolicyIR, Map<number, boolean>>();

/** Whether node `id` can ever return running or suspend (conservative: true when unsure). */
export function canRun(ir: PolicyIR, id: number): boolean {
  let memo = runMemo.get(ir);
  if (!memo) runMemo.set(ir, (memo = new Map()));
  const known = memo.get(id);
  if (known !== undefined) return known;
  const n = ir.nodes[id]!;
  let r: boolean;
  switch (n.k) {
    case "check":
    case "set":
    case "emit":
      r = false;
      break;
    case "const":
      r = n.status === "running";
      break;
    case "do":
      r = ir.externs[n.extern]!.async;
      break;
    case "sequence":
    case "selector":
    case "reactive_sequence":
    case "reactive_selector":
      r = n.children.some((c) => canRun(ir, c));
      break;
    case "invert":
    case "force_success":
    case "force_failure":
    case "once":
    case "timeout":
    case "cooldown":
    case "guard_while":
    case "guard_until":
      r = canRun(ir, n.child);
      break;
    default:
      r = true;
  }
  memo.set(id, r);
  return r;
}

/** Layer roots (planner roots, executor handlers and defaults) in a stable order, without duplicates. */
export function layerRoots(ir: PolicyIR): number[] {
  const roots: number[] = [];
  for (const p of ir.planners) roots.push(p.root);
  for (const x of ir.executors) {
    for (const h of x.handlers) roots.push(h.root);
    if (x.default !== null) roots.push(x.default);
  }
  return [...new Set(roots)];
}

/**
 * Per node, 1 when its status byte must be written even without a tracer. Only a running or suspended status
 * is ever read back by the tick and halt semantics (`active`), so a node that can never run keeps nothing an
 * untraced pool needs — except layer roots, whose last status `hpol test` and `nodeStatus` report. Traced pools
 * write every status byte (the tracer records changes against the previous value).
 */
export function untracedStatusKept(ir: PolicyIR): Uint8Array {
  const kept = new Uint8Array(ir.nodes.length);
  for (const n of ir.nodes) if (canRun(ir, n.id)) kept[n.id] = 1;
  for (const r of layerRoots(ir)) kept[r] = 1;
  return kept;
}

/** Frame slots the runtime appends after the IR frame of every agent (the outputs of infer nodes): an agent's
 *  frame stride is ir.layout.frameSize plus this. */
export function internalFrameSlots(ir: PolicyIR): number {
  let n = 0;
  for (const node of ir.nodes) if (node.k === "infer") for (const p of ir.models[node.model]!.outputs) n += p.size;
  return n;
}

/**
 * Frame offset of the proposal valid flag that a write to `target` raises: an arbitrated output written inside an
 * executor lands in that executor's proposal, whose valid flag tells the arbiter it was written (-1: the target is
 * not rooted in a proposal var).
 */
export function validFlagOffset(ir: PolicyIR, target: number): number {
  let e = ir.exprs[target]!;
  while (e.k === "field" || e.k === "index") e = ir.exprs[e.object]!;
  if (e.k !== "read") return -1;
  const v = ir.layout.vars[e.var]!;
  if (v.region !== "proposal") return -1;
  for (const a of ir.arbiters) for (const p of a.proposals) if (p.var === v.id) return ir.layout.vars[p.validVar]!.offset;
  return -1;
}
