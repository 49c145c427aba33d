import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { parseTrace } from "../../src/runtime/index.ts";
import { captureIO } from "./capture.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hpol-run-"));
  copyFileSync(join(import.meta.dirname, "..", "fixtures", "hunter.hpol"), join(dir, "hunter.hpol"));
  writeFileSync(join(dir, "alien.hpol"), `observation { gravity: float }\noutput { thrust: float }\nexecutor e at 10hz writes thrust {\n  set out.thrust = obs.gravity\n}\n`);
  writeFileSync(join(dir, "broken.hpol"), `observation { pos: vec2 }\noutput { move: vec2 }\nexecutor e at 10hz writes move {\n  set out.move = obs.pso\n}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hpol run", () => {
  it("plays episodes in the arena and prints a row per episode and a summary", async () => {
    const io = captureIO();
    const code = await main(["run", join(dir, "hunter.hpol"), "--episodes", "2", "--seconds", "10", "--seed", "4"], io);
    expect(io.err).toBe("");
    expect(code).toBe(0);
    expect(io.out).toMatch(/2 episodes in the arena, 3 vs 3 against the scripted bot \(seed 4\)/);
    expect(io.out.split("\n").filter((l) => /^\s+[12]\s+(win|loss|draw)\s/.test(l))).toHaveLength(2);
    expect(io.out).toMatch(/wins \d, losses \d, draws \d; mean score -?\d+\.\d/);
    expect(io.out).toMatch(/0 runtime errors/);
  });

  it("prints the summary as JSON, identical for the same seed, and writes a replayable trace", async () => {
    const trace = join(dir, "run.jsonl");
    const args = ["run", join(dir, "hunter.hpol"), "--episodes", "1", "--seconds", "3", "--agents", "2", "--json"];
    const a = captureIO();
    expect(await main([...args, "--trace", trace], a)).toBe(0);
    const b = captureIO();
    expect(await main(args, b)).toBe(0);
    const strip = (s: string): unknown => ({ ...JSON.parse(s), wallSeconds: 0 });
    expect(strip(a.out)).toEqual(strip(b.out));
    const summary = JSON.parse(a.out);
    expect(summary.teamSize).toBe(2);
    expect(summary.episodes).toHaveLength(1);
    expect(summary.agentTicks).toBe(summary.episodes[0].frames * 2);
    const parsed = parseTrace(readFileSync(trace, "utf8"));
    if ("error" in parsed) throw new Error(`trace does not parse: ${parsed.error.problem}`);
    expect(parsed.steps.length).toBe(summary.episodes[0].frames);
  });

  it("refuses a spec that does not fit the arena, naming the fields", async () => {
    const io = captureIO();
    expect(await main(["run", join(dir, "alien.hpol")], io)).toBe(1);
    expect(io.err).toContain("`gravity` is not part of the arena contract");
    expect(io.err).toContain("`thrust`");
  });

  it("prints diagnostics and does not run a spec with errors", async () => {
    const io = captureIO();
    expect(await main(["run", join(dir, "broken.hpol")], io)).toBe(1);
    expect(io.out).toContain("HP2");
    expect(io.out).toContain("pso");
    expect(io.out).not.toContain("episode");
  });

  it("rejects an unknown environment", async () => {
    const io = captureIO();
    expect(await main(["run", join(dir, "hunter.hpol"), "--env", "mars"], io)).toBe(1);
    expect(io.err).toContain("unknown environment `mars`");
  });
});
