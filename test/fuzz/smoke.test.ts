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

  // Regression inputs for resource exhaustion, found by hand rather than by the stream: each held the judge's
  // contract only once the limits existed (a chain of records overflowed the checker's stack; the doubling calls
  // and the huge list made lowering or the pool allocate without bound). Each now gets its limit's code.
  const chain = Array.from({ length: 3000 }, (_, i) => `record R${i} { next: R${i + 1} }`).join("\n");
  const doubling = Array.from({ length: 59 }, (_, i) => `tree t${i + 1}() { sequence { call t${i + 2}()  call t${i + 2}() } }`).join("\n");
  const regressions: [string, string, string][] = [
    ["record chain", "HP5017", `observation { r: R0 }\noutput { y: float }\nexecutor e at 10hz writes y { set out.y = 1.0 }\n${chain}\nrecord R3000 { x: float }\n`],
    ["doubling calls", "HP5010", `observation { x: float }\noutput { y: float }\n${doubling}\ntree t60() { set out.y = obs.x }\nexecutor e at 10hz writes y { call t1() }\n`],
    ["huge list", "HP5012", `observation { big: list<vec<100000>, 100000> }\noutput { y: float }\nexecutor e at 10hz writes y { set out.y = len(obs.big) }\n`],
    ["long name", "HP5015", `observation { ${"n".repeat(10_000)}: float }\noutput { y: float }\nexecutor e at 10hz writes y { set out.y = 1.0 }\n`],
  ];
  it.each(regressions)("regression: %s gives %s and holds the judge's contract", (origin, code, text) => {
    const verdict = checkInput({ origin, text, file: "/virtual/fuzz.hpol" }, cachingHost());
    expect(verdict.violations).toEqual([]);
    expect(checkSource(text, "/virtual/fuzz.hpol").diagnostics.map((d) => d.code)).toContain(code);
  });
});
