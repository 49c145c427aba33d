// The hpol spec of W1 (bench/w1/combat.hpol) restates the thresholds and action codes of the TypeScript
// implementations; this keeps the two from drifting apart before hpol can run the spec itself.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTION_NAMES } from "../../bench/w1/actions.ts";
import { Decide } from "../../bench/w1/thresholds.ts";

const spec = readFileSync(new URL("../../bench/w1/combat.hpol", import.meta.url), "utf8");

function constant(name: string): number {
  const match = new RegExp(`^const ${name}: float = ([0-9.]+)$`, "m").exec(spec);
  if (!match) throw new Error(`const ${name} not found in combat.hpol`);
  return Number(match[1]);
}

describe("bench/w1/combat.hpol", () => {
  it("uses the thresholds of thresholds.ts", () => {
    expect(constant("LOW_HEALTH")).toBe(Decide.lowHealth);
    expect(constant("NEAR_DISTANCE")).toBe(Decide.nearDistance);
    expect(constant("FIRE_RANGE")).toBe(Decide.fireRange);
  });

  it("declares the actions in the order of their codes", () => {
    const members = /enum Act \{([^}]*)\}/.exec(spec)![1].split(",").map((m) => m.trim());
    const kebab = members.map((m) => m.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase());
    expect(kebab).toEqual(ACTION_NAMES);
  });
});
