// Where each tree node keeps its per-agent state in the pool's shared typed arrays. Emitted code and the
// interpreter share one pool (src/runtime/pool.ts), so this must reproduce the interpreter's layout exactly
// (src/runtime/tree.ts, "Static per-node state layout"): one int slot for resumable composites and
// once/repeat/retry/do, one per child for parallel/race, a float timer for timeout/wait, both for
// delay/cooldown, and four ints plus a float for infer nodes.
import type { PolicyIR } from "../../runtime/ir.ts";

export interface NodeStateLayout {
  /** Offset of each node's int slots inside an agent's int block. */
  readonly intOff: readonly number[];
  /** Offset of each node's float slots inside an agent's float block. */
  readonly floatOff: readonly number[];
}

export function nodeStateLayout(ir: PolicyIR): NodeStateLayout {
  const intOff: number[] = [];
  const floatOff: number[] = [];
  let ints = 0;
  let floats = 0;
  for (const n of ir.nodes) {
    intOff.push(ints);
    floatOff.push(floats);
    switch (n.k) {
      case "sequence":
      case "selector":
      case "reactive_sequence":
      case "reactive_selector":
      case "once":
      case "repeat":
      case "retry":
      case "do":
        ints += 1;
        break;
      case "parallel":
      case "race":
        ints += n.children.length;
        break;
      case "timeout":
      case "wait":
        floats += 1;
        break;
      case "delay":
      case "cooldown":
        ints += 1;
        floats += 1;
        break;
      case "infer":
        ints += 4;
        floats += 1;
        break;
      default:
        break;
    }
  }
  return { intOff, floatOff };
}
