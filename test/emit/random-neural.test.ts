// Differential testing of random policies with infer nodes. Roots holding an infer node run in the interpreter
// inside the emitted module's pool, every other root runs generated code; the hand-off between the two must be
// exact. So for every case the emitted module and the interpreter, each with its own batching host over the same
// tiny ONNX models (written here by the project's ONNX writer), must give byte-identical traces — inference
// results, chunk steps, refinements, seeded sampling, asynchronous results and their timeouts, and the tickets
// dropped when a message preempts a running model — over randomized observation streams.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadIR } from "../../src/runtime/index.ts";
import type { InferenceInputs, InferenceResult, NeuralHost, PolicyIR } from "../../src/runtime/index.ts";
import type { SubmitOptions } from "../../src/runtime/neural/host.ts";
import { BatchingNeuralHost, modelConfigsFromIR } from "../../src/runtime/neural/batching-host.ts";
import { layerRoots } from "../../src/compiler/emit/emit.ts";
import { subtree } from "../../src/compiler/emit/node-code.ts";
import { driveAsync, interpreterFor, loadEmitted, writeEmitted } from "./support/harness.ts";
import { randomPolicy } from "./support/random-policy.ts";
import { writeRandomModels } from "./support/random-models.ts";

const CASES = 120;
const FIRST_SEED = 1001;
const dir = mkdtempSync(join(tmpdir(), "hpol-random-neural-"));
writeRandomModels(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeds = Array.from({ length: CASES }, (_, i) => FIRST_SEED + i);
const policy = (seed: number): PolicyIR => randomPolicy(seed, { neural: true });

/** The batching host over the written models, counting what the coverage assertions need. */
class CountingHost implements NeuralHost {
  readonly inner: BatchingNeuralHost;
  submits = 0;
  asyncSubmits = 0;
  /** Tickets released before their result existed: preemption (or a timeout) dropped a request in flight. */
  dropped = 0;
  constructor(ir: PolicyIR) {
    this.inner = new BatchingNeuralHost(modelConfigsFromIR(ir.models, dir), { onnx: { intraOpNumThreads: 1 } });
  }
  get pending(): boolean {
    return this.inner.pending;
  }
  submit(model: number, inputs: InferenceInputs, options?: SubmitOptions): number {
    this.submits++;
    if (options?.async) this.asyncSubmits++;
    return this.inner.submit(model, inputs, options);
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  result(ticket: number): InferenceResult | undefined {
    return this.inner.result(ticket);
  }
  release(ticket: number): void {
    if (this.inner.result(ticket) === undefined) this.dropped++;
    this.inner.release(ticket);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe("random policies with infer nodes", () => {
  it("are valid IR, and every one mixes generated roots with interpreted infer roots", () => {
    let mixed = 0;
    for (const seed of seeds) {
      const ir = policy(seed);
      expect(() => loadIR(JSON.parse(JSON.stringify(ir)))).not.toThrow();
      const roots = layerRoots(ir);
      const withInfer = roots.filter((r) => subtree(ir, r).some((id) => ir.nodes[id]!.k === "infer"));
      expect(withInfer.length).toBeGreaterThan(0);
      if (withInfer.length < roots.length) mixed++;
    }
    expect(mixed).toBeGreaterThan(CASES * 0.8);
  });

  it(`${CASES} cases: emitted code and interpreter trace identically`, async () => {
    const mismatches: number[] = [];
    // Per case: infer nodes that received inference results in the reference run, by what they exercise.
    const totals = { submits: 0, asyncSubmits: 0, dropped: 0, timeouts: 0, chunked: 0, refined: 0, async: 0, sampled: 0 };
    for (const seed of seeds) {
      const ir = policy(seed);
      const emitted = await loadEmitted(writeEmitted(ir, `random_neural_${seed % 20}_${seed}`, seed % 2 === 1 ? { functionBudget: 4 } : {}));
      const o = { seed, steps: 60, agents: 3, badRate: seed % 5 === 0 ? 0.03 : 0 };
      const refHost = new CountingHost(ir);
      const reference = await driveAsync(ir, interpreterFor(ir), o, refHost);
      const host = new CountingHost(ir);
      const got = await driveAsync(ir, emitted, o, host);
      if (got !== reference) mismatches.push(seed);
      expect(host.submits).toBe(refHost.submits);
      totals.submits += refHost.submits;
      totals.asyncSubmits += refHost.asyncSubmits;
      totals.dropped += refHost.dropped;
      totals.timeouts += reference.split('"code":"HP8031"').length - 1;
      for (const id of servedInferNodes(reference)) {
        const n = ir.nodes[id]!;
        if (n.k !== "infer") continue;
        if (n.chunk > 1) totals.chunked++;
        if (n.refine && n.refine.times > 0) totals.refined++;
        if (n.async) totals.async++;
        if (n.writes.some((w) => draws(ir, w.value))) totals.sampled++;
      }
    }
    expect(mismatches).toEqual([]);
    // The cases reached what they are meant to cover: models ran, chunked, refined and asynchronous nodes and
    // nodes sampling from their outputs got results, and halts dropped requests in flight (each timeout drops
    // one; the rest were halted by preemption or a reactive branch switch).
    expect(totals.submits).toBeGreaterThan(CASES * 10);
    expect(totals.asyncSubmits).toBeGreaterThan(0);
    expect(totals.timeouts).toBeGreaterThan(0);
    expect(totals.dropped).toBeGreaterThan(totals.timeouts + 50);
    for (const k of ["chunked", "refined", "async", "sampled"] as const) expect(totals[k], k).toBeGreaterThan(5);
  });
});

describe("random policies with infer nodes, untraced", () => {
  it("take results straight from the batch (takeResult) exactly as reading each one through result() does", async () => {
    let taken = 0;
    const mismatches: number[] = [];
    for (const seed of seeds.slice(0, 40)) {
      const ir = policy(seed);
      const o = { seed, steps: 40, agents: 3, badRate: seed % 5 === 0 ? 0.03 : 0, traced: false };
      // CountingHost forwards no takeResult: every result goes through result() and the node's own checks.
      const reference = await driveAsync(ir, interpreterFor(ir), o, new CountingHost(ir));
      const bulk = new BatchingNeuralHost(modelConfigsFromIR(ir.models, dir), { onnx: { intraOpNumThreads: 1 }, reuseResults: true });
      const take = bulk.takeResult.bind(bulk);
      bulk.takeResult = (...args) => {
        const got = take(...args);
        if (got === 1) taken++;
        return got;
      };
      if ((await driveAsync(ir, interpreterFor(ir), o, bulk)) !== reference) mismatches.push(seed);
    }
    expect(mismatches).toEqual([]);
    expect(taken).toBeGreaterThan(100);
  });
});

/** Ids of the infer nodes that received inference results ("nn" entries) in a trace. */
function servedInferNodes(trace: string): Set<number> {
  const served = new Set<number>();
  for (const line of trace.split("\n")) {
    if (!line.startsWith('{"step"')) continue;
    const step = JSON.parse(line) as { nn?: [number, number, unknown][] };
    for (const entry of step.nn ?? []) served.add(entry[1]);
  }
  return served;
}

/** Whether expression `id` draws from the agent's random stream (sample or gaussian) anywhere inside. */
function draws(ir: PolicyIR, id: number): boolean {
  const x = ir.exprs[id]!;
  if (x.k === "builtin" && (x.fn === "sample" || x.fn === "gaussian")) return true;
  const kids = [..."args" in x ? x.args : [], ..."left" in x ? [x.left, x.right] : [], ..."operand" in x ? [x.operand] : [], ..."object" in x ? [x.object] : []];
  return kids.some((k) => draws(ir, k));
}
