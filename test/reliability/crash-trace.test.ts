// A traced run killed with SIGKILL in the middle: every complete line on disk is a whole JSON record, and the
// trace replays (same IR, same decisions) up to the last complete step.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadIR, parseTrace, replayTrace } from "../../src/runtime/index.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-crash-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROOT = join(import.meta.dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("crash-safe traces", () => {
  it("a run killed mid-step leaves a trace whose complete lines parse and replay", async () => {
    const trace = join(dir, "trace.jsonl");
    const child = spawn(process.execPath, [join(ROOT, "bin", "run-ts.mjs"), join(import.meta.dirname, "traced-child.ts"), dir], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
    // Kill once a good number of steps is on disk (the child never stops by itself).
    const deadline = Date.now() + 90_000;
    while (!(existsSync(trace) && statSync(trace).size > 200_000)) {
      if (child.exitCode !== null) throw new Error(`child exited early:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`no trace after 90 s:\n${stderr}`);
      await sleep(50);
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const text = readFileSync(trace, "utf8");
    // What follows the last newline is empty, or a step the kill cut short.
    const complete = text.split("\n").slice(0, -1);
    expect(complete.length).toBeGreaterThan(10);
    for (const line of complete) expect(() => JSON.parse(line)).not.toThrow();

    const parsed = parseTrace(text);
    if ("error" in parsed) throw new Error(`unreadable trace: line ${parsed.error.line}: ${parsed.error.problem}`);
    expect(parsed.steps.length).toBe(complete.length - 1); // all but the header
    // The run went through the host: extern results are in the trace, and replay must feed them back.
    expect(parsed.steps.some((s) => Array.isArray(s["ext"]) && (s["ext"] as unknown[]).length > 0)).toBe(true);

    const ir = loadIR(JSON.parse(readFileSync(join(dir, "ir.json"), "utf8")));
    const replay = await replayTrace(ir, text);
    expect(replay.error).toBeUndefined();
    expect(replay.ok).toBe(true);
    expect(replay.verified).toBe(parsed.steps.length);
  }, 120_000);
});
