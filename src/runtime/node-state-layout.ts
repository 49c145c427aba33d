// Where each tree node keeps its per-agent state in the pool's typed arrays. The interpreter (tree.ts) and the
// emitted code (src/compiler/emit) both read this one layout, so they address the same slots.
//
// One int slot for resumable composites and once/repeat/retry/do, one per child for parallel/race, a float timer
// for timeout/wait, both for delay/cooldown, and four ints (phase, ticket, refinements left, chunk step) plus a
// float timer for infer nodes.
import type { PolicyIR } from "./ir.ts";

export interface NodeStateLayout {
  /** Offset of each node's int slots inside an agent's int block. */
  readonly intOff: readonly number[];
  /** Offset of each node's float slots inside an agent's float block. */
  readonly floatOff: readonly number[];
  /** Int slots per agent. */
  readonly intStride: number;
  /** Float slots per agent. */
  readonly floatStride: number;
}

/** Int slot (relative to the node's intOff) holding an infer node's current chunk step. */
export const INFER_CHUNK_STEP = 3;

export function nodeStateLayout(ir: PolicyIR): NodeStateLayout {
  const intOff: number[] = new Array(ir.nodes.length);
  const floatOff: number[] = new Array(ir.nodes.length);
  let ints = 0;
  let floats = 0;
  for (const n of ir.nodes) {
    intOff[n.id] = ints;
    floatOff[n.id] = floats;
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
  return { intOff, floatOff, intStride: ints, floatStride: floats };
}
