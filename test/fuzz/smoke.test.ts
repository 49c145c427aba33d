// The CI-sized fuzz run: the first 5,000 inputs of the `npm run fuzz` stream (same generator, same judge).
import { describe, expect, it } from "vitest";
import { cachingHost, checkInput } from "./check-input.ts";
import { fuzzInput, loadSeeds, validSpec } from "./generate.ts";
import { checkSource } from "../../src/compiler/program.ts";

const SMOKE_INPUTS = 5000;

describe("front-end fuzz smoke", () => {
  it("generated specs are well-formed: the checker accepts them", () => {
    for (let s = 0; s < 20; s++) {
      const errors = checkSource(validSpec(s * 104729, 1 + (s % 11)), "/virtual/fuzz.hpol").diagnostics.filter((d) => d.severity === "error");
      expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    }
  });

  it(`${SMOKE_INPUTS} generated and mutated inputs: nothing thrown, every diagnostic coded and in bounds`, () => {
    const seeds = loadSeeds();
    const host = cachingHost();
    const failures: string[] = [];
    let lowered = 0;
    let rejected = 0;
    for (let i = 0; i < SMOKE_INPUTS; i++) {
      const input = fuzzInput(i, 1, seeds);
      const v = checkInput(input, host);
      if (v.lowered) lowered++;
      if (v.errorCount > 0) rejected++;
      if (v.violations.length > 0) failures.push(`input ${i} (${input.origin}): ${v.violations.join("; ")}`);
    }
    expect(failures).toEqual([]);
    // The stream exercises both sides: programs that lower, and inputs the checker rejects with diagnostics.
    expect(lowered).toBeGreaterThan(SMOKE_INPUTS / 4);
    expect(rejected).toBeGreaterThan(SMOKE_INPUTS / 4);
  }, 300_000);
});
