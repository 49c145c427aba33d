// The W3 world: a vector of facts per agent, redrawn from a seeded stream (one per agent) every frame. Decisions
// do not feed back into the facts, so every implementation sees the same fact sequence for the same seed.

import { Xoshiro128 } from "../../../src/runtime/rng.ts";
import type { W3Tree } from "./tree.ts";

export class FactsWorld {
  readonly agentCount: number;
  readonly factCount: number;
  readonly booleanFacts: number;
  /** Agent i's facts are facts[i * factCount .. (i + 1) * factCount). */
  readonly facts: Float64Array;
  private readonly rngs: Xoshiro128[];

  constructor(tree: W3Tree, agentCount: number, seed: number) {
    this.agentCount = agentCount;
    this.factCount = tree.factCount;
    this.booleanFacts = tree.booleanFacts;
    this.facts = new Float64Array(agentCount * tree.factCount);
    this.rngs = [];
    for (let i = 0; i < agentCount; i++) this.rngs.push(new Xoshiro128(seed, i));
    this.advance();
  }

  /** Draws every agent's facts for the next frame. */
  advance(): void {
    const f = this.factCount;
    for (let i = 0; i < this.agentCount; i++) {
      const rng = this.rngs[i];
      const base = i * f;
      // Boolean facts are true with probability 0.6, so sequences of them pass often enough to go deep.
      for (let k = 0; k < this.booleanFacts; k++) this.facts[base + k] = rng.next() < 0.6 ? 1 : 0;
      for (let k = this.booleanFacts; k < f; k++) this.facts[base + k] = rng.next();
    }
  }
}
