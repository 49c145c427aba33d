// Infer nodes against a fake NeuralHost: in-frame batching, chunks, refinement, async latching, faults, replay.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, FLOAT, INT, vec, act, check, guardWhile, infer, sel, seq, set, succeed } from "./support/builder.ts";
import type { NodeSpec } from "./support/builder.ts";
import { FakeNeuralHost } from "./support/fake-neural.ts";
import type { FakeModel } from "./support/fake-neural.ts";
import { createPool, MemorySink, replayTrace } from "../../src/runtime/index.ts";

const double: FakeModel = ([x]) => [Float32Array.from(x!, (v) => v * 2)];
const plusOne: FakeModel = ([x]) => [Float32Array.from(x!, (v) => v + 1)];

/** obs.x (vec2) → model → state.y (vec2), then out.done = true. */
function simple(opts: { chunk?: number; refine?: number; async?: { timeoutMs: number | null }; outSize?: number; wrap?: (n: NodeSpec, b: IRBuilder) => NodeSpec } = {}) {
  const b = new IRBuilder("nn");
  const x = b.obs("x", vec(2));
  const go = b.obs("go", BOOL);
  const y = b.stateVar("y", vec(2));
  const done = b.out("done", INT);
  const m = b.model("mlp", [2], [opts.outSize ?? 2]);
  const node = infer(m, {
    feeds: [{ input: 0, value: b.read(x) }],
    chunk: opts.chunk ?? 1,
    refine: opts.refine ? { times: opts.refine, from: 0, to: 0 } : null,
    async: opts.async ?? null,
  });
  node.spec["writes"] = [{ target: b.read(y), value: b.port(node, 0, vec(2)) }];
  const body = seq(opts.wrap ? opts.wrap(node, b) : node, set(b.read(done), b.bin("+", b.read(done), b.num(1))));
  b.executor("E", { periodMs: 100, default: guardWhile(b.read(go), body) });
  return { ir: b.build(), node, body };
}

describe("in-frame batching", () => {
  it("agents that reach the same infer node in a frame share one batch and get results in that frame", async () => {
    const host = new FakeNeuralHost([double]);
    const { ir } = simple();
    const pool = createPool(ir, { agents: 5, stepMs: 100, neural: host });
    expect(pool.isAsync).toBe(true);
    for (let a = 0; a < 5; a++) pool.setObservation(a, { x: [a, 1], go: true });
    const r = pool.stepOnce();
    expect(r).toBeInstanceOf(Promise);
    await r;
    expect(host.batches).toEqual([{ model: 0, size: 5 }]);
    expect([0, 1, 2, 3, 4].map((a) => pool.read(a, "state.y"))).toEqual([0, 1, 2, 3, 4].map((a) => [2 * a, 2]));
    expect(pool.getOutput(3)["done"]).toBe(1);
  });

  it("agents' input rows lie back to back in one buffer, so a host can batch them without copying", async () => {
    const host = new FakeNeuralHost([double]);
    const { ir } = simple();
    const pool = createPool(ir, { agents: 3, stepMs: 100, neural: host });
    for (let a = 0; a < 3; a++) pool.setObservation(a, { x: [a, a], go: true });
    await pool.stepOnce();
    const rows = host.submits.map((s) => s.inputs[0]!);
    expect(rows.map((r) => r.buffer === rows[0]!.buffer)).toEqual([true, true, true]);
    expect(rows.map((r) => r.byteOffset)).toEqual([0, 8, 16]);
    expect(host.submits.every((s) => !s.async)).toBe(true);
  });

  it("policies without infer nodes step synchronously", () => {
    const b = new IRBuilder();
    b.executor("E", { periodMs: 100, default: succeed() });
    const pool = createPool(b.build(), { stepMs: 100 });
    expect(pool.isAsync).toBe(false);
    expect(pool.stepOnce()).toBeUndefined();
  });

  it("parallel siblings keep ticking while one child waits, and are not re-ticked on resume", async () => {
    const host = new FakeNeuralHost([double]);
    const log: string[] = [];
    const { ir } = simple({
      wrap: (n, b) => {
        const ping = b.action("ping");
        return { spec: { k: "parallel", children: [], success: 2, failure: 1 }, kids: [n, act(ping)], id: -1 };
      },
    });
    const pool = createPool(ir, { stepMs: 100, neural: host, externs: { ping: () => (log.push("ping"), "success") } });
    pool.setObservation(0, { x: [1, 2], go: true });
    await pool.stepOnce();
    expect(log).toEqual(["ping"]);
    expect(pool.read(0, "state.y")).toEqual([2, 4]);
    expect(pool.getOutput(0)["done"]).toBe(1);
  });
});

describe("chunks and refinement", () => {
  it("a chunk of H steps is played one per tick and dropped on preemption", async () => {
    // The model outputs 3 steps of vec2: [x, x+10, x+20].
    const chunked: FakeModel = ([x]) => [Float32Array.from([x![0]!, x![1]!, x![0]! + 10, x![1]! + 10, x![0]! + 20, x![1]! + 20])];
    const host = new FakeNeuralHost([chunked]);
    const { ir, node } = simple({ chunk: 3, outSize: 6 });
    const pool = createPool(ir, { stepMs: 100, neural: host });
    pool.setObservation(0, { x: [1, 2], go: true });
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      await pool.stepOnce();
      seen.push([pool.read(0, "state.y"), pool.nodeStatus(0, node.id)]);
    }
    expect(seen).toEqual([
      [[1, 2], "running"],
      [[11, 12], "running"],
      [[21, 22], "success"],
    ]);
    expect(host.batches.length).toBe(1);
    // Preemption: play one step, halt (guard false), resume → a fresh inference, starting at step 0 again.
    await pool.stepOnce();
    pool.setObservation(0, { x: [5, 5], go: false });
    await pool.stepOnce();
    pool.setObservation(0, { x: [7, 7], go: true });
    await pool.stepOnce();
    expect(pool.read(0, "state.y")).toEqual([7, 7]);
    expect(host.batches.length).toBe(3);
  });

  it("refine k re-runs the model k more times on its own output within the frame", async () => {
    const host = new FakeNeuralHost([plusOne]);
    const { ir } = simple({ refine: 2 });
    const pool = createPool(ir, { agents: 2, stepMs: 100, neural: host });
    pool.setObservation(0, { x: [0, 10], go: true });
    pool.setObservation(1, { x: [5, 5], go: true });
    await pool.stepOnce();
    expect(pool.read(0, "state.y")).toEqual([3, 13]);
    expect(pool.read(1, "state.y")).toEqual([8, 8]);
    expect(host.batches).toEqual([
      { model: 0, size: 2 },
      { model: 0, size: 2 },
      { model: 0, size: 2 },
    ]);
  });
});

describe("asynchronous infer", () => {
  it("keeps ticking while in flight and latches the result when it arrives", async () => {
    const host = new FakeNeuralHost([double]);
    host.hold = true;
    const { ir, node } = simple({ async: { timeoutMs: null } });
    const pool = createPool(ir, { stepMs: 100, neural: host });
    pool.setObservation(0, { x: [1, 1], go: true });
    await pool.stepOnce();
    await pool.stepOnce();
    expect(host.submits.map((s) => s.async)).toEqual([true]);
    expect(pool.nodeStatus(0, node.id)).toBe("running");
    host.hold = false;
    await host.flush(); // the model finishes between frames
    await pool.stepOnce();
    expect(pool.nodeStatus(0, node.id)).toBe("success");
    expect(pool.read(0, "state.y")).toEqual([2, 2]);
  });

  it("times out with HP8031 and drops the late result", async () => {
    const host = new FakeNeuralHost([double]);
    host.hold = true;
    const { ir, node } = simple({ async: { timeoutMs: 250 } });
    const pool = createPool(ir, { stepMs: 100, neural: host });
    pool.setObservation(0, { x: [1, 1], go: true });
    await pool.run(3); // t=0 submit, 100, 200 running
    expect(pool.nodeStatus(0, node.id)).toBe("running");
    await pool.run(1); // t=300 ≥ 250
    expect(pool.nodeStatus(0, node.id)).toBe("failure");
    expect(pool.drainErrors().map((e) => e.code)).toEqual(["HP8031"]);
    expect(host.released).toEqual([1]);
  });

  it("a preempted request is released so its stale result is never used", async () => {
    const host = new FakeNeuralHost([double]);
    host.hold = true;
    const { ir } = simple({ async: { timeoutMs: null } });
    const pool = createPool(ir, { stepMs: 100, neural: host });
    pool.setObservation(0, { x: [1, 1], go: true });
    await pool.stepOnce();
    pool.setObservation(0, { x: [1, 1], go: false });
    await pool.stepOnce();
    expect(host.released).toEqual([1]);
    host.hold = false;
    await pool.run(2);
    expect(pool.read(0, "state.y")).toEqual([0, 0]);
  });
});

describe("faults", () => {
  function withFallback(model: FakeModel) {
    const b = new IRBuilder("nn");
    const x = b.obs("x", vec(2));
    const y = b.stateVar("y", vec(2));
    const used = b.out("used", INT);
    const m = b.model("mlp", [2], [2]);
    const node = infer(m, { feeds: [{ input: 0, value: b.read(x) }] });
    node.spec["writes"] = [{ target: b.read(y), value: b.port(node, 0, vec(2)) }];
    b.executor("E", { periodMs: 100, default: sel(seq(node, set(b.read(used), b.num(1))), set(b.read(used), b.num(2))) });
    return { ir: b.build(), host: new FakeNeuralHost([model]), node };
  }

  it("an error result is HP8030: the node fails and the fallback sibling runs", async () => {
    const { ir, host, node } = withFallback(() => new Error("session exploded"));
    const pool = createPool(ir, { stepMs: 100, neural: host });
    pool.setObservation(0, { x: [1, 1] });
    await pool.stepOnce();
    expect(pool.getOutput(0)["used"]).toBe(2);
    const [e] = pool.drainErrors();
    expect([e!.code, e!.node]).toEqual(["HP8030", node.id]);
    expect(e!.message).toMatch(/session exploded/);
  });

  it("NaN in an output or a wrong output size is HP8030", async () => {
    for (const bad of [() => [Float32Array.from([NaN, 1])], () => [Float32Array.from([1, 2, 3])]] as FakeModel[]) {
      const { ir, host } = withFallback(bad);
      const pool = createPool(ir, { stepMs: 100, neural: host });
      pool.setObservation(0, { x: [1, 1] });
      await pool.stepOnce();
      expect(pool.getOutput(0)["used"]).toBe(2);
      expect(pool.drainErrors().map((e) => e.code)).toEqual(["HP8030"]);
    }
  });

  it("a policy with infer nodes and no neural host is HP8032 per agent, not a crash", async () => {
    const { ir } = withFallback(double);
    const pool = createPool(ir, { stepMs: 100 });
    pool.setObservation(0, { x: [1, 1] });
    await pool.stepOnce();
    expect(pool.getOutput(0)["used"]).toBe(2);
    expect(pool.drainErrors().map((e) => e.code)).toEqual(["HP8032"]);
  });
});

describe("replay with neural nodes", () => {
  it("replays recorded inference results without a model", async () => {
    const host = new FakeNeuralHost([plusOne]);
    const { ir } = simple({ refine: 1 });
    const sink = new MemorySink();
    const pool = createPool(ir, { agents: 3, stepMs: 100, neural: host, trace: sink });
    for (let s = 0; s < 6; s++) {
      for (let a = 0; a < 3; a++) pool.setObservation(a, { x: [a + s, s], go: (a + s) % 4 !== 0 });
      await pool.stepOnce();
    }
    await pool.close();
    expect(sink.text()).toContain('"nn"');
    expect(await replayTrace(ir, sink.text())).toEqual({ ok: true, verified: 6 });
    void FLOAT;
    void check;
  });
});

describe("observations fed to an infer node", () => {
  it("an invalid value written into the fed column fails the node (HP8021 naming the element) without a request", async () => {
    const host = new FakeNeuralHost([double]);
    const { ir } = simple();
    const pool = createPool(ir, { agents: 3, stepMs: 100, neural: host });
    const x = pool.observationColumn("x");
    const go = pool.observationColumn("go");
    go.fill(1);
    x.set([1, 2, 3, Number.NaN, 5, 6]);
    await pool.stepOnce();
    // Agent 1 fed NaN: no request, the node failed (the guard's sequence stops), the others ran.
    expect(host.submits.map((s) => Array.from(s.inputs[0]!))).toEqual([[1, 2], [5, 6]]);
    expect([0, 1, 2].map((a) => pool.getOutput(a)["done"])).toEqual([1, 0, 1]);
    const errors = pool.drainErrors();
    expect(errors.map((e) => [e.agent, e.code])).toEqual([[1, "HP8021"]]);
    expect(errors[0]!.message).toContain("x[1]: expected a finite number, got NaN");
    // A value rejected by setObservation fails it too, and a valid value set again clears it.
    expect(pool.setObservation(2, { x: [1, Number.POSITIVE_INFINITY], go: true })).toBe(false);
    x[3] = 4;
    await pool.stepOnce();
    expect([0, 1, 2].map((a) => pool.getOutput(a)["done"])).toEqual([2, 1, 1]);
    expect(pool.drainErrors().map((e) => [e.agent, e.code])).toEqual([[2, "HP8020"], [2, "HP8021"]]);
  });
});
