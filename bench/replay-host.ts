// An engine-less NeuralHost for "tree time" rows (the neural benchmark and W4): the k-th request since the last
// flush gets row k of outputs loaded beforehand — the model's real outputs for those requests — so the tree's own
// work on them (an argmax whose branches depend on the values, decisions that follow) costs what it costs in the
// real frame. It keeps no books, and offers the same bulk read as BatchingNeuralHost (validated rows,
// takeResult with the same copy), so the infer node takes the same path with either host and "tree time" is not
// inflated by a slower one.
import type { InferenceInputs, InferenceResult, NeuralHost } from "../src/runtime/neural/host.ts";
import { copyValues } from "../src/runtime/neural/processing.ts";

export class ReplayHost implements NeuralHost {
  readonly validatesResults = true;
  private readonly scores: Float32Array;
  /** Views made once, for callers of result(). */
  private readonly answers: InferenceResult[];
  private next = 0;
  private queued = false;

  constructor(
    agents: number,
    private readonly width: number,
  ) {
    this.scores = new Float32Array(agents * width);
    this.answers = Array.from({ length: agents }, (_v, k) => ({ ok: true as const, outputs: [this.scores.subarray(k * width, (k + 1) * width)] }));
  }

  /** The outputs of the coming requests, in request order (null: keep the loaded ones). */
  load(scores: Float32Array | null, count: number): void {
    if (scores) this.scores.set(scores.subarray(0, count * this.width));
    this.next = 0;
  }

  get pending(): boolean {
    return this.queued;
  }
  submit(_model: number, _inputs: InferenceInputs): number {
    this.queued = true;
    return ++this.next;
  }
  async flush(): Promise<void> {
    this.queued = false;
    this.next = 0;
  }
  result(ticket: number): InferenceResult | undefined {
    return this.answers[ticket - 1];
  }
  takeResult(ticket: number, sizes: readonly number[], dst: Float32Array | Float64Array, base: number, offsets: readonly number[]): number {
    if (sizes.length !== 1 || sizes[0] !== this.width) return -1;
    copyValues(this.scores, (ticket - 1) * this.width, dst, base + offsets[0], this.width);
    return 1;
  }
  release(_ticket: number): void {}
  async close(): Promise<void> {}
}
