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
// - An ok in-frame result is a (batch, row) pair in the ticket table until someone asks for it as an object;
//   `takeResult` copies the row out without ever making one.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { IRModel } from "../ir.ts";
import type { BackendOptions, DenseTensor, InferenceBackend } from "./backend.ts";
import { ModelLoadError, openBackend } from "./backend.ts";
import { neuralCodes } from "./errors.ts";
import { insideRoots, realpathOrUndefined } from "./model-paths.ts";
import type { InferenceInputs, InferenceResult, ModelInfo, NeuralHost, SubmitOptions, TensorInfo } from "./host.ts";
import type { ModelBackend } from "./model-info.ts";
import { isSingleElement } from "./model-info.ts";
import { copyValues } from "./processing.ts";

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
  /**
   * Let in-frame results read through `result()` reuse host-owned memory: each ticket slot keeps one result
   * object and one buffer per output, and the first `result()` of a ticket copies the agent's batch row into it
   * instead of allocating a result and a view. The price is a shorter lifetime: such a result stays intact until
   * the slot's next result is read after its ticket is released, so callers copy what they keep. `takeResult`
   * (the interpreter's path) makes no result object either way.
   * Default false: every result is a fresh object that stays valid.
   */
  readonly reuseResults?: boolean;
  /** Opens a model's backend; replaceable for tests. Default: openBackend with these options. */
  readonly open?: (config: NeuralModelConfig) => Promise<InferenceBackend>;
  /**
   * Directories model files must lie in (after resolving symbolic links). A model outside them is never opened:
   * its requests fail with HP8107. createNeuralHost defaults this to the spec's directory; unset here: no check.
   */
  readonly modelRoots?: readonly string[];
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

/**
 * Requests queued for one model between two flushes, as parallel arrays (no object per request). In-frame queues
 * are reused from flush to flush (see BatchingNeuralHost.spareQueues), so a steady frame loop fills arrays that
 * already have their size instead of growing fresh ones: entries past `count` are stale and never read.
 */
class RequestQueue {
  count = 0;
  tickets = new Int32Array(64);
  inputs: (InferenceInputs | undefined)[] = new Array<InferenceInputs | undefined>(64);
  /** Scratch for runModel: indices of the requests that go into one batch. */
  rows = new Int32Array(64);
  /** Results aligned with the tickets, reused by in-frame batches; they hold only errors (see `failed`). */
  readonly results: BatchResults = [];
  /** Some entry of `results` was set since the last clear: without it, publishing and clearing skip the scan. */
  failed = false;
  /**
   * Set by runModel: the queue's live requests are exactly the model's last verified contiguous rows, in order
   * (see BatchingNeuralHost.contiguousView), found while validating them, so the batch needs no second pass.
   */
  sameRows = false;

  push(ticket: number, inputs: InferenceInputs): void {
    const n = this.count;
    if (n === this.tickets.length) {
      const tickets = new Int32Array(n * 2);
      tickets.set(this.tickets);
      this.tickets = tickets;
      this.rows = new Int32Array(n * 2);
      this.inputs.length = n * 2;
    }
    this.tickets[n] = ticket;
    this.inputs[n] = inputs;
    this.count = n + 1;
  }

  /** Empties the queue, dropping its references to request inputs and results. */
  clear(): void {
    const inputs = this.inputs;
    const results = this.results;
    for (let i = 0; i < this.count; i++) inputs[i] = undefined;
    if (this.failed) for (let i = 0; i < results.length; i++) results[i] = undefined;
    this.failed = false;
    this.sameRows = false;
    this.count = 0;
  }
}

/** How a loaded model is fed: resolved once when its backend opens. */
interface ModelPlan {
  readonly backend: InferenceBackend;
  /** False when the model's leading dimension is fixed: each request then runs alone with the full shape. */
  readonly batched: boolean;
  /** Per-agent dims of each input (batch excluded when batched); null entries are sized from the request. */
  readonly inputDims: readonly (readonly (number | null)[])[];
  /** Per-input element count when every input dim is fixed (the common case), else undefined. */
  readonly fixedRowLengths: readonly number[] | undefined;
  /** Per-agent dims each output must have; null matches any size. */
  readonly outputDims: readonly (readonly (number | null)[])[];
  /** Reusable batch input buffers for in-frame batches (grown on demand); null while a batch uses them. */
  buffers: Float32Array[] | null;
  /** Per input: the last row sequence found lying back to back in one buffer, and the view over it. */
  readonly contiguous: ({ readonly rows: Float32Array[]; readonly view: Float32Array } | undefined)[];
}

type OpenState = { readonly ok: true; readonly plan: ModelPlan } | { readonly ok: false; readonly error: InferenceResult };

function failure(code: string, message: string): InferenceResult {
  return { ok: false, code, message };
}

/**
 * True when the first `n` values are all finite. x · 0 is 0 for a finite x and NaN for NaN and ±Infinity, so one
 * sum per lane finds either; four independent lanes measured twice as fast as a compare per value.
 */
function allFinite(values: Float32Array, n: number): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    a += values[k] * 0;
    b += values[k + 1] * 0;
    c += values[k + 2] * 0;
    d += values[k + 3] * 0;
  }
  for (; k < n; k++) a += values[k] * 0;
  const sum = a + b + c + d;
  return sum === sum;
}

function describeShape(dims: readonly (number | string | null)[]): string {
  return `[${dims.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
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
  // Inputs: the model's fixed sizes are what the engine accepts; the declaration sizes what the model leaves
  // open. A request sized for a different declaration then fails alone with HP8104.
  const inputDims = info.inputs.map((t, i) => declaredOr(fromModel(t), config.inputShapes?.[i], false));
  const allFixed = inputDims.every((dims) => dims.every((d) => d !== null));
  return {
    backend,
    batched,
    inputDims,
    fixedRowLengths: allFixed ? inputDims.map((dims) => product(dims as number[])) : undefined,
    // Outputs: agents read them with the declared layout, so a declared size wins and the engine's output must
    // match it; a model file changed since compile time then fails with HP8103 instead of misreading rows.
    outputDims: info.outputs.map((t, i) => declaredOr(fromModel(t), config.outputShapes?.[i], true)),
    buffers: [],
    contiguous: [],
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

/**
 * Live tickets and their results in flat arrays instead of a Map: a ticket encodes a slot and the slot's
 * generation (ticket = generation × SLOT_SPACE + slot), so a stale ticket of a reused slot is recognised and
 * every operation is an array access. Tickets are positive int32 values, so runtimes can keep them in an
 * Int32Array; generations wrap after MAX_GENERATION reuses of a slot, which only matters to a caller that keeps
 * using a ticket long after releasing it. Freed slots are reused last-in first-out, which keeps the slots of
 * one frame's agents together in memory.
 */
const SLOT_BITS = 18;
const SLOT_SPACE = 1 << SLOT_BITS;
const MAX_GENERATION = (2 ** 31 - 1) >>> SLOT_BITS;

/**
 * One in-frame batch's outputs (only the outputs the model declares), shared by the tickets whose rows it holds:
 * an ok in-frame result is a (batch, row) pair in the ticket table, not an object per ticket.
 */
interface BatchRows {
  readonly outputs: readonly Float32Array[];
  /** Values per row, per output. */
  readonly lengths: readonly number[];
  /** Live tickets pointing at this batch; the record is dropped when the last one is released. */
  live: number;
}

class TicketTable {
  private tickets = new Int32Array(1024);
  private generations = new Int32Array(1024);
  /** Results held as objects: errors, asynchronous results, and in-frame results once `get` materialised them. */
  private results: (InferenceResult | null)[] = new Array<InferenceResult | null>(1024).fill(null);
  /** Per slot: the index in `batches` of its in-frame result's batch, or -1; and its row in that batch. */
  private batchOf = new Int32Array(1024).fill(-1);
  private rowOf = new Int32Array(1024);
  private readonly batches: (BatchRows | undefined)[] = [];
  private readonly freeBatches: number[] = [];
  private free = new Int32Array(1024);
  private freeCount = 0;
  private used = 0;
  /** Host-owned single-output result per slot (reuseResults), created on first use. */
  private reusable: ({ readonly ok: true; readonly outputs: [Float32Array] } | undefined)[] = [];

  /** `reuse`: `get` copies a single-output batch row into the slot's reusable result instead of making views. */
  constructor(private readonly reuse: boolean) {}

  open(): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount];
    else {
      if (this.used === this.tickets.length) this.grow();
      slot = this.used++;
    }
    const generation = this.generations[slot] >= MAX_GENERATION ? 1 : this.generations[slot] + 1;
    this.generations[slot] = generation;
    const ticket = generation * SLOT_SPACE + slot;
    this.tickets[slot] = ticket;
    return ticket;
  }

  isLive(ticket: number): boolean {
    return this.tickets[ticket & (SLOT_SPACE - 1)] === ticket;
  }

  /** True when a live ticket has its result (of either kind). */
  has(ticket: number): boolean {
    const slot = ticket & (SLOT_SPACE - 1);
    return this.tickets[slot] === ticket && (this.results[slot] !== null || this.batchOf[slot] >= 0);
  }

  /** The ticket's result as an object; an in-frame batch row becomes one on first request (and stays). */
  get(ticket: number): InferenceResult | undefined {
    const slot = ticket & (SLOT_SPACE - 1);
    if (this.tickets[slot] !== ticket) return undefined;
    const held = this.results[slot];
    if (held !== null) return held;
    const b = this.batchOf[slot];
    if (b < 0) return undefined;
    const batch = this.batches[b]!;
    const row = this.rowOf[slot];
    let result: InferenceResult;
    if (this.reuse && batch.outputs.length === 1) {
      const len = batch.lengths[0];
      const own = this.reusableResult(slot, len);
      own.outputs[0].set(batch.outputs[0].subarray(row * len, (row + 1) * len));
      result = own;
    } else {
      result = { ok: true, outputs: batch.outputs.map((data, o) => data.subarray(row * batch.lengths[o], (row + 1) * batch.lengths[o])) };
    }
    this.results[slot] = result;
    return result;
  }

  /** NeuralHost.takeResult over this table. */
  take(ticket: number, sizes: readonly number[], dst: Float32Array | Float64Array, base: number, offsets: readonly number[]): number {
    const slot = ticket & (SLOT_SPACE - 1);
    if (this.tickets[slot] !== ticket) return 0;
    const b = this.batchOf[slot];
    if (b < 0) return this.results[slot] === null ? 0 : -1;
    const batch = this.batches[b]!;
    const outputs = batch.outputs;
    if (outputs.length !== sizes.length) return -1;
    const row = this.rowOf[slot];
    for (let o = 0; o < outputs.length; o++) {
      const len = batch.lengths[o];
      if (len !== sizes[o]) return -1;
      copyValues(outputs[o], row * len, dst, base + offsets[o], len);
    }
    // close(), with the slot and its batch already at hand.
    this.tickets[slot] = 0;
    this.results[slot] = null;
    this.batchOf[slot] = -1;
    if (--batch.live === 0) {
      this.batches[b] = undefined;
      this.freeBatches.push(b);
    }
    this.free[this.freeCount++] = slot;
    return 1;
  }

  /** Stores a live ticket's result; false (and nothing stored) when the ticket was released. */
  set(ticket: number, result: InferenceResult): boolean {
    const slot = ticket & (SLOT_SPACE - 1);
    if (this.tickets[slot] !== ticket) return false;
    this.dropBatch(slot);
    this.results[slot] = result;
    return true;
  }

  /** The slot's reusable single-output result with room for `length` values (reallocated if the size differs). */
  private reusableResult(slot: number, length: number): { readonly ok: true; readonly outputs: [Float32Array] } {
    let result = this.reusable[slot];
    if (!result || result.outputs[0].length !== length) {
      result = { ok: true, outputs: [new Float32Array(length)] };
      this.reusable[slot] = result;
    }
    return result;
  }

  /**
   * Publishes an in-frame batch: batch row r becomes the result of ticket `tickets[rows[r]]` as a (batch, row)
   * pair — two integers per ticket, no copy and no object. Released tickets are skipped. A row flagged in `bad`
   * (it holds NaN or an infinity) is left to `badRow(r)`, whose answer goes to `results` for the caller to
   * publish. Returns how many rows were published.
   */
  publishBatch(
    tickets: Int32Array,
    rows: Int32Array,
    outputs: readonly Float32Array[],
    lengths: readonly number[],
    bad: Uint8Array | null,
    results: BatchResults,
    badRow: (r: number) => InferenceResult | undefined,
  ): number {
    const id = this.freeBatches.length > 0 ? this.freeBatches.pop()! : this.batches.push(undefined) - 1;
    const live = this.tickets;
    const batchOf = this.batchOf;
    const rowOf = this.rowOf;
    let published = 0;
    for (let r = 0; r < rows.length; r++) {
      const ticket = tickets[rows[r]];
      const slot = ticket & (SLOT_SPACE - 1);
      if (live[slot] !== ticket) continue;
      if (bad !== null && bad[r] !== 0) {
        results[rows[r]] = badRow(r);
        continue;
      }
      batchOf[slot] = id;
      rowOf[slot] = r;
      published++;
    }
    if (published > 0) this.batches[id] = { outputs, lengths, live: published };
    else this.freeBatches.push(id);
    return published;
  }

  close(ticket: number): void {
    const slot = ticket & (SLOT_SPACE - 1);
    if (this.tickets[slot] !== ticket) return;
    this.tickets[slot] = 0;
    this.results[slot] = null;
    this.dropBatch(slot);
    this.free[this.freeCount++] = slot;
  }

  /** Forgets the slot's batch row, dropping the batch with its last live row. */
  private dropBatch(slot: number): void {
    const b = this.batchOf[slot];
    if (b < 0) return;
    this.batchOf[slot] = -1;
    const batch = this.batches[b]!;
    if (--batch.live === 0) {
      this.batches[b] = undefined;
      this.freeBatches.push(b);
    }
  }

  private grow(): void {
    const size = this.tickets.length * 2;
    if (size > SLOT_SPACE) throw new RangeError(`more than ${SLOT_SPACE} neural requests are live at once`);
    const tickets = new Int32Array(size);
    tickets.set(this.tickets);
    const generations = new Int32Array(size);
    generations.set(this.generations);
    const free = new Int32Array(size);
    free.set(this.free);
    const batchOf = new Int32Array(size).fill(-1);
    batchOf.set(this.batchOf);
    const rowOf = new Int32Array(size);
    rowOf.set(this.rowOf);
    this.tickets = tickets;
    this.generations = generations;
    this.free = free;
    this.batchOf = batchOf;
    this.rowOf = rowOf;
    for (let i = this.results.length; i < size; i++) this.results.push(null);
  }
}

/** Results aligned with a queue's tickets; undefined for tickets released before their batch ran. */
type BatchResults = (InferenceResult | undefined)[];

export class BatchingNeuralHost implements NeuralHost {
  readonly stats: NeuralHostStats = { batches: 0, rows: 0, results: 0 };
  /** Every path that publishes an ok result has checked its rows for NaN and infinities (see runBatch). */
  readonly validatesResults = true;
  private readonly models: readonly NeuralModelConfig[];
  private readonly options: BatchingNeuralHostOptions;
  private readonly opened = new Map<number, Promise<OpenState>>();
  /** Each opened model's settled state, so that a flush over models already open finds its plan without a wait. */
  private readonly settled: (OpenState | undefined)[] = [];
  private syncQueues = new Map<number, RequestQueue>();
  /** The in-frame queue the last submit used and its model (a frame's agents mostly share one model). */
  private lastSyncModel = -1;
  private lastSyncQueue: RequestQueue | undefined;
  private asyncQueues = new Map<number, RequestQueue>();
  /** Emptied in-frame queues and queue map kept for the next frames (no allocation per flush in a steady loop). */
  private readonly spareQueues: RequestQueue[] = [];
  private spareSyncMap: Map<number, RequestQueue> | undefined;
  /** Async batches started and not yet published, per model (at most one in flight per model). */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Finished async results waiting to be published by a flush. */
  private staged = new Map<number, InferenceResult>();
  /** Every live ticket (submitted, not released) and its result once it has one. */
  private readonly tickets: TicketTable;
  private closed = false;

  constructor(models: readonly NeuralModelConfig[], options: BatchingNeuralHostOptions = {}) {
    this.models = models;
    this.options = options;
    this.tickets = new TicketTable(options.reuseResults === true);
  }

  get pending(): boolean {
    return this.syncQueues.size > 0 || this.asyncQueues.size > 0 || this.inFlight.size > 0 || this.staged.size > 0;
  }

  submit(model: number, inputs: InferenceInputs, options?: SubmitOptions): number {
    const ticket = this.tickets.open();
    // Fast path: another in-frame request for the model the previous submit queued for, before any flush.
    if (model === this.lastSyncModel && options?.async !== true) {
      this.lastSyncQueue!.push(ticket, inputs);
      return ticket;
    }
    const config = this.models[model];
    if (!config) {
      this.publish(ticket, failure(neuralCodes.unknownModel.code, neuralCodes.unknownModel.message({ model, count: this.models.length })));
    } else if (this.closed) {
      this.publish(ticket, failure(neuralCodes.hostClosed.code, neuralCodes.hostClosed.message({ model: config.name })));
    } else {
      const isAsync = options?.async === true;
      const queues = isAsync ? this.asyncQueues : this.syncQueues;
      let queue = queues.get(model);
      if (!queue) queues.set(model, (queue = (!isAsync && this.spareQueues.pop()) || new RequestQueue()));
      if (!isAsync) {
        this.lastSyncModel = model;
        this.lastSyncQueue = queue;
      }
      // An async request's batch may start after the agent has moved on and reused its buffers: keep a copy.
      // In-frame requests are read during the flush the runtime awaits, so they are batched without a copy.
      queue.push(ticket, isAsync ? inputs.map((a) => a.slice()) : inputs);
    }
    return ticket;
  }

  result(ticket: number): InferenceResult | undefined {
    return this.tickets.get(ticket);
  }

  takeResult(ticket: number, sizes: readonly number[], dst: Float32Array | Float64Array, base: number, offsets: readonly number[]): number {
    // An in-frame batch row is never staged (staging holds asynchronous results only), so a take that succeeds
    // needs none of release()'s staging upkeep.
    return this.tickets.take(ticket, sizes, dst, base, offsets);
  }

  release(ticket: number): void {
    this.tickets.close(ticket);
    if (this.staged.size > 0) this.staged.delete(ticket);
  }

  flush(): Promise<void> {
    const syncQueues = this.syncQueues;
    const asyncQueues = this.asyncQueues;
    this.syncQueues = this.spareSyncMap ?? new Map();
    this.spareSyncMap = undefined;
    this.lastSyncModel = -1;
    this.lastSyncQueue = undefined;
    // Always a fresh map: async requests submitted while this flush awaits belong to the next flush.
    this.asyncQueues = new Map();
    let work: Promise<void>;
    try {
      work = this.flushQueues(syncQueues, asyncQueues);
    } catch (error) {
      work = Promise.reject(error);
    }
    return work.then(
      () => this.recycle(syncQueues),
      (error: unknown) => {
        // Unreachable by design (every step catches its own faults); kept so that flush() never rejects.
        const message = error instanceof Error ? error.message : String(error);
        for (const queues of [syncQueues, asyncQueues]) {
          for (const [model, queue] of queues) {
            for (let i = 0; i < queue.count; i++) {
              const t = queue.tickets[i];
              if (this.tickets.isLive(t) && !this.tickets.has(t)) this.publish(t, this.inferenceFailure(model, message));
            }
          }
        }
        this.recycle(syncQueues);
      },
    );
  }

  /** Every in-frame request of a finished flush has its result: its queues and their map serve later frames. */
  private recycle(syncQueues: Map<number, RequestQueue>): void {
    for (const queue of syncQueues.values()) {
      queue.clear();
      this.spareQueues.push(queue);
    }
    syncQueues.clear();
    this.spareSyncMap = syncQueues;
  }

  /**
   * The usual frame — in-frame requests for one model, nothing asynchronous — is one promise chain from the
   * engine call to flush(): each further async layer would cost the frame a microtask turn.
   */
  private flushQueues(syncQueues: Map<number, RequestQueue>, asyncQueues: Map<number, RequestQueue>): Promise<void> {
    if (syncQueues.size === 1 && asyncQueues.size === 0 && this.inFlight.size === 0 && this.staged.size === 0) {
      for (const [model, queue] of syncQueues) return this.runModel(model, queue, true).then((results) => this.publishAll(queue, results));
    }
    return this.flushEverything(syncQueues, asyncQueues);
  }

  private async flushEverything(syncQueues: Map<number, RequestQueue>, asyncQueues: Map<number, RequestQueue>): Promise<void> {
    const waits: Promise<void>[] = [];
    // Publish async results that finished since the last flush (when-done) or wait for those the previous
    // flush started (next-flush).
    if (this.options.asyncPublish !== "when-done") {
      for (const batch of this.inFlight.values()) waits.push(batch);
      this.inFlight.clear();
    }
    // In-frame batches: one engine call per model (or per maxBatch chunk), all models concurrently.
    for (const [model, queue] of syncQueues) {
      waits.push(this.runModel(model, queue, true).then((results) => this.publishAll(queue, results)));
    }
    if (waits.length === 1) await waits[0];
    else if (waits.length > 1) await Promise.all(waits);
    if (this.staged.size > 0) {
      for (const [ticket, result] of this.staged) this.publish(ticket, result);
      this.staged = new Map();
    }

    // Async batches start after the in-frame ones have been served, so a slow planner model never delays a
    // frame; a model with a batch still in flight keeps its new requests queued for a later flush.
    for (const [model, queue] of asyncQueues) {
      if (this.inFlight.has(model)) {
        const later = this.asyncQueues.get(model);
        if (later) for (let i = 0; i < later.count; i++) queue.push(later.tickets[i], later.inputs[i]!);
        this.asyncQueues.set(model, queue);
        continue;
      }
      const batch = this.runModel(model, queue, false).then((results) => {
        if (this.options.asyncPublish === "when-done") this.inFlight.delete(model);
        for (let i = 0; i < queue.count; i++) {
          const ticket = queue.tickets[i];
          const result = results[i];
          if (result && this.tickets.isLive(ticket)) this.staged.set(ticket, result);
        }
      });
      this.inFlight.set(model, batch);
    }
  }

  /** Opens every model's session now instead of on first use (so the first frame does not pay for it). */
  async warmUp(): Promise<void> {
    await Promise.all(this.models.map((_m, i) => this.open(i)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Later submits must take the slow path, which fails them as closed.
    this.lastSyncModel = -1;
    this.lastSyncQueue = undefined;
    await Promise.all([...this.inFlight.values()]);
    this.inFlight.clear();
    const states = await Promise.all([...this.opened.values()]);
    this.opened.clear();
    this.settled.length = 0;
    await Promise.all(states.map((s) => (s.ok ? s.plan.backend.close().catch(() => undefined) : undefined)));
    // Requests queued but never flushed fail rather than hang.
    for (const queues of [this.syncQueues, this.asyncQueues]) {
      for (const [model, queue] of queues) {
        const closedResult = failure(neuralCodes.hostClosed.code, neuralCodes.hostClosed.message({ model: this.models[model].name }));
        for (let i = 0; i < queue.count; i++) this.publish(queue.tickets[i], closedResult);
      }
      queues.clear();
    }
  }

  private publish(ticket: number, result: InferenceResult): void {
    if (this.tickets.set(ticket, result)) this.stats.results++;
  }

  private publishAll(queue: RequestQueue, results: BatchResults): void {
    if (!queue.failed) return;
    const tickets = queue.tickets;
    for (let i = 0; i < queue.count; i++) {
      const result = results[i];
      if (result) this.publish(tickets[i], result);
    }
  }

  private open(model: number): Promise<OpenState> {
    let state = this.opened.get(model);
    if (!state) {
      const config = this.models[model];
      const roots = this.options.modelRoots;
      const opener =
        roots !== undefined && !insideRoots(config.path, roots, realpathOrUndefined)
          ? () => Promise.reject(new ModelPathRefused(config, roots))
          : (this.options.open ?? ((c: NeuralModelConfig) => openBackend(c.path, c.backend, this.options)));
      state = opener(config).then(
        (backend): OpenState => ({ ok: true, plan: planFor(config, backend) }),
        (error: unknown): OpenState => {
          if (error instanceof ModelPathRefused) return { ok: false, error: failure(neuralCodes.modelOutsideRoots.code, error.message) };
          const reason = error instanceof ModelLoadError ? error.message : error instanceof Error ? error.message : String(error);
          return {
            ok: false,
            error: failure(neuralCodes.modelUnavailable.code, neuralCodes.modelUnavailable.message({ model: config.name, path: config.path, reason })),
          };
        },
      );
      state = state.then((settled) => {
        if (!this.closed) this.settled[model] = settled;
        return settled;
      });
      // A failed load is remembered: a missing file fails every request fast instead of retrying every frame.
      this.opened.set(model, state);
    }
    return state;
  }

  private inferenceFailure(model: number, error: string): InferenceResult {
    return failure(neuralCodes.inferenceFailed.code, neuralCodes.inferenceFailed.message({ model: this.models[model]?.name ?? `#${model}`, error }));
  }

  /** Runs every live request of one queue; resolves (never rejects) to results aligned with its tickets. */
  private runModel(model: number, queue: RequestQueue, inFrame: boolean): Promise<BatchResults> {
    const state = this.settled[model];
    if (state === undefined) return this.open(model).then(() => this.runModel(model, queue, inFrame));
    const count = queue.count;
    const results: BatchResults = inFrame ? queue.results : [];
    results.length = count;
    if (!state.ok) {
      for (let i = 0; i < count; i++) if (this.tickets.isLive(queue.tickets[i])) results[i] = state.error;
      queue.failed = true;
      return Promise.resolve(results);
    }
    const plan = state.plan;
    const config = this.models[model];

    // Validate each live request; a malformed one fails alone and stays out of the batch. Requests are grouped
    // by their resolved input dims: with fixed model dims (the common case) there is a single group, whose row
    // indices go into the queue's scratch array.
    let groups: Map<string, { rows: number[]; dims: number[][] }> | undefined;
    const fixedRows = queue.rows;
    let fixedCount = 0;
    const fixed = plan.fixedRowLengths;
    const single = fixed !== undefined && fixed.length === 1 ? fixed[0] : -1;
    // A single-input model's rows are compared with the last verified contiguous rows in the same pass: a row
    // that is the same object as the verified one has the right length (typed arrays do not resize).
    const known = single >= 0 ? plan.contiguous[0]?.rows : undefined;
    let same = known !== undefined;
    queue.sameRows = false;
    for (let i = 0; i < count; i++) {
      if (!this.tickets.isLive(queue.tickets[i])) continue;
      const inputs = queue.inputs[i]!;
      if (single >= 0) {
        if (inputs.length === 1) {
          const row = inputs[0];
          if (same && row === known![fixedCount]) {
            fixedRows[fixedCount++] = i;
            continue;
          }
          same = false;
          if (row.length === single) {
            fixedRows[fixedCount++] = i;
            continue;
          }
        }
      } else if (fixed && inputs.length === fixed.length) {
        let fits = true;
        for (let k = 0; k < fixed.length; k++) if (inputs[k].length !== fixed[k]) fits = false;
        if (fits) {
          fixedRows[fixedCount++] = i;
          continue;
        }
      }
      same = false;
      const dims = this.requestDims(config, plan, inputs);
      if (!Array.isArray(dims)) {
        results[i] = dims;
        queue.failed = true;
        continue;
      }
      const key = dims.map((d) => d.join("x")).join("|");
      groups ??= new Map();
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { rows: [], dims }));
      group.rows.push(i);
    }
    const limit = plan.batched ? Math.max(1, this.options.maxBatch ?? Number.POSITIVE_INFINITY) : 1;
    // The usual case, every request in one engine call, without an async layer of its own.
    if (!groups && fixedCount <= limit) {
      if (fixedCount === 0) return Promise.resolve(results);
      queue.sameRows = same && known!.length === fixedCount;
      return this.runBatch(model, plan, queue, fixedRows.subarray(0, fixedCount), plan.inputDims as number[][], inFrame, results).then(() => results);
    }
    return this.runGroups(model, plan, queue, fixedRows.subarray(0, fixedCount), groups, limit, inFrame, results);
  }

  /** Runs request groups one after another, each in engine calls of at most `limit` requests. */
  private async runGroups(
    model: number,
    plan: ModelPlan,
    queue: RequestQueue,
    fixedRows: Int32Array,
    groups: Map<string, { rows: number[]; dims: number[][] }> | undefined,
    limit: number,
    inFrame: boolean,
    results: BatchResults,
  ): Promise<BatchResults> {
    const runGroup = async (rows: Int32Array, dims: readonly number[][]): Promise<void> => {
      for (let start = 0; start < rows.length; start += limit) {
        await this.runBatch(model, plan, queue, rows.length <= limit ? rows : rows.subarray(start, start + limit), dims, inFrame, results);
      }
    };
    if (fixedRows.length > 0) await runGroup(fixedRows, plan.inputDims as number[][]);
    if (groups) for (const group of groups.values()) await runGroup(Int32Array.from(group.rows), group.dims);
    return results;
  }

  /** The request's per-input dims, or the error result that rejects it. */
  private requestDims(config: NeuralModelConfig, plan: ModelPlan, inputs: InferenceInputs): number[][] | InferenceResult {
    const code = neuralCodes.wrongInputSize;
    if (inputs.length !== plan.inputDims.length) {
      return failure(code.code, `request for model \`${config.name}\` gives ${inputs.length} input(s), the model takes ${plan.inputDims.length}`);
    }
    const dims: number[][] = [];
    for (let i = 0; i < plan.inputDims.length; i++) {
      const resolved = rowDims(plan.inputDims[i], inputs[i].length);
      if (!resolved) {
        const known = plan.inputDims[i].every((d) => d !== null) ? product(plan.inputDims[i] as number[]) : -1;
        const name = plan.backend.info.inputs[i].name;
        return failure(code.code, code.message({ model: config.name, input: name, expected: known, actual: inputs[i].length }));
      }
      dims.push(resolved);
    }
    return dims;
  }

  /**
   * Assembles the batch inputs. Rows that lie back to back in one buffer, in request order (a pool keeping its
   * agents' input rows in one slab, every agent submitting) are used in place through a view: no copy. Checking
   * that layout means reading each view's buffer and offset, which costs about as much as copying a short row, so
   * the verified row sequence is remembered and later frames that submit the same row objects in the same order
   * only compare identities. Other rows are copied into the plan's reusable buffer (in-frame batches that no
   * other batch holds) or a fresh one.
   */
  private batchInputs(plan: ModelPlan, queue: RequestQueue, rows: Int32Array, dims: readonly number[][], reuse: boolean): DenseTensor[] {
    const count = rows.length;
    const buffers = reuse ? plan.buffers : null;
    const tensors: DenseTensor[] = [];
    for (let i = 0; i < dims.length; i++) {
      const rowLength = product(dims[i]);
      const size = count * rowLength;
      const batchDims = plan.batched ? [count, ...dims[i]] : dims[i];
      if (reuse && count > 1) {
        const view = this.contiguousView(plan, queue, rows, i, rowLength);
        if (view) {
          tensors.push({ data: view, dims: batchDims });
          continue;
        }
      }
      let data: Float32Array;
      if (buffers) {
        if (!buffers[i] || buffers[i].length < size) buffers[i] = new Float32Array(Math.max(size, (buffers[i]?.length ?? 0) * 2));
        data = buffers[i].length === size ? buffers[i] : buffers[i].subarray(0, size);
      } else {
        data = new Float32Array(size);
      }
      for (let r = 0; r < count; r++) data.set(queue.inputs[rows[r]]![i], r * rowLength);
      tensors.push({ data, dims: batchDims });
    }
    return tensors;
  }

  /** A view over input `i`'s rows when they lie back to back in request order, else undefined. */
  private contiguousView(plan: ModelPlan, queue: RequestQueue, rows: Int32Array, i: number, rowLength: number): Float32Array | undefined {
    const count = rows.length;
    const known = plan.contiguous[i];
    if (known && queue.sameRows && i === 0) return known.view;
    if (known && known.rows.length === count) {
      let same = true;
      for (let r = 0; r < count && same; r++) same = queue.inputs[rows[r]]![i] === known.rows[r];
      if (same) return known.view;
    }
    const first = queue.inputs[rows[0]]![i];
    const buffer = first.buffer;
    const start = first.byteOffset;
    const rowBytes = rowLength * Float32Array.BYTES_PER_ELEMENT;
    if (first.length !== rowLength || start + count * rowBytes > buffer.byteLength) return undefined;
    for (let r = 1; r < count; r++) {
      const row = queue.inputs[rows[r]]![i];
      if (row.byteOffset !== start + r * rowBytes || row.buffer !== buffer || row.length !== rowLength) return undefined;
    }
    const view = new Float32Array(buffer, start, count * rowLength);
    const seen: Float32Array[] = new Array(count);
    for (let r = 0; r < count; r++) seen[r] = queue.inputs[rows[r]]![i];
    plan.contiguous[i] = { rows: seen, view };
    return view;
  }

  private runBatch(
    model: number,
    plan: ModelPlan,
    queue: RequestQueue,
    rows: Int32Array,
    dims: readonly number[][],
    inFrame: boolean,
    results: BatchResults,
  ): Promise<void> {
    const count = rows.length;
    const reuse = inFrame && plan.buffers !== null;
    const buffers = plan.buffers;
    if (reuse) plan.buffers = null;
    const fail = (error: unknown): void => {
      if (reuse) plan.buffers = buffers;
      const failed = this.inferenceFailure(model, error instanceof Error ? error.message : String(error));
      for (const r of rows) results[r] = failed;
      queue.failed = true;
    };
    let running: Promise<DenseTensor[]>;
    try {
      const inputs = this.batchInputs(plan, queue, rows, dims, reuse);
      this.stats.batches++;
      this.stats.rows += count;
      running = plan.backend.run(inputs);
    } catch (error) {
      fail(error);
      return Promise.resolve();
    }
    return running.then((outputs) => {
      if (reuse) plan.buffers = buffers;
      this.publishOutputs(model, plan, queue, rows, inFrame, results, outputs);
    }, fail);
  }

  /** Checks a finished batch's outputs and hands each request its rows (or its error). */
  private publishOutputs(
    model: number,
    plan: ModelPlan,
    queue: RequestQueue,
    rows: Int32Array,
    inFrame: boolean,
    results: BatchResults,
    outputs: DenseTensor[],
  ): void {
    const config = this.models[model];
    const info = plan.backend.info;
    const count = rows.length;
    // Shape check: the whole batch fails when an output does not have [count, ...declared per-agent dims].
    const rowLengths: number[] = [];
    for (let o = 0; o < plan.outputDims.length; o++) {
      const out = outputs[o];
      const expected = plan.outputDims[o];
      const actualRow = out ? (plan.batched ? out.dims.slice(1) : out.dims) : [];
      const ok =
        out !== undefined &&
        (!plan.batched || out.dims[0] === count) &&
        ((actualRow.length === expected.length && expected.every((d, k) => d === null || d === actualRow[k])) ||
          (isSingleElement(expected) && isSingleElement(actualRow))) &&
        out.data.length === product(out.dims);
      if (!ok) {
        const code = neuralCodes.wrongOutputShape;
        const expectedShape = describeShape(plan.batched ? [count, ...expected] : expected);
        const actualShape = out ? describeShape(out.dims) : "missing";
        const name = info.outputs[o]?.name ?? `#${o}`;
        const failed = failure(code.code, code.message({ model: config.name, output: name, expected: expectedShape, actual: actualShape }));
        for (const r of rows) results[r] = failed;
        queue.failed = true;
        return;
      }
      rowLengths.push(plan.batched ? product(actualRow) : out.data.length);
    }

    // Each agent gets its rows without a copy; a row holding NaN or an infinity fails that agent only. Only the
    // outputs the model declares are handed out (an engine returning extra tensors does not shift them).
    const outputCount = rowLengths.length;
    const nonFinite = (r: number): InferenceResult | undefined => {
      for (let o = 0; o < outputCount; o++) {
        const len = rowLengths[o];
        const data = outputs[o].data;
        const begin = r * len;
        for (let k = 0; k < len; k++) {
          const v = data[begin + k];
          if (v - v !== 0) {
            const code = neuralCodes.nonFiniteOutput;
            const name = info.outputs[o]?.name ?? `#${o}`;
            return failure(code.code, code.message({ model: config.name, output: name, index: k, value: String(v) }));
          }
        }
      }
      return undefined;
    };
    if (inFrame) {
      // One pass over each output buffer looks for NaN and infinities; only a batch that holds one marks its rows.
      // Each agent's rows are then published as (batch, row) in the ticket table, copied out by takeResult.
      let bad: Uint8Array | null = null;
      const data: Float32Array[] = [];
      for (let o = 0; o < outputCount; o++) {
        const values = outputs[o].data;
        const len = rowLengths[o];
        const n = count * len;
        data.push(values);
        if (allFinite(values, n)) continue;
        for (let k = 0; k < n; k++) {
          const v = values[k];
          if (v - v !== 0) (bad ??= new Uint8Array(count))[(k / len) | 0] = 1;
        }
      }
      this.stats.results += this.tickets.publishBatch(queue.tickets, rows, data, rowLengths, bad, results, nonFinite);
      if (bad !== null) queue.failed = true;
      return;
    }
    for (let r = 0; r < count; r++) {
      const bad = nonFinite(r);
      if (bad) {
        results[rows[r]] = bad;
        continue;
      }
      const mine: Float32Array[] = [];
      for (let o = 0; o < outputCount; o++) mine.push(outputs[o].data.subarray(r * rowLengths[o], (r + 1) * rowLengths[o]));
      results[rows[r]] = { ok: true, outputs: mine };
    }
  }
}

/** A model whose file lies outside the allowed directories (HP8107). */
class ModelPathRefused extends Error {
  constructor(config: NeuralModelConfig, roots: readonly string[]) {
    super(neuralCodes.modelOutsideRoots.message({ model: config.name, path: config.path, roots: roots.join(", ") }));
  }
}

/**
 * Model configurations for a policy's model table. A model path in the IR is as written in the spec, relative to
 * the file that declares the model. That file is the model's span file: absolute, relative to `specDir` (the
 * directory of the policy's main spec, as in build outputs), or relative to the working directory (as the
 * compiler was given it) when only that one exists. Without a span the path is relative to `specDir`.
 */
export function modelConfigsFromIR(models: readonly IRModel[], specDir: string): NeuralModelConfig[] {
  const perAgent = (shape: readonly (number | string | null)[]): (number | string | null)[] =>
    shape.length > 0 && isBatchDim(shape[0]) ? shape.slice(1) : [...shape];
  const baseOf = (m: IRModel): string => {
    const file = m.span?.file;
    if (!file) return specDir;
    if (isAbsolute(file)) return dirname(file);
    // Build outputs hold span files relative to the main spec's directory; IR straight from the compiler holds
    // them as the compiler was given them (relative to the working directory).
    const fromSpec = resolve(specDir, file);
    if (!existsSync(fromSpec) && existsSync(file)) return dirname(resolve(file));
    return dirname(fromSpec);
  };
  return models.map((m) => ({
    name: m.name,
    path: isAbsolute(m.path) ? m.path : resolve(baseOf(m), m.path),
    backend: m.backend,
    inputShapes: m.inputs.map((p) => perAgent(p.shape)),
    outputShapes: m.outputs.map((p) => perAgent(p.shape)),
  }));
}

/**
 * The neural host for a policy: a BatchingNeuralHost over its model table, or undefined when the policy has no
 * models. `specDir` is the directory of the policy's main spec (see modelConfigsFromIR). Model files must lie
 * inside `options.modelRoots`, by default `[specDir]` — the compiler's rule (HP5020), enforced again here (HP8107)
 * for IR that never went through the compiler.
 * It reuses result memory (`reuseResults`) unless told otherwise: the policy's pool copies every result in the tick
 * that reads it (untraced pools take results with `takeResult`, which needs no result memory at all).
 */
export function createNeuralHost(
  ir: { readonly models: readonly IRModel[] },
  specDir: string,
  options: BatchingNeuralHostOptions = {},
): BatchingNeuralHost | undefined {
  if (ir.models.length === 0) return undefined;
  return new BatchingNeuralHost(modelConfigsFromIR(ir.models, specDir), { reuseResults: true, ...options, modelRoots: options.modelRoots ?? [specDir] });
}
