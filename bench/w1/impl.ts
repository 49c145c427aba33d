// The contract every W1 implementation meets — the hand-written floor, each peer library, and later hpol's
// interpreter and emitted code. A pool decides one action per agent for one frame; the shared CombatWorld then
// applies the actions and steps. Only `tickAll` is timed.

import type { CombatWorld } from "./world.ts";

/** One action code per agent. Pools own it: an Int32Array of their own, or (hpol) the pool's output column, which
 *  the host reads in place. */
export type ActionCodes = Int32Array | Float64Array;

export interface W1Pool {
  /** Reads every agent's state from the world and writes one action code per agent into `actions`. */
  tickAll(): void;
  /** One action code (see actions.ts) per agent, valid after `tickAll`. Owned by the pool, reused every frame. */
  readonly actions: ActionCodes;
}

export interface W1Impl {
  /** Row label in reports: "hand-written", "mistreevous", …, "hpol-interpreter", "hpol-emitted". */
  readonly name: string;
  /** Builds whatever per-agent structures the implementation needs for every agent of `world`. */
  createPool(world: CombatWorld): W1Pool;
}
