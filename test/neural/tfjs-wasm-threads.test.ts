// TF.js's multi-threaded wasm build (loadTfjs({ wasmThreads })), which TF.js itself leaves off in Node: it
// starts, computes on the threads it reports, gives bit-for-bit the results of the single-threaded build for a
// whole batch and for single rows, and lets its process exit by itself. Each thread count runs in a process of
// its own (tfjs-threads-child.ts), because the wasm backend starts once per process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import { loadTfjs } from "../../src/runtime/neural/tfjs-platform.ts";
import { saveMlpTfjs } from "../../src/runtime/neural/tfjs-writer.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "hpol-tfjs-threads-"));
const DIMS = [32, 128, 128, 8];
const ROWS = 500;

beforeAll(async () => {
  const { tf } = await loadTfjs();
  await saveMlpTfjs(tf, seededMlp(DIMS, 3), join(dir, "mlp"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ChildReport {
  readonly backend: string;
  readonly threads: number;
  readonly batch: string;
  readonly perRow: string;
}

function runChild(threads: number): ChildReport {
  const child = spawnSync(
    process.execPath,
    [join(ROOT, "bin", "run-ts.mjs"), join(import.meta.dirname, "tfjs-threads-child.ts"), join(dir, "mlp"), String(threads), String(ROWS), String(DIMS[0])],
    // A process kept alive by its idle pool threads would hit this timeout instead of exiting.
    { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
  );
  if (child.status !== 0) throw new Error(`child (${threads} threads) failed: status ${child.status}, signal ${child.signal}\n${child.stderr}`);
  return JSON.parse(child.stdout) as ChildReport;
}

describe("TF.js wasm with threads", () => {
  it("runs on min(threads, cores) threads with results bit-identical to one thread, batched and per row", () => {
    const one = runChild(1);
    const two = runChild(2);
    expect(one).toMatchObject({ backend: "wasm", threads: 1 });
    expect(two).toMatchObject({ backend: "wasm", threads: Math.min(2, cpus().length) });
    expect(Buffer.from(one.batch, "base64").byteLength).toBe(ROWS * DIMS[3]! * 4);
    expect(two.batch).toBe(one.batch);
    expect(one.perRow).toBe(one.batch);
    expect(two.perRow).toBe(two.batch);
  }, 120_000);
});
