// The contract of a W3 implementation: the same shape as W1's (decide one action per agent per frame), built
// from a generated tree instead of the fixed combat tree.

import type { FactsWorld } from "./facts.ts";
import type { W3Tree } from "./tree.ts";
import type { ActionCodes } from "../../w1/impl.ts";

export interface W3Pool {
  /** Ticks the tree once for every agent of the world, writing each agent's action code into `actions`. */
  tickAll(): void;
  readonly actions: ActionCodes;
}

export interface W3Impl {
  readonly name: string;
  createPool(tree: W3Tree, world: FactsWorld): W3Pool;
}
