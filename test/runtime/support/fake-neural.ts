// A NeuralHost whose "models" are plain TypeScript functions, recording every batch it runs.
import type { InferenceInputs, InferenceResult, NeuralHost } from "../../../src/runtime/neural/host.ts";

export type FakeModel = (inputs: readonly Float32Array[]) => Float32Array[] | Error;

export class FakeNeuralHost implements NeuralHost {
  /** One entry per batched call: the model index and how many requests it served. */
  readonly batches: { model: number; size: number }[] = [];
  flushes = 0;
  private next = 1;
  private queue: { ticket: number; model: number; inputs: InferenceInputs }[] = [];
  private results = new Map<number, InferenceResult>();
  /** Tickets released by the runtime (preemption or consumption). */
  readonly released: number[] = [];
  /** Every submit as the runtime made it: the input rows it passed (not copied) and its options. */
  readonly submits: { inputs: InferenceInputs; async: boolean }[] = [];
  /** When set, flush() leaves requests queued (simulates a slow asynchronous model). */
  hold = false;

  constructor(private readonly models: FakeModel[]) {}

  get pending(): boolean {
    return this.queue.length > 0;
  }
  submit(model: number, inputs: InferenceInputs, options?: { async?: boolean }): number {
    this.submits.push({ inputs, async: options?.async === true });
    const ticket = this.next++;
    this.queue.push({ ticket, model, inputs: inputs.map((x) => Float32Array.from(x)) });
    return ticket;
  }
  async flush(): Promise<void> {
    this.flushes++;
    if (this.hold) return;
    const queue = this.queue;
    this.queue = [];
    const byModel = new Map<number, typeof queue>();
    for (const r of queue) {
      if (!byModel.has(r.model)) byModel.set(r.model, []);
      byModel.get(r.model)!.push(r);
    }
    for (const [model, reqs] of byModel) {
      this.batches.push({ model, size: reqs.length });
      for (const r of reqs) {
        const out = this.models[model]!(r.inputs);
        this.results.set(r.ticket, out instanceof Error ? { ok: false, code: "FAKE", message: out.message } : { ok: true, outputs: out });
      }
    }
  }
  result(ticket: number): InferenceResult | undefined {
    return this.results.get(ticket);
  }
  release(ticket: number): void {
    this.released.push(ticket);
    this.results.delete(ticket);
    this.queue = this.queue.filter((r) => r.ticket !== ticket);
  }
  async close(): Promise<void> {}
}
