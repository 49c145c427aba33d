import { describe, expect, it } from "vitest";
import { Action } from "../../bench/w1/actions.ts";
import { runW4 } from "../../bench/w4/run.ts";

// Correctness of the W4 benchmark only: every implementation must make the hand-written row's decisions. No
// timing is asserted.
describe("W4 (neural combat)", () => {
  it("hand-written, interpreter, emitted and the engine-free tree make identical decisions", async () => {
    const r = await runW4({ agents: 120, frames: 40, warmup: 5, block: 10, seed: 3 });
    expect(r.mismatches).toEqual([]);
    expect(new Set(r.rows.map((row) => row.checksum)).size).toBe(1);
    // The network matters to the outcome: agents attack (infer runs in batches), aim in more than one direction,
    // and both fire (aim on target) and hold fire.
    expect(r.meanBatch).toBeGreaterThan(1);
    expect(r.aimHistogram.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(r.actionHistogram[Action.Fire]).toBeGreaterThan(0);
    expect(r.actionHistogram[Action.Approach]).toBeGreaterThan(0);
  }, 60_000);
});
