import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkSource } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { loadIR, type PolicyIR } from "../../src/runtime/index.ts";
import { arenaContractProblems, runArena, ArenaContractError } from "../../src/arena/policy-team.ts";
import { idleBot } from "../../src/arena/scripted.ts";

function compile(text: string): PolicyIR {
  const r = checkSource(text, "/virtual/arena-test.hpol");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return loadIR(JSON.parse(JSON.stringify(lower(r.program!, r.sources))));
}

const hunter = readFileSync(join(import.meta.dirname, "..", "fixtures", "hunter.hpol"), "utf8");

describe("policies in the arena", () => {
  it("plays a compiled policy deterministically and lets it beat a dummy", async () => {
    const ir = compile(hunter);
    expect(arenaContractProblems(ir)).toEqual([]);
    const options = { episodes: 2, seed: 3, opponent: idleBot, arena: { maxSeconds: 30 } } as const;
    const first = await runArena(ir, options);
    const second = await runArena(ir, options);
    expect(second).toEqual(first);
    expect(first.runtimeErrors).toBe(0);
    expect(first.episodes.every((e) => e.teams[0].kills > 0)).toBe(true);
    expect(first.agentTicks).toBe(first.episodes.reduce((n, e) => n + e.frames * 3, 0));
  });

  it("names every field that breaks the arena contract", () => {
    const ir = compile(`
observation { pos: vec2  altitude: float  health: vec2 }
output { move: vec2  jump: bool }
executor x at 10hz writes move, jump {
  sequence {
    set out.move = obs.pos + obs.health * obs.altitude
    set out.jump = true
  }
}
`);
    const problems = arenaContractProblems(ir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("`altitude` is not part of the arena contract");
    expect(problems[1]).toContain("`health` must be an int or float");
    expect(problems[2]).toContain("output field `jump`");
    return expect(runArena(ir, { episodes: 1, seed: 1 })).rejects.toBeInstanceOf(ArenaContractError);
  });
});
