// Pre- and post-processing around infer nodes: the numeric helpers behind the spec's normalisation, argmax,
// sampling, clipping, action chunks and iterative refinement. Every random draw takes the agent's seeded Rng,
// so a run is a pure function of (seed, inputs). Helpers that write take an optional `out` buffer so the tick
// loop can reuse memory instead of allocating.
import type { Rng } from "../rng.ts";
import { gaussian } from "../rng.ts";
import type { InferenceInputs, InferenceResult, NeuralHost, SubmitOptions } from "./host.ts";

type Numbers = ArrayLike<number>;

/**
 * Copies `count` values from `src[from]` on to `dst[to]` on. Unrolled by four: a plain loop over a short row
 * (an agent's 8 outputs) measured about 1.5× slower, and this copy runs for every agent that reads a result.
 */
export function copyValues(src: Numbers, from: number, dst: Float32Array | Float64Array, to: number, count: number): void {
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    dst[to + k] = src[from + k];
    dst[to + k + 1] = src[from + k + 1];
    dst[to + k + 2] = src[from + k + 2];
    dst[to + k + 3] = src[from + k + 3];
  }
  for (; k < count; k++) dst[to + k] = src[from + k];
}

/** Either one value for every element or one value per element. */
export type PerElement = number | Numbers;

function at(p: PerElement, i: number): number {
  return typeof p === "number" ? p : p[i];
}

/**
 * (x - mean) / std elementwise. A std of 0 (or below) would divide by zero; such elements become 0, which is
 * where a constant feature sits after normalisation.
 */
export function normalise(values: Numbers, mean: PerElement, std: PerElement, out: Float32Array = new Float32Array(values.length)): Float32Array {
  const n = values.length;
  if (typeof mean === "number" && typeof std === "number") {
    // The common scalar case, kept free of per-element dispatch: it runs once per agent per frame.
    if (!(std > 0)) return out.fill(0, 0, n);
    for (let i = 0; i < n; i++) out[i] = (values[i] - mean) / std;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const s = at(std, i);
    out[i] = s > 0 ? (values[i] - at(mean, i)) / s : 0;
  }
  return out;
}

/** The inverse of normalise: x * std + mean (for models whose outputs are normalised actions). */
export function denormalise(values: Numbers, mean: PerElement, std: PerElement, out: Float32Array = new Float32Array(values.length)): Float32Array {
  for (let i = 0; i < values.length; i++) out[i] = values[i] * at(std, i) + at(mean, i);
  return out;
}

/** Elementwise clamp to [lo, hi]; NaN becomes lo so nothing non-finite leaves a clip. */
export function clip(values: Numbers, lo: PerElement, hi: PerElement, out: Float32Array = new Float32Array(values.length)): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const l = at(lo, i);
    const h = at(hi, i);
    const v = values[i];
    out[i] = v > h ? h : v >= l ? v : l;
  }
  return out;
}

/** Index of the largest value, the first one on ties; NaN never wins. -1 for an empty range. */
export function argmax(values: Numbers, start = 0, length = values.length - start): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i++) {
    const v = values[start + i];
    if (v > bestValue || (best < 0 && v === bestValue)) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * Draws an index with probability proportional to its weight. Negative and non-finite weights count as 0. When
 * no weight is positive the draw is uniform, so a degenerate model output still yields a valid index. Uses
 * exactly one draw from `rng` for a non-empty input, whatever the weights, so the stream stays aligned across
 * agents and replays. Returns -1 (and draws nothing) for an empty input.
 */
export function sampleCategorical(weights: Numbers, rng: Rng): number {
  const n = weights.length;
  if (n === 0) return -1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (w > 0 && w < Number.POSITIVE_INFINITY) total += w;
  }
  const u = rng.next();
  if (!(total > 0)) return Math.min(n - 1, Math.floor(u * n));
  let threshold = u * total;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w > 0 && w < Number.POSITIVE_INFINITY)) continue;
    last = i;
    threshold -= w;
    if (threshold < 0) return i;
  }
  // Rounding can leave a sliver past the last positive weight: it belongs to that weight.
  return last;
}

/**
 * softmax(logits / temperature) into `out`. Subtracts the maximum first so large logits do not overflow.
 * A temperature of 0 or below gives a one-hot on the argmax.
 */
export function softmax(logits: Numbers, temperature = 1, out: Float32Array = new Float32Array(logits.length)): Float32Array {
  const n = logits.length;
  if (n === 0) return out;
  if (!(temperature > 0)) {
    out.fill(0);
    const best = argmax(logits);
    if (best >= 0) out[best] = 1;
    return out;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((logits[i] - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** Samples from softmax(logits / temperature); one draw from `rng`. */
export function sampleLogits(logits: Numbers, rng: Rng, temperature = 1, scratch: Float32Array = new Float32Array(logits.length)): number {
  return sampleCategorical(softmax(logits, temperature, scratch), rng);
}

/** mean + std · z with z standard normal (two draws from `rng`, always, even when std is 0). */
export function sampleGaussian(mean: number, std: number, rng: Rng): number {
  const z = gaussian(rng);
  return std > 0 ? mean + std * z : mean;
}

/** A diagonal Gaussian draw per element (e.g. a continuous action from a mean and a std head). */
export function sampleGaussianVector(mean: Numbers, std: PerElement, rng: Rng, out: Float32Array = new Float32Array(mean.length)): Float32Array {
  for (let i = 0; i < mean.length; i++) out[i] = sampleGaussian(mean[i], at(std, i), rng);
  return out;
}

// ---------------------------------------------------------------------------------------------- action chunks

/**
 * One step of an action chunk: a model output holding `steps` consecutive actions, played one per tick. Returns
 * a view (no copy) of step `step` (0-based). Throws a RangeError when the output does not divide into `steps`
 * equal parts or the step is out of range: both are caught by the signature check before a policy runs.
 */
export function chunkStep(output: Float32Array, steps: number, step: number): Float32Array {
  if (!Number.isInteger(steps) || steps < 1 || output.length % steps !== 0) {
    throw new RangeError(`an output of ${output.length} values does not split into ${steps} steps`);
  }
  if (!Number.isInteger(step) || step < 0 || step >= steps) throw new RangeError(`step ${step} is outside 0..${steps - 1}`);
  const size = output.length / steps;
  return output.subarray(step * size, (step + 1) * size);
}

/**
 * Per-agent playback of action chunks. `load` latches a new chunk (dropping what is left of the old one),
 * `next` returns the current step's outputs and advances, `drop` forgets the chunk (preemption). An agent
 * needs a new inference exactly when `exhausted` is true.
 */
export class ChunkCursor {
  private outputs: readonly Float32Array[] = [];
  private steps = 0;
  private step = 0;

  load(outputs: readonly Float32Array[], steps: number): void {
    for (const o of outputs) chunkStep(o, steps, 0);
    this.outputs = outputs;
    this.steps = steps;
    this.step = 0;
  }

  get exhausted(): boolean {
    return this.step >= this.steps;
  }

  /** Steps left to play, including the one `next` would return. */
  get remaining(): number {
    return this.steps - this.step;
  }

  /** The current step of every output, then advances; undefined once exhausted. */
  next(): Float32Array[] | undefined {
    if (this.exhausted) return undefined;
    const step = this.step++;
    return this.outputs.map((o) => chunkStep(o, this.steps, step));
  }

  drop(): void {
    this.outputs = [];
    this.steps = 0;
    this.step = 0;
  }
}

// -------------------------------------------------------------------------------------- iterative refinement

export interface Refinement {
  /** Extra runs after the first one. */
  readonly times: number;
  /** Model input that receives the previous run's output. */
  readonly from: number;
  /** Model output fed back. */
  readonly to: number;
}

/** The inputs of the next refinement run: `inputs` with input `from` replaced by output `to` of `result`. */
export function refinedInputs(inputs: InferenceInputs, result: InferenceResult & { ok: true }, refine: Refinement): Float32Array[] {
  const next = inputs.slice();
  next[refine.from] = result.outputs[refine.to];
  return next;
}

/**
 * Iterative refinement for many agents at once, as few-step diffusion policies need: every agent's request is
 * run `times + 1` times, each run feeding output `to` back into input `from`, and every round is one flush, so
 * all agents share one batched engine call per round. An agent whose run fails stops with that failure; the
 * others continue. The result of each agent is its last run's result.
 */
export async function refineBatch(
  host: NeuralHost,
  model: number,
  requests: readonly InferenceInputs[],
  refine: Refinement,
  options?: SubmitOptions,
): Promise<InferenceResult[]> {
  const results: (InferenceResult | undefined)[] = requests.map(() => undefined);
  let current: (InferenceInputs | undefined)[] = requests.slice();
  for (let round = 0; round <= refine.times; round++) {
    const tickets = current.map((inputs) => (inputs ? host.submit(model, inputs, options) : -1));
    do await host.flush();
    while (tickets.some((t) => t >= 0 && host.result(t) === undefined) && host.pending);
    current = tickets.map((ticket, agent) => {
      if (ticket < 0) return undefined;
      const answer = host.result(ticket) ?? { ok: false, code: "HP8101", message: "inference gave no result" };
      // Copy before releasing: a host may reuse a released ticket's result memory (reuseResults).
      const result: InferenceResult = answer.ok ? { ok: true, outputs: answer.outputs.map((o) => o.slice()) } : answer;
      host.release(ticket);
      results[agent] = result;
      return result.ok && round < refine.times ? refinedInputs(current[agent]!, result, refine) : undefined;
    });
  }
  return results.map((r) => r!);
}
