// A running fingerprint of every decision: equal checksums over thousands of ticks mean two implementations
// chose the same action for every agent on every tick (FNV-1a over the action codes, in agent order).

import type { ActionCodes } from "./impl.ts";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class ActionChecksum {
  private hash = FNV_OFFSET;
  /** How often each action code was chosen; shows that the workload exercises every branch. */
  readonly histogram: number[];

  constructor(actionCount: number) {
    this.histogram = new Array<number>(actionCount).fill(0);
  }

  add(actions: ActionCodes): void {
    let h = this.hash;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i];
      h = Math.imul(h ^ a, FNV_PRIME);
      if (a >= 0 && a < this.histogram.length) this.histogram[a] += 1;
    }
    this.hash = h;
  }

  get value(): string {
    return (this.hash >>> 0).toString(16).padStart(8, "0");
  }
}
