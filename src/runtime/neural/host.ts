// The seam between the tree runtime (interpreter or emitted code) and neural inference.
//
// Scheduling contract (see docs/semantics.md, "Neural nodes"): during a frame the runtime ticks agents until each
// one finishes its tick or suspends at an infer node that has submitted a request. The runtime then calls
// `flush()` once, which runs one batched inference call per model over every request queued for it, and resumes
// the suspended agents, which pick up their results with `result(ticket)` in the same frame. Asynchronous infer
// nodes submit and keep ticking; they poll `result` on later frames.

export type TensorDType = "f32" | "f64" | "i32" | "i64" | "bool";

/** A tensor's static description as declared in a spec or read from a model file. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: TensorDType | string;
  /** A number is a fixed size, a string a symbolic size (e.g. "batch"), null an unknown/dynamic size. */
  readonly shape: readonly (number | string | null)[];
}

export interface ModelInfo {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
}

/** One agent's inputs for one model call: a flat row-major buffer per model input, batch dimension excluded. */
export type InferenceInputs = readonly Float32Array[];

export type InferenceResult =
  | { readonly ok: true; readonly outputs: readonly Float32Array[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

export interface SubmitOptions {
  /**
   * An asynchronous request (an `async` infer node): `flush()` starts its batch but does not wait for it, and
   * its result becomes visible at a later flush. Omitted or false: the result is ready when `flush()` resolves.
   */
  readonly async?: boolean;
}

export interface NeuralHost {
  /** Queue one agent's request for a model (index into the policy's model table). Returns a ticket: a positive int32. */
  submit(model: number, inputs: InferenceInputs, options?: SubmitOptions): number;
  /**
   * True when the host guarantees that every `ok` result holds only finite values (it turned NaN and infinities
   * into HP8102 error results itself): the runtime then skips its own scan of each result. Omitted or false: the
   * runtime checks every value it reads.
   */
  readonly validatesResults?: boolean;
  /** True when requests are queued and not yet flushed. */
  readonly pending: boolean;
  /** Run every queued request: one batched call per model. Never rejects; failures become error results. */
  flush(): Promise<void>;
  /** The result for a ticket once its batch has run, or undefined while it is still in flight. */
  result(ticket: number): InferenceResult | undefined;
  /**
   * Optional bulk read, offered by hosts that declare `validatesResults`: copies a ticket's ok result straight
   * from the host's batch output into `dst` — output o's `sizes[o]` values to `dst[base + offsets[o]]` onwards —
   * without a result object per ticket, and releases the ticket. Returns 1 when it copied every output (the
   * ticket is released then); 0 when the ticket has no result yet (as `result` gives undefined); -1 when the
   * caller must read `result(ticket)` instead: an error result, an asynchronous result, or outputs whose count or
   * sizes differ from `sizes` (outputs before the first mismatch may have been copied then). The ticket stays
   * live on 0 and -1.
   */
  takeResult?(ticket: number, sizes: readonly number[], dst: Float32Array | Float64Array, base: number, offsets: readonly number[]): number;
  /** Forget a ticket (preemption, or after the result was consumed). */
  release(ticket: number): void;
  /** Release every model session. Idempotent. */
  close(): Promise<void>;
}
