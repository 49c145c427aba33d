// The shooter example is what `npx hpol run examples/shooter.hpol` (README command 1) shows a new user, so it must
// actually beat the arena's scripted bot. Episodes are pure functions of their seed, so this is not flaky. Seed 41
// is a typical window: over ten 10-episode windows (seeds 1, 11, …, 91) the policy won 6–9 and lost 1–4 (median 8
// wins), and over 20-episode windows on seeds 1, 101, 1001, 2001, 3001, 5001 and 7001 it won 15–18 and lost 1–5.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { runArena } from "../../src/arena/policy-team.ts";

describe("the shooter example in the arena", () => {
  it("wins more episodes than it loses against the scripted bot", async () => {
    const checked = checkFiles([join(import.meta.dirname, "..", "..", "examples", "shooter.hpol")]);
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const summary = await runArena(lower(checked.program!, checked.sources), { episodes: 10, seed: 41 });
    expect(summary.runtimeErrors).toBe(0);
    expect(summary.wins).toBeGreaterThan(summary.losses);
    // Not by standing still: it kills more than it loses.
    const kills = summary.episodes.reduce((n, e) => n + e.teams[0].kills, 0);
    const deaths = summary.episodes.reduce((n, e) => n + e.teams[0].deaths, 0);
    expect(kills).toBeGreaterThan(deaths);
  });
});
