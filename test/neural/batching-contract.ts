// The batching contract every backend must keep, as a reusable suite: batched results equal a TypeScript
// reference and equal per-agent results bit for bit, one engine call per model per flush, released tickets
// get nothing.
import { describe, expect, it } from "vitest";
import type { NeuralModelConfig } from "../../src/runtime/neural/batching-host.ts";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import type { BackendOptions } from "../../src/runtime/neural/backend.ts";
import type { InferenceResult } from "../../src/runtime/neural/host.ts";
import type { MlpDefinition } from "../../src/runtime/neural/mlp.ts";
import { mlpForward, mlpInputSize } from "../../src/runtime/neural/mlp.ts";
import { randomRows } from "./models.ts";

export interface ContractModels {
  readonly mlp: MlpDefinition;
  /** The MLP under test. */
  readonly config: () => NeuralModelConfig;
  /** A second model (different weights or sizes) for multi-model flushes. */
  readonly other: () => { config: NeuralModelConfig; mlp: MlpDefinition };
  readonly options?: BackendOptions;
}

function outputsOf(result: InferenceResult | undefined): Float32Array[] {
  if (!result) throw new Error("no result");
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.outputs.map((o) => Float32Array.from(o));
}

export function describeBatchingContract(label: string, models: () => ContractModels): void {
  describe(`${label}: batching contract`, () => {
    it("batched results match the TypeScript reference and per-agent runs exactly", async () => {
      const { mlp, config, options } = models();
      const agents = 57;
      const rows = randomRows(agents, mlpInputSize(mlp), 101);

      const batched = new BatchingNeuralHost([config()], options);
      const tickets = rows.map((row) => batched.submit(0, [row]));
      expect(batched.pending).toBe(true);
      expect(batched.result(tickets[0])).toBeUndefined();
      await batched.flush();
      expect(batched.pending).toBe(false);
      expect(batched.stats.batches).toBe(1);
      expect(batched.stats.rows).toBe(agents);
      const batchedOut = tickets.map((t) => outputsOf(batched.result(t))[0]);
      await batched.close();

      const single = new BatchingNeuralHost([config()], options);
      const singleOut: Float32Array[] = [];
      for (const row of rows) {
        const t = single.submit(0, [row]);
        await single.flush();
        singleOut.push(outputsOf(single.result(t))[0]);
      }
      expect(single.stats.batches).toBe(agents);
      await single.close();

      expect(batchedOut).toEqual(singleOut);
      const reference = mlpForward(mlp, rows.flatMap((r) => Array.from(r)), agents);
      const outSize = batchedOut[0].length;
      let maxError = 0;
      batchedOut.forEach((out, a) => {
        for (let k = 0; k < outSize; k++) maxError = Math.max(maxError, Math.abs(out[k] - reference[a * outSize + k]));
      });
      expect(maxError).toBeLessThan(1e-5);
    });

    it("runs one batch per model per flush and keeps each agent's rows apart", async () => {
      const { mlp, config, other, options } = models();
      const second = other();
      const host = new BatchingNeuralHost([config(), second.config], options);
      const a = randomRows(10, mlpInputSize(mlp), 5);
      const b = randomRows(7, mlpInputSize(second.mlp), 6);
      // Interleave submissions to both models.
      const ta: number[] = [];
      const tb: number[] = [];
      for (let i = 0; i < 10; i++) {
        ta.push(host.submit(0, [a[i]]));
        if (i < 7) tb.push(host.submit(1, [b[i]]));
      }
      await host.flush();
      expect(host.stats.batches).toBe(2);
      const refA = mlpForward(mlp, a.flatMap((r) => Array.from(r)), 10);
      const refB = mlpForward(second.mlp, b.flatMap((r) => Array.from(r)), 7);
      const close = (out: Float32Array, ref: Float64Array, row: number) =>
        Array.from(out).every((v, k) => Math.abs(v - ref[row * out.length + k]) < 1e-5);
      expect(ta.every((t, i) => close(outputsOf(host.result(t))[0], refA, i))).toBe(true);
      expect(tb.every((t, i) => close(outputsOf(host.result(t))[0], refB, i))).toBe(true);
      await host.close();
    });

    it("splits queues longer than maxBatch into several engine calls with identical results", async () => {
      const { mlp, config, options } = models();
      const rows = randomRows(23, mlpInputSize(mlp), 9);
      const whole = new BatchingNeuralHost([config()], options);
      const split = new BatchingNeuralHost([config()], { ...options, maxBatch: 5 });
      const tw = rows.map((r) => whole.submit(0, [r]));
      const ts = rows.map((r) => split.submit(0, [r]));
      await Promise.all([whole.flush(), split.flush()]);
      expect(split.stats.batches).toBe(5);
      expect(ts.map((t) => outputsOf(split.result(t)))).toEqual(tw.map((t) => outputsOf(whole.result(t))));
      await Promise.all([whole.close(), split.close()]);
    });

    it("drops the result of a ticket released before its flush and serves the others", async () => {
      const { mlp, config, options } = models();
      const host = new BatchingNeuralHost([config()], options);
      const rows = randomRows(3, mlpInputSize(mlp), 4);
      const [t0, t1, t2] = rows.map((r) => host.submit(0, [r]));
      host.release(t1);
      await host.flush();
      expect(host.stats.rows).toBe(2);
      expect(host.result(t1)).toBeUndefined();
      expect(host.result(t0)?.ok).toBe(true);
      host.release(t0);
      expect(host.result(t0)).toBeUndefined();
      expect(host.result(t2)?.ok).toBe(true);
      await host.close();
    });

    it("takeResult copies each agent's row in place, exactly as result() holds it, and defers to result() otherwise", async () => {
      const { mlp, config, options } = models();
      for (const reuseResults of [false, true]) {
        const host = new BatchingNeuralHost([config()], { ...options, reuseResults });
        const inputSize = mlpInputSize(mlp);
        const rows = randomRows(6, inputSize, 12);
        const tickets = rows.map((r) => host.submit(0, [r]));
        const malformed = host.submit(0, [new Float32Array(inputSize + 1)]);
        const later = host.submit(0, [rows[0]], { async: true });
        host.release(tickets[2]);
        const size = mlp.layers[mlp.layers.length - 1].outputSize;
        const dst = new Float64Array(rows.length * (size + 3));
        // Before the flush nothing is there to take.
        expect(host.takeResult(tickets[0], [size], dst, 0, [0])).toBe(0);
        await host.flush();
        tickets.forEach((t, a) => {
          const base = a * (size + 3);
          if (a === 2) return expect(host.takeResult(t, [size], dst, base, [3])).toBe(0);
          // Another output count or size than the result's sends the caller to result(), and the ticket stays.
          expect(host.takeResult(t, [size + 1], dst, base, [3])).toBe(-1);
          expect(host.takeResult(t, [size, size], dst, base, [3, 3])).toBe(-1);
          const held = Array.from(outputsOf(host.result(t))[0]);
          dst.fill(0);
          expect(host.takeResult(t, [size], dst, base, [3])).toBe(1);
          expect(Array.from(dst.subarray(base + 3, base + 3 + size))).toEqual(held);
          expect(dst.subarray(base, base + 3).every((v) => v === 0)).toBe(true);
          // Taken means released.
          expect(host.result(t)).toBeUndefined();
          expect(host.takeResult(t, [size], dst, base, [3])).toBe(0);
        });
        expect(host.takeResult(malformed, [size], dst, 0, [0])).toBe(-1);
        expect(host.result(malformed)).toMatchObject({ ok: false, code: "HP8104" });
        // An asynchronous result is an object: it is read with result().
        await host.flush();
        expect(host.result(later)?.ok).toBe(true);
        expect(host.takeResult(later, [size], dst, 0, [0])).toBe(-1);
        await host.close();
      }
    });

    it("keeps results for later flushes and opens the model once", async () => {
      const { mlp, config, options } = models();
      let opens = 0;
      const host = new BatchingNeuralHost([config()], {
        ...options,
        open: async (c) => {
          opens++;
          const { openBackend } = await import("../../src/runtime/neural/backend.ts");
          return openBackend(c.path, c.backend, options);
        },
      });
      const rows = randomRows(2, mlpInputSize(mlp), 8);
      const first = host.submit(0, [rows[0]]);
      await host.flush();
      const firstOut = outputsOf(host.result(first));
      const second = host.submit(0, [rows[1]]);
      await host.flush();
      expect(outputsOf(host.result(first))).toEqual(firstOut);
      expect(host.result(second)?.ok).toBe(true);
      expect(opens).toBe(1);
      await host.close();
      await host.close();
    });
  });
}
