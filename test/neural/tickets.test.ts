import { describe, expect, it } from "vitest";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { GatedBackend } from "./gated-backend.ts";

function doublingHost(): { host: BatchingNeuralHost; backend: GatedBackend } {
  const backend = new GatedBackend();
  backend.gated = false;
  const host = new BatchingNeuralHost([{ name: "Double", path: "/d", backend: "onnx" }], { open: async () => backend });
  return { host, backend };
}

function valueOf(host: BatchingNeuralHost, ticket: number): number | undefined {
  const r = host.result(ticket);
  return r?.ok ? r.outputs[0][0] : undefined;
}

describe("tickets", () => {
  it("a released ticket stays dead after its slot is reused by a new request", async () => {
    const { host } = doublingHost();
    const old = host.submit(0, [new Float32Array([1])]);
    await host.flush();
    expect(valueOf(host, old)).toBe(2);
    host.release(old);
    const fresh = host.submit(0, [new Float32Array([5])]);
    expect(fresh).not.toBe(old);
    await host.flush();
    expect(host.result(old)).toBeUndefined();
    expect(valueOf(host, fresh)).toBe(10);
    // Releasing the old ticket again must not free the new request's slot.
    host.release(old);
    expect(valueOf(host, fresh)).toBe(10);
  });

  it("keeps thousands of live tickets apart as its tables grow", async () => {
    const { host } = doublingHost();
    const tickets = Array.from({ length: 5000 }, (_v, i) => host.submit(0, [new Float32Array([i])]));
    expect(new Set(tickets).size).toBe(5000);
    await host.flush();
    expect(tickets.every((t, i) => valueOf(host, t) === 2 * i)).toBe(true);
  });

  it("issues positive int32 tickets, also after a slot's generation counter wraps", async () => {
    const { host } = doublingHost();
    const seen = new Set<number>();
    let allInt32 = true;
    for (let i = 0; i < 9000; i++) {
      const t = host.submit(0, [new Float32Array([i])]);
      allInt32 &&= (t | 0) === t && t > 0;
      seen.add(t);
      host.release(t);
    }
    expect(allInt32).toBe(true);
    // One slot reused 9,000 times: its generation wrapped once, so earlier tickets recur, never a live one.
    expect(seen.size).toBeGreaterThan(8000);
    const live = host.submit(0, [new Float32Array([21])]);
    await host.flush();
    expect(valueOf(host, live)).toBe(42);
  });

  it("in-frame requests submitted while a flush runs wait for the next flush", async () => {
    const backend = new GatedBackend();
    const host = new BatchingNeuralHost([{ name: "Double", path: "/d", backend: "onnx" }], { open: async () => backend });
    const first = [1, 2].map((v) => host.submit(0, [new Float32Array([v])]));
    const flushing = host.flush();
    // Same model as the submits before the flush: these must not join the batch that is already running.
    const later = [3, 4].map((v) => host.submit(0, [new Float32Array([v])]));
    await new Promise((resolve) => setImmediate(resolve));
    backend.open();
    await flushing;
    expect(first.map((t) => valueOf(host, t))).toEqual([2, 4]);
    expect(later.map((t) => host.result(t))).toEqual([undefined, undefined]);
    expect(host.pending).toBe(true);
    const next = host.flush();
    await new Promise((resolve) => setImmediate(resolve));
    backend.open();
    await next;
    expect(later.map((t) => valueOf(host, t))).toEqual([6, 8]);
    expect(backend.batchSizes).toEqual([2, 2]);
  });

  it("unknown tickets have no result", () => {
    const { host } = doublingHost();
    expect(host.result(12345)).toBeUndefined();
    expect(() => host.release(12345)).not.toThrow();
  });
});

describe("batch assembly", () => {
  it("uses rows that lie back to back in one buffer without copying them, also on later frames", async () => {
    const { host, backend } = doublingHost();
    const slab = new Float32Array([1, 2, 3, 4]);
    const rows = [0, 1, 2, 3].map((i) => slab.subarray(i, i + 1));
    const tickets = rows.map((row) => host.submit(0, [row]));
    await host.flush();
    expect(backend.batchBuffers[0]).toBe(slab.buffer);
    expect(tickets.map((t) => valueOf(host, t))).toEqual([2, 4, 6, 8]);
    // The next frame submits the same rows with new values: recognised by identity, still read in place.
    slab.set([5, 6, 7, 8]);
    const again = rows.map((row) => host.submit(0, [row]));
    await host.flush();
    expect(backend.batchBuffers[1]).toBe(slab.buffer);
    expect(again.map((t) => valueOf(host, t))).toEqual([10, 12, 14, 16]);
    // The same rows in another order are not back to back in request order: copied, and still right.
    const reversed = [...rows].reverse().map((row) => host.submit(0, [row]));
    await host.flush();
    expect(backend.batchBuffers[2]).not.toBe(slab.buffer);
    expect(reversed.map((t) => valueOf(host, t))).toEqual([16, 14, 12, 10]);
  });

  it("after a verified frame, tells a released, added, missing or malformed row apart from the verified sequence", async () => {
    const { host, backend } = doublingHost();
    const slab = new Float32Array([1, 2, 3, 4, 5]);
    const rows = [0, 1, 2, 3, 4].map((i) => slab.subarray(i, i + 1));
    const frame = async (requests: Float32Array[][], release: number[] = []) => {
      const tickets = requests.map((inputs) => host.submit(0, inputs));
      for (const k of release) host.release(tickets[k]);
      await host.flush();
      return tickets.map((t, k) => (release.includes(k) ? null : valueOf(host, t)));
    };
    const four = rows.slice(0, 4).map((r) => [r]);
    expect(await frame(four)).toEqual([2, 4, 6, 8]);
    expect(await frame(four)).toEqual([2, 4, 6, 8]);
    expect(backend.batchBuffers[1]).toBe(slab.buffer);
    // The verified rows with one released in the middle: no longer back to back, so copied.
    expect(await frame(four, [1])).toEqual([2, null, 6, 8]);
    expect(backend.batchBuffers[2]).not.toBe(slab.buffer);
    // One row more than verified, then a prefix of the verified rows: both still back to back in the slab.
    expect(await frame(rows.map((r) => [r]))).toEqual([2, 4, 6, 8, 10]);
    expect(await frame(rows.slice(0, 3).map((r) => [r]))).toEqual([2, 4, 6]);
    expect(backend.batchSizes.slice(3)).toEqual([5, 3]);
    // A request with an extra input among verified rows fails alone.
    const mixed = rows.slice(0, 3).map((r) => [r]);
    mixed[1] = [rows[1], rows[2]];
    const tickets = mixed.map((inputs) => host.submit(0, inputs));
    await host.flush();
    expect([valueOf(host, tickets[0]), host.result(tickets[1])?.ok, valueOf(host, tickets[2])]).toEqual([2, false, 6]);
  });

  it("copies rows that are out of order, gapped or separate, with the same results", async () => {
    const { host, backend } = doublingHost();
    const slab = new Float32Array([1, 2, 3, 4, 5]);
    const layouts = [
      [slab.subarray(1, 2), slab.subarray(0, 1)],
      [slab.subarray(0, 1), slab.subarray(2, 3)],
      [new Float32Array([1]), new Float32Array([2])],
    ];
    for (const rows of layouts) {
      const tickets = rows.map((r) => host.submit(0, [r]));
      await host.flush();
      expect(backend.batchBuffers.at(-1)).not.toBe(slab.buffer);
      expect(tickets.map((t) => valueOf(host, t))).toEqual(rows.map((r) => 2 * r[0]));
    }
  });

  it("skips released requests, so a partly released slab is copied and still correct", async () => {
    const { host, backend } = doublingHost();
    const slab = new Float32Array([1, 2, 3]);
    const tickets = [0, 1, 2].map((i) => host.submit(0, [slab.subarray(i, i + 1)]));
    host.release(tickets[1]);
    await host.flush();
    expect(backend.batchSizes).toEqual([2]);
    expect(backend.batchBuffers[0]).not.toBe(slab.buffer);
    expect([valueOf(host, tickets[0]), valueOf(host, tickets[2])]).toEqual([2, 6]);
  });
});
