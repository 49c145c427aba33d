import { describe, expect, it } from "vitest";
import { Action, ACTION_COUNT } from "../../bench/w1/actions.ts";
import { handwrittenW1 } from "../../bench/w1/handwritten.ts";
import type { W1Impl } from "../../bench/w1/impl.ts";
import { CombatWorld } from "../../bench/w1/world.ts";
import type { Contender } from "../../bench/workloads/contender.ts";
import { obtainGc } from "../../bench/workloads/gc.ts";
import { measureWorkload } from "../../bench/workloads/measure.ts";
import type { WorkloadPlan } from "../../bench/workloads/measure.ts";
import { workloadTable } from "../../bench/workloads/report.ts";

function contender(impl: W1Impl): Contender<CombatWorld> {
  return {
    name: impl.name,
    createWorld: (agents) => new CombatWorld(agents, 5),
    open(world) {
      const pool = impl.createPool(world);
      return { pool, actions: pool.actions, tickAll: () => pool.tickAll(), advance: () => world.advance(pool.actions) };
    },
  };
}

/** Decides like the floor except that it never reloads: a subtle divergence the checksum must catch. */
const neverReloads: W1Impl = {
  name: "never-reloads",
  createPool(world) {
    const inner = handwrittenW1.createPool(world);
    return {
      actions: inner.actions,
      tickAll() {
        inner.tickAll();
        for (let i = 0; i < inner.actions.length; i++) if (inner.actions[i] === Action.Reload) inner.actions[i] = Action.Approach;
      },
    };
  },
};

const plan: WorkloadPlan = {
  id: "T",
  title: "test",
  agents: 16,
  warmupFrames: 20,
  frames: 200,
  reps: 3,
  actionCount: ACTION_COUNT,
  heapAgents: 16,
  timing: "per-frame",
};

describe("measureWorkload", () => {
  const floor = contender(handwrittenW1);
  const copy = contender({ ...handwrittenW1, name: "copy-of-floor" });
  const broken = contender(neverReloads);
  const result = measureWorkload(plan, [floor, copy, broken], { overheadNs: 0, gc: obtainGc() });

  it("reports every contender with one sample per repetition and a positive time", () => {
    expect(result.results.map((r) => r.name)).toEqual(["hand-written", "copy-of-floor", "never-reloads"]);
    for (const r of result.results) {
      expect(r.samples).toHaveLength(plan.reps);
      expect(r.nsPerAgentTick).toBeGreaterThan(0);
      expect(r.agentTicksPerSecond).toBeCloseTo(1e9 / r.nsPerAgentTick);
      expect(r.heapBytesPerAgent).not.toBeNull();
    }
  });

  it("accepts identical decisions and flags a divergent implementation", () => {
    expect(result.mismatches).toEqual(["never-reloads"]);
    expect(result.results[1].checksum).toBe(result.expectedChecksum);
    expect(result.results[2].checksum).not.toBe(result.expectedChecksum);
  });

  it("renders the mismatch in the markdown table", () => {
    const table = workloadTable(result).split("\n");
    expect(table).toHaveLength(2 + 3);
    expect(table[2]).toMatch(/^\| hand-written \|.*\| 1\.00× \|.*\| identical \|$/);
    expect(table[4]).toMatch(/^\| never-reloads \|.*\*\*MISMATCH\*\* \|$/);
  });
});

describe("measureWorkload timed as loop minus replay", () => {
  const result = measureWorkload(
    { ...plan, agents: 1, heapAgents: undefined, timing: "loop-minus-replay" },
    [contender(handwrittenW1), contender(neverReloads)],
    { overheadNs: 0, gc: obtainGc() },
  );

  it("checks decisions the same way and reports no heap figure when none is asked for", () => {
    expect(result.mismatches).toEqual(["never-reloads"]);
    for (const r of result.results) {
      expect(r.nsPerAgentTick).toBeGreaterThanOrEqual(0);
      expect(r.heapBytesPerAgent).toBeNull();
    }
  });

  it("reaches the per-frame checksum for the same frames", () => {
    const perFrame = measureWorkload({ ...plan, agents: 1, heapAgents: undefined, reps: 1 }, [contender(handwrittenW1)], {
      overheadNs: 0,
      gc: obtainGc(),
    });
    expect(result.expectedChecksum).toBe(perFrame.expectedChecksum);
  });
});
