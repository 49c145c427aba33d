// The NeuralHost that batches across agents: every request queued for a model between two flushes runs in one
// engine call, and each agent's rows are sliced out of the batch outputs. Faults never reject and never throw
// out of the host: they become `{ ok: false, code, message }` results for exactly the requests they affect.
//
// Invariants:
// - `result(ticket)` changes only inside `submit` (immediate errors) and `flush` (batch results), so within one
//   frame of ticks an agent always sees the same answer.
// - In-frame requests (the default) have their result when the `flush()` that follows their submit resolves.
// - Asynchronous requests are started by a flush and published by a later one. With `asyncPublish:
//   "next-flush"` (the default) that is exactly the next flush, which waits for the batch if it is still
//   running, so a run stays a pure function of its inputs. With "when-done" a batch that takes longer than a
//   frame is published at the first flush after it completes, and the frame loop never waits for it.
// - A released ticket's result is dropped, including a result still in flight (preemption, timeout).
import { isAbsolute, resolve } from "node:path";
import type { IRModel } from "../ir.ts";
import type { BackendOptions, DenseTensor, InferenceBackend } from "./backend.ts";
import { ModelLoadError, openBackend } from "./backend.ts";
import { neuralCodes } from "./errors.ts";
import type { InferenceInputs, InferenceResult, ModelInfo, NeuralHost, SubmitOptions, TensorInfo } from "./host.ts";
import type { ModelBackend } from "./model-info.ts";

export interface NeuralModelConfig {
  /** The model's name in the spec, used in error messages. */
  readonly name: string;
  /** Absolute path of the .onnx file or the TF.js model.json (or its directory). */
  readonly path: string;
  readonly backend: ModelBackend;
  /**
   * Declared per-agent shapes (batch dimension excluded) of the inputs and outputs, in model order. Outputs are
   * checked against them; inputs use them to size dimensions the model file leaves open. Strings and nulls match
   * any size. When omitted, the model file's own shapes are used.
   */
  readonly inputShapes?: readonly (readonly (number | string | null)[])[];
  readonly outputShapes?: readonly (readonly (number | string | null)[])[];
}

export interface BatchingNeuralHostOptions extends BackendOptions {
  /** Largest number of requests per engine call; bigger queues are split. Default: no limit. */
  readonly maxBatch?: number;
  /** When asynchronous results become visible (see the invariants above). Default "next-flush". */
  readonly asyncPublish?: "next-flush" | "when-done";
  /** Opens a model's backend; replaceable for tests. Default: openBackend with these options. */
  readonly open?: (config: NeuralModelConfig) => Promise<InferenceBackend>;
}

/** Counters for tests and benchmarks. */
export interface NeuralHostStats {
  /** Engine calls made. */
  batches: number;
  /** Requests that reached an engine call. */
  rows: number;
  /** Results published, successful or not. */
  results: number;
}

interface Request {
  readonly ticket: number;
  readonly inputs: InferenceInputs;
}

/** How a loaded model is fed: resolved once when its backend opens. */
interface ModelPlan {
  readonly backend: InferenceBackend;
  /** False when the model's leading dimension is fixed: each request then runs alone with the full shape. */
  readonly batched: boolean;
  /** Per-agent dims of each input (batch excluded when batched); null entries are sized from the request. */
  readonly inputDims: readonly (readonly (number | null)[])[];
  /** Per-agent dims each output must have; null matches any size. */
  readonly outputDims: readonly (readonly (number | null)[])[];
}

type OpenState = { readonly ok: true; readonly plan: ModelPlan } | { readonly ok: false; readonly error: InferenceResult };

function failure(code: string, message: string): InferenceResult {
  return { ok: false, code, message };
}

function describeShape(dims: readonly (number | string | null)[]): string {
  return `[${dims.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function fixedOrNull(dims: readonly (number | string | null)[]): (number | null)[] {
  return dims.map((d) => (typeof d === "number" ? d : null));
}

/** A leading dimension that is symbolic or unknown is the batch dimension. */
function isBatchDim(d: number | string | null | undefined): boolean {
  return d === null || typeof d === "string";
}

function planFor(config: NeuralModelConfig, backend: InferenceBackend): ModelPlan {
  const info: ModelInfo = backend.info;
  const batched = info.inputs.length > 0 && info.inputs.every((t) => t.shape.length > 0 && isBatchDim(t.shape[0]));
  const fromModel = (t: TensorInfo): (number | null)[] => fixedOrNull(batched ? t.shape.slice(1) : t.shape);
  const declaredOr = (model: (number | null)[], declared: readonly (number | string | null)[] | undefined, declaredWins: boolean) => {
    if (!declared) return model;
    if (declared.length !== model.length) return declaredWins ? fixedOrNull(declared) : model;
    return model.map((d, i) => {
      const decl = typeof declared[i] === "number" ? (declared[i] as number) : null;
      return declaredWins ? (decl ?? d) : (d ?? decl);
    });
  };
  return {
    backend,
    batched,
    // Inputs: the model's fixed sizes are what the engine accepts; the declaration sizes what the model leaves
    // open. A request sized for a different declaration then fails alone with HP8104.
    inputDims: info.inputs.map((t, i) => declaredOr(fromModel(t), config.inputShapes?.[i], false)),
    // Outputs: agents read them with the declared layout, so a declared size wins and the engine's output must
    // match it; a model file changed since compile time then fails with HP8103 instead of misreading rows.
    outputDims: info.outputs.map((t, i) => declaredOr(fromModel(t), config.outputShapes?.[i], true)),
  };
}

/**
 * Resolves a request row's dims from its length: fixed dims stay, a single open dim takes what is left. Returns
 * undefined when the length cannot fit.
 */
function rowDims(dims: readonly (number | null)[], length: number): number[] | undefined {
  const open = dims.filter((d) => d === null).length;
  const known = product(dims.filter((d): d is number => d !== null));
  if (open === 0) return known === length ? (dims as number[]) : undefined;
  if (open > 1 || known === 0 || length % known !== 0) return undefined;
  return dims.map((d) => (d === null ? length / known : d));
}

export class BatchingNeuralHost implements NeuralHost {
  readonly stats: NeuralHostStats = { batches: 0, rows: 0, results: 0 };
  private readonly models: readonly NeuralModelConfig[];
  private readonly options: BatchingNeuralHostOptions;
  private readonly opened = new Map<number, Promise<OpenState>>();
  private syncQueues = new Map<number, Request[]>();
  private asyncQueues = new Map<number, Request[]>();
  /** Async batches started and not yet published, per model (at most one in flight per model). */
  private readonly inFlight = new Map<number, Promise<Map<number, InferenceResult>>>();
  /** Finished async results waiting for the next flush ("when-done" mode). */
  private staged = new Map<number, InferenceResult>();
  private readonly results = new Map<number, InferenceResult>();
  /** Tickets submitted and not released: only these may receive results. */
  private readonly live = new Set<number>();
  private nextTicket = 1;
  private closed = false;

  constructor(models: readonly NeuralModelConfig[], options: BatchingNeuralHostOptions = {}) {
    this.models = models;
    this.options = options;
  }

  get pending(): boolean {
    return this.syncQueues.size > 0 || this.asyncQueues.size > 0 || this.inFlight.size > 0 || this.staged.size > 0;
  }

  submit(model: number, inputs: InferenceInputs, options: SubmitOptions = {}): number {
    const ticket = this.nextTicket++;
    this.live.add(ticket);
    const config = this.models[model];
    if (!config) {
      this.publish(ticket, failure(neuralCodes.unknownModel.code, neuralCodes.unknownModel.message({ model, count: this.models.length })));
    } else if (this.closed) {
      this.publish(ticket, failure(neuralCodes.hostClosed.code, neuralCodes.hostClosed.message({ model: config.name })));
    } else {
      const queues = options.async ? this.asyncQueues : this.syncQueues;
      let queue = queues.get(model);
      if (!queue) queues.set(model, (queue = []));
      // An async request's batch may start after the agent has moved on and reused its buffers: keep a copy.
      // In-frame requests are read during the flush the runtime awaits, so they are batched without a copy.
      queue.push({ ticket, inputs: options.async ? inputs.map((a) => a.slice()) : inputs });
    }
    return ticket;
  }

  result(ticket: number): InferenceResult | undefined {
    return this.results.get(ticket);
  }

  release(ticket: number): void {
    this.live.delete(ticket);
    this.results.delete(ticket);
    this.staged.delete(ticket);
  }

  async flush(): Promise<void> {
    try {
      await this.flushUnguarded();
    } catch (error) {
      // Unreachable by design (every step below catches its own faults); kept so flush() never rejects.
      const message = error instanceof Error ? error.message : String(error);
      for (const queue of [this.syncQueues, this.asyncQueues]) {
        for (const [model, requests] of queue) {
          for (const r of requests) this.publish(r.ticket, this.inferenceFailure(model, message));
        }
        queue.clear();
      }
    }
  }

  private async flushUnguarded(): Promise<void> {
    const syncQueues = this.syncQueues;
    const asyncQueues = this.asyncQueues;
    this.syncQueues = new Map();
    this.asyncQueues = new Map();

    // Publish async results that finished since the last flush (when-done) or that were started by it.
    const waits: Promise<void>[] = [];
    if (this.options.asyncPublish === "when-done") {
      for (const [ticket, result] of this.staged) this.publish(ticket, result);
      this.staged = new Map();
    } else {
      for (const [model, batch] of this.inFlight) {
        this.inFlight.delete(model);
        waits.push(batch.then((results) => results.forEach((result, ticket) => this.publish(ticket, result))));
      }
    }

    // In-frame batches: one engine call per model (or per maxBatch chunk), all models concurrently.
    for (const [model, requests] of syncQueues) {
      waits.push(this.runModel(model, requests).then((results) => results.forEach((r, t) => this.publish(t, r))));
    }
    await Promise.all(waits);

    // Async batches start after the in-frame ones have been served, so a slow planner model never delays a
    // frame; a model with a batch still in flight keeps its new requests queued for a later flush.
    for (const [model, requests] of asyncQueues) {
      if (this.inFlight.has(model)) {
        const queue = this.asyncQueues.get(model) ?? [];
        this.asyncQueues.set(model, [...requests, ...queue]);
        continue;
      }
      const batch = this.runModel(model, requests);
      this.inFlight.set(model, batch);
      if (this.options.asyncPublish === "when-done") {
        void batch.then((results) => {
          this.inFlight.delete(model);
          results.forEach((result, ticket) => {
            if (this.live.has(ticket)) this.staged.set(ticket, result);
          });
        });
      }
    }
  }

  /** Opens every model's session now instead of on first use (so the first frame does not pay for it). */
  async warmUp(): Promise<void> {
    await Promise.all(this.models.map((_m, i) => this.open(i)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.inFlight.values()]);
    this.inFlight.clear();
    const states = await Promise.all([...this.opened.values()]);
    this.opened.clear();
    await Promise.all(states.map((s) => (s.ok ? s.plan.backend.close().catch(() => undefined) : undefined)));
    // Requests queued but never flushed fail rather than hang.
    for (const queue of [this.syncQueues, this.asyncQueues]) {
      for (const [model, requests] of queue) {
        const name = this.models[model].name;
        for (const r of requests) this.publish(r.ticket, failure(neuralCodes.hostClosed.code, neuralCodes.hostClosed.message({ model: name })));
      }
      queue.clear();
    }
  }

  private publish(ticket: number, result: InferenceResult): void {
    if (!this.live.has(ticket)) return;
    this.results.set(ticket, result);
    this.stats.results++;
  }

  private open(model: number): Promise<OpenState> {
    let state = this.opened.get(model);
    if (!state) {
      const config = this.models[model];
      const opener = this.options.open ?? ((c: NeuralModelConfig) => openBackend(c.path, c.backend, this.options));
      state = opener(config).then(
        (backend): OpenState => ({ ok: true, plan: planFor(config, backend) }),
        (error: unknown): OpenState => {
          const reason = error instanceof ModelLoadError ? error.message : error instanceof Error ? error.message : String(error);
          return {
            ok: false,
            error: failure(neuralCodes.modelUnavailable.code, neuralCodes.modelUnavailable.message({ model: config.name, path: config.path, reason })),
          };
        },
      );
      // A failed load is remembered: a missing file fails every request fast instead of retrying every frame.
      this.opened.set(model, state);
    }
    return state;
  }

  private inferenceFailure(model: number, error: string): InferenceResult {
    return failure(neuralCodes.inferenceFailed.code, neuralCodes.inferenceFailed.message({ model: this.models[model]?.name ?? `#${model}`, error }));
  }

  /** Runs every live request of one model; resolves (never rejects) to a result per ticket. */
  private async runModel(model: number, requests: readonly Request[]): Promise<Map<number, InferenceResult>> {
    const results = new Map<number, InferenceResult>();
    const live = requests.filter((r) => this.live.has(r.ticket));
    if (live.length === 0) return results;
    const state = await this.open(model);
    if (!state.ok) {
      for (const r of live) results.set(r.ticket, state.error);
      return results;
    }
    const plan = state.plan;
    const config = this.models[model];

    // Validate each request; a malformed one fails alone and stays out of the batch.
    const accepted: { request: Request; dims: number[][] }[] = [];
    for (const r of live) {
      const dims = this.requestDims(config, plan, r, results);
      if (dims) accepted.push({ request: r, dims });
    }

    // Rows with differently sized open dims cannot share a tensor: group them by their dims.
    const groups = new Map<string, typeof accepted>();
    for (const a of accepted) {
      const key = a.dims.map((d) => d.join("x")).join("|");
      const group = groups.get(key);
      if (group) group.push(a);
      else groups.set(key, [a]);
    }
    const limit = plan.batched ? Math.max(1, this.options.maxBatch ?? Number.POSITIVE_INFINITY) : 1;
    for (const group of groups.values()) {
      for (let start = 0; start < group.length; start += limit) {
        const chunk = group.slice(start, start + limit);
        await this.runBatch(model, plan, chunk.map((c) => c.request), chunk[0].dims, results);
      }
    }
    return results;
  }

  private requestDims(config: NeuralModelConfig, plan: ModelPlan, r: Request, results: Map<number, InferenceResult>): number[][] | undefined {
    const info = plan.backend.info;
    if (r.inputs.length !== plan.inputDims.length) {
      const code = neuralCodes.wrongInputSize;
      results.set(
        r.ticket,
        failure(code.code, `request for model \`${config.name}\` gives ${r.inputs.length} input(s), the model takes ${plan.inputDims.length}`),
      );
      return undefined;
    }
    const dims: number[][] = [];
    for (let i = 0; i < plan.inputDims.length; i++) {
      const resolved = rowDims(plan.inputDims[i], r.inputs[i].length);
      if (!resolved) {
        const known = plan.inputDims[i].every((d) => d !== null) ? product(plan.inputDims[i] as number[]) : -1;
        const code = neuralCodes.wrongInputSize;
        results.set(
          r.ticket,
          failure(code.code, code.message({ model: config.name, input: info.inputs[i].name, expected: known, actual: r.inputs[i].length })),
        );
        return undefined;
      }
      dims.push(resolved);
    }
    return dims;
  }

  private async runBatch(
    model: number,
    plan: ModelPlan,
    requests: readonly Request[],
    dims: readonly number[][],
    results: Map<number, InferenceResult>,
  ): Promise<void> {
    const config = this.models[model];
    const info = plan.backend.info;
    const rows = requests.length;
    const inputs: DenseTensor[] = dims.map((rowShape, i) => {
      const rowLength = product(rowShape);
      const data = new Float32Array(rows * rowLength);
      requests.forEach((r, row) => data.set(r.inputs[i], row * rowLength));
      return { data, dims: plan.batched ? [rows, ...rowShape] : rowShape };
    });

    let outputs: DenseTensor[];
    try {
      this.stats.batches++;
      this.stats.rows += rows;
      outputs = await plan.backend.run(inputs);
    } catch (error) {
      const failed = this.inferenceFailure(model, error instanceof Error ? error.message : String(error));
      for (const r of requests) results.set(r.ticket, failed);
      return;
    }

    // Shape check: the whole batch fails when an output does not have [rows, ...declared per-agent dims].
    const rowLengths: number[] = [];
    for (let o = 0; o < plan.outputDims.length; o++) {
      const out = outputs[o];
      const expected = plan.outputDims[o];
      const name = info.outputs[o]?.name ?? `#${o}`;
      const actualRow = out ? (plan.batched ? out.dims.slice(1) : out.dims) : [];
      const ok =
        out !== undefined &&
        (!plan.batched || out.dims[0] === rows) &&
        actualRow.length === expected.length &&
        expected.every((d, k) => d === null || d === actualRow[k]) &&
        out.data.length === product(out.dims);
      if (!ok) {
        const code = neuralCodes.wrongOutputShape;
        const expectedShape = describeShape(plan.batched ? [rows, ...expected] : expected);
        const actualShape = out ? describeShape(out.dims) : "missing";
        const failed = failure(code.code, code.message({ model: config.name, output: name, expected: expectedShape, actual: actualShape }));
        for (const r of requests) results.set(r.ticket, failed);
        return;
      }
      rowLengths.push(plan.batched ? product(actualRow) : out.data.length);
    }

    // Slice each agent's rows; a row holding NaN or an infinity fails that agent only.
    requests.forEach((r, row) => {
      const mine: Float32Array[] = [];
      for (let o = 0; o < outputs.length; o++) {
        const len = rowLengths[o];
        const slice = outputs[o].data.subarray(row * len, (row + 1) * len);
        for (let k = 0; k < slice.length; k++) {
          const v = slice[k];
          if (v - v !== 0) {
            const code = neuralCodes.nonFiniteOutput;
            results.set(
              r.ticket,
              failure(code.code, code.message({ model: config.name, output: info.outputs[o]?.name ?? `#${o}`, index: k, value: String(v) })),
            );
            return;
          }
        }
        mine.push(slice);
      }
      results.set(r.ticket, { ok: true, outputs: mine });
    });
  }
}

/**
 * Model configurations for a policy's model table. Relative model paths in the IR are relative to the spec
 * file's directory `specDir`.
 */
export function modelConfigsFromIR(models: readonly IRModel[], specDir: string): NeuralModelConfig[] {
  const perAgent = (shape: readonly (number | string | null)[]): (number | string | null)[] =>
    shape.length > 0 && isBatchDim(shape[0]) ? shape.slice(1) : [...shape];
  return models.map((m) => ({
    name: m.name,
    path: isAbsolute(m.path) ? m.path : resolve(specDir, m.path),
    backend: m.backend,
    inputShapes: m.inputs.map((p) => perAgent(p.shape)),
    outputShapes: m.outputs.map((p) => perAgent(p.shape)),
  }));
}
