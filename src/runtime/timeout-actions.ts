// The extern actions a `timeout` can stop mid-run. When a timeout expires while one of them is still running,
// the interpreter (tree.ts) and the emitted code (src/compiler/emit/node-code.ts) both record HP8015 for that
// agent at the action's node before halting it, so a host action that never finishes is visible in the pool's
// errors and the trace instead of silently turning into the timeout's failure.
import type { PolicyIR } from "./ir.ts";
import { nodeChildren } from "./ir.ts";

/** `do` nodes of asynchronous extern actions under `root` (itself included), in id order. */
export function asyncActionsUnder(ir: PolicyIR, root: number): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const n = ir.nodes[id]!;
    if (n.k === "do" && ir.externs[n.extern]!.async) out.push(id);
    for (const c of nodeChildren(n)) stack.push(c);
  }
  return out.sort((a, b) => a - b);
}
