// Differential testing over 200 seeded random policies: the emitted module and the interpreter produce
// byte-identical traces (and the same runtime errors) over randomized observation streams, extern results,
// raised events and injected messages. A sample of the emitted modules also type-checks under --strict.
import { describe, expect, it } from "vitest";
import { loadIR } from "../../src/runtime/index.ts";
import { drive, interpreterFor, loadEmitted, stateSection, typecheck, writeEmitted } from "./support/harness.ts";
import { randomPolicy } from "./support/random-policy.ts";

const CASES = 200;

describe("random policies", () => {
  it("are valid IR", () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const ir = randomPolicy(seed);
      expect(() => loadIR(JSON.parse(JSON.stringify(ir)))).not.toThrow();
    }
  });

  it(`${CASES} cases: emitted code and interpreter trace identically`, async () => {
    const mismatches: number[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const ir = randomPolicy(seed);
      // Odd seeds print tiny functions, so subtrees split into functions of their own are covered too.
      const emitted = await loadEmitted(writeEmitted(ir, `random_${seed % 20}_${seed}`, seed % 2 === 1 ? { functionBudget: 4 } : {}));
      const o = { seed, steps: 60, agents: 2, badRate: seed % 5 === 0 ? 0.03 : 0, rawRate: seed % 3 === 0 ? 0.05 : 0 };
      const reference = drive(ir, interpreterFor(ir), o);
      if (drive(ir, emitted, o) !== reference) mismatches.push(seed);
    }
    expect(mismatches).toEqual([]);
  });

  // Without a tracer both run their untraced variants (status bytes only where they are read back, generated
  // roots ticking every agent in one call and setting the env only where it is read): outputs, state and
  // errors must not change.
  it("untraced runs of emitted code and interpreter match the traced reference", async () => {
    const mismatches: string[] = [];
    for (let seed = 1; seed <= CASES; seed += 4) {
      const ir = randomPolicy(seed);
      const emitted = await loadEmitted(writeEmitted(ir, `random_${seed % 20}_${seed}`, seed % 2 === 1 ? { functionBudget: 4 } : {}));
      const o = { seed, steps: 60, agents: 3, badRate: seed % 5 === 0 ? 0.03 : 0, rawRate: seed % 3 === 0 ? 0.05 : 0 };
      const reference = stateSection(drive(ir, interpreterFor(ir), o));
      if (stateSection(drive(ir, interpreterFor(ir), { ...o, traced: false })) !== reference) mismatches.push(`interpreter ${seed}`);
      if (stateSection(drive(ir, emitted, { ...o, traced: false })) !== reference) mismatches.push(`emitted ${seed}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("emitted random policies type-check with tsc --strict --noEmit", () => {
    const files = [3, 17, 42, 99, 150].map((seed) => writeEmitted(randomPolicy(seed), `typed_random_${seed}`, seed % 2 === 1 ? { functionBudget: 4 } : {}));
    // Policies with infer nodes too (random-neural.test.ts drives them): their infer roots stay interpreted.
    const neural = [1001, 1002].map((seed) => writeEmitted(randomPolicy(seed, { neural: true }), `typed_random_neural_${seed}`, seed % 2 === 1 ? { functionBudget: 4 } : {}));
    expect(typecheck([...files, ...neural])).toEqual([]);
  });
});
