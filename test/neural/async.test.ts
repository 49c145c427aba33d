import { describe, expect, it } from "vitest";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import type { InferenceResult } from "../../src/runtime/neural/host.ts";
import { GatedBackend } from "./gated-backend.ts";

function value(result: InferenceResult | undefined): number | string | undefined {
  if (!result) return undefined;
  return result.ok ? result.outputs[0][0] : result.code;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("asynchronous requests, next-flush publishing (default)", () => {
  it("are started by one flush and published by the next, while in-frame requests are served at once", async () => {
    const slow = new GatedBackend();
    slow.gated = false;
    const fast = new GatedBackend();
    fast.gated = false;
    const backends = [slow, fast];
    const host = new BatchingNeuralHost(
      [
        { name: "Planner", path: "/p", backend: "onnx" },
        { name: "Executor", path: "/e", backend: "onnx" },
      ],
      { open: async (c) => backends[c.path === "/p" ? 0 : 1] },
    );
    const plan = host.submit(0, [new Float32Array([3])], { async: true });
    const act = host.submit(1, [new Float32Array([5])]);
    await host.flush();
    expect(value(host.result(act))).toBe(10);
    expect(value(host.result(plan))).toBeUndefined();
    expect(host.pending).toBe(true);
    await host.flush();
    expect(value(host.result(plan))).toBe(6);
    expect(host.pending).toBe(false);
  });

  it("leaves requests submitted while a flush awaits its engine to the next flush, in-frame and async alike", async () => {
    const gated = new GatedBackend();
    const host = new BatchingNeuralHost([{ name: "M", path: "/m", backend: "onnx" }], { open: async () => gated });
    const first = host.submit(0, [new Float32Array([1])]);
    const flushing = host.flush();
    await settle();
    // The first flush is waiting for its batch; these arrive meanwhile.
    const lateSync = host.submit(0, [new Float32Array([2])]);
    const lateAsync = host.submit(0, [new Float32Array([3])], { async: true });
    gated.open();
    await flushing;
    expect([value(host.result(first)), value(host.result(lateSync)), value(host.result(lateAsync))]).toEqual([2, undefined, undefined]);
    expect(gated.batchSizes).toEqual([1]);
    gated.gated = false;
    await host.flush();
    expect(value(host.result(lateSync))).toBe(4);
    await host.flush();
    expect(value(host.result(lateAsync))).toBe(6);
  });

  it("waits at the next flush for a batch that is still running, so runs are reproducible", async () => {
    const gated = new GatedBackend();
    const host = new BatchingNeuralHost([{ name: "Planner", path: "/p", backend: "onnx" }], { open: async () => gated });
    const t = host.submit(0, [new Float32Array([4])], { async: true });
    await host.flush();
    let published = false;
    const second = host.flush().then(() => (published = true));
    await settle();
    expect(published).toBe(false);
    gated.open();
    await second;
    expect(value(host.result(t))).toBe(8);
  });

  it("copies async inputs at submit, so the agent may reuse its buffer", async () => {
    const backend = new GatedBackend();
    backend.gated = false;
    const host = new BatchingNeuralHost([{ name: "Planner", path: "/p", backend: "onnx" }], { open: async () => backend });
    const buffer = new Float32Array([1]);
    const t = host.submit(0, [buffer], { async: true });
    buffer[0] = 100;
    await host.flush();
    await host.flush();
    expect(value(host.result(t))).toBe(2);
  });

  it("drops a result whose ticket was released while in flight (preemption or timeout)", async () => {
    const gated = new GatedBackend();
    const host = new BatchingNeuralHost([{ name: "Planner", path: "/p", backend: "onnx" }], { open: async () => gated });
    const stale = host.submit(0, [new Float32Array([1])], { async: true });
    await host.flush();
    host.release(stale);
    gated.open();
    await host.flush();
    expect(host.result(stale)).toBeUndefined();
    expect(host.stats.results).toBe(0);
  });
});

describe("asynchronous requests, when-done publishing", () => {
  it("never blocks a flush; the result appears at the first flush after the batch completes", async () => {
    const gated = new GatedBackend();
    const host = new BatchingNeuralHost([{ name: "Planner", path: "/p", backend: "onnx" }], {
      open: async () => gated,
      asyncPublish: "when-done",
    });
    const t = host.submit(0, [new Float32Array([7])], { async: true });
    await host.flush();
    await host.flush();
    await host.flush();
    expect(host.result(t)).toBeUndefined();
    // A request made while the model's batch is in flight waits for the next batch.
    const queued = host.submit(0, [new Float32Array([1])], { async: true });
    await host.flush();
    expect(gated.batchSizes).toEqual([1]);
    gated.open();
    await settle();
    // Finished, but visible only from the next flush: results never change in the middle of a frame.
    expect(host.result(t)).toBeUndefined();
    await host.flush();
    expect(value(host.result(t))).toBe(14);
    expect(gated.batchSizes).toEqual([1, 1]);
    gated.open();
    await settle();
    await host.flush();
    expect(value(host.result(queued))).toBe(2);
    await host.close();
  });

  it("batches every async request queued for a model between flushes into one call", async () => {
    const gated = new GatedBackend();
    gated.gated = false;
    const host = new BatchingNeuralHost([{ name: "Planner", path: "/p", backend: "onnx" }], {
      open: async () => gated,
      asyncPublish: "when-done",
    });
    const tickets = [1, 2, 3].map((v) => host.submit(0, [new Float32Array([v])], { async: true }));
    await host.flush();
    await settle();
    await host.flush();
    expect(gated.batchSizes).toEqual([3]);
    expect(tickets.map((t) => value(host.result(t)))).toEqual([2, 4, 6]);
  });
});
