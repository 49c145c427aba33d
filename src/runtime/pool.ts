// The agent pool and its layered scheduler: N agents of one policy stepped together on a fixed-step simulated
// clock. See docs/semantics.md ("Scheduling") for the order of phases in a step; in short:
//   1 events (edge-triggered conditions, host raises) · 2 planners (due by rate or fired event)
//   3 channels (injections; fresh messages preempt the executors that follow the planner)
//   4 executors (due by rate; handler chosen by the current message) · 5 arbiters · 6 shields.
// Per-agent state is a handful of typed arrays indexed by agent*stride+offset; the tick loop allocates nothing
// and throws nothing (host faults become RuntimeError records for that agent).
import type { IRVar, PolicyIR } from "./ir.ts";
import { typeSize } from "./ir.ts";
import { compileExprs, FAULT } from "./expr-compiler.ts";
import type { CompiledExprs } from "./expr-compiler.ts";
import { compileTree } from "./tree.ts";
import { internalFrameSlots } from "./node-facts.ts";
import type { CompiledTree, InferBridge, TreeEnv } from "./tree.ts";
import * as Status from "./status.ts";
import { STATUS_NAMES } from "./status.ts";
import type { StatusName } from "./status.ts";
import { Xoshiro128 } from "./rng.ts";
import type { Rng } from "./rng.ts";
import { HpolRuntimeError, runtimeCodes, runtimeError } from "./errors.ts";
import type { RuntimeError } from "./errors.ts";
import { decodeValue, describe, encodeValue, setOwnValue, typeName } from "./values.ts";
import type { NeuralHost } from "./neural/host.ts";
import { TraceRecorder, TRACE_VERSION } from "./trace.ts";
import type { TraceSink } from "./trace.ts";
import { closestName } from "./closest-name.ts";
import { Arbitration } from "./arbitration.ts";
import { makeAssign } from "./assign.ts";
import { bindExterns } from "./extern-binding.ts";
import { obsCheck, obsValueProblem } from "./obs-check.ts";
import type { ExternFn } from "./extern-binding.ts";
export type { ExternFn } from "./extern-binding.ts";

/** Context passed as the last argument of every extern call. Reused between calls: do not keep it. */
export interface ExternContext {
  /** Agent index in the pool. */
  agent: number;
  /** Calling tree node id (-1 outside a tree: events, arbiters, shields). */
  node: number;
  step: number;
  /** Simulated time (ms). */
  time: number;
  /** Actions: "start" on the first tick, "running" while an async action runs, "halt" when it is halted. */
  phase: "start" | "running" | "halt";
  /** Actions: write one of the outputs the action declares in `writes`. Returns false (and records HP8014 or
   *  HP8013) when it may not or the value does not fit the output's type. */
  write(output: string, value: unknown): boolean;
}

export type ActionResult = "success" | "failure" | "running" | boolean;

export interface PoolOptions {
  /** Number of agents (default 1). */
  agents?: number;
  /** Simulated milliseconds per step (default: the period of the fastest layer, else 100). */
  stepMs?: number;
  /** Seed of every agent's random stream (agent i draws from stream i). */
  seed?: number;
  /** Host implementations of the policy's externs, by declared name. */
  externs?: Record<string, ExternFn>;
  /** Runs the policy's models; required when the policy has infer nodes. */
  neural?: NeuralHost;
  /** Trace every step as JSON Lines. */
  trace?: TraceSink;
  /** Called for every runtime error as it happens (errors are also kept until drainErrors()). */
  onError?: (e: RuntimeError) => void;
  /** How many errors the pool keeps between two drainErrors() calls (default 10,000). Past it, errors are still
   *  traced and passed to onError but not kept; droppedErrors counts them. Bounds the memory of a host that
   *  never drains while a fault repeats every step. */
  maxErrors?: number;
}

/** Internal hooks used by replay: recorded extern results and inference results instead of live ones. */
export interface PlaybackHooks {
  extern(agent: number, ext: number): unknown;
  inference(agent: number, node: number): number[][] | { error: string } | undefined;
}

/** Emitted policies (src/compiler/emit) replace the tick/halt of whole layer roots with generated code once the
 *  interpreter has compiled the tree; everything else (scheduler, channels, arbiters, tracing) stays shared. */
export type TreeInstaller = (tree: CompiledTree, env: TreeEnv, ex: CompiledExprs) => void;

const NO_NEW = 0;
// Local copies of the status codes (see tree.ts).
const RUNNING: 1 = Status.RUNNING;
const SUCCESS: 2 = Status.SUCCESS;
const FAILURE: 3 = Status.FAILURE;
const SUSPENDED: 4 = Status.SUSPENDED;

export class AgentPool {
  readonly ir: PolicyIR;
  readonly size: number;
  readonly stepMs: number;
  readonly seed: number;
  /** True when stepping needs `await` (the policy has in-frame infer nodes). */
  readonly isAsync: boolean;
  /** Slots per agent in `mem` (IR frame followed by the runtime's internal slots). */
  readonly frameStride: number;
  /** Every agent's frame: agent a's var v is at mem[a*frameStride + v.offset], except observations and outputs,
   *  which live in columns after the frames (observationColumn, outputColumn). Writing it bypasses validation. */
  mem: Float64Array;

  private stepIndex = 0;
  private readonly env: TreeEnv;
  private readonly ex: CompiledExprs;
  private readonly tree: CompiledTree;
  private readonly bound: ExternFn[];
  private readonly ctx: ExternContext;
  private readonly errors: RuntimeError[] = [];
  private readonly onError: ((e: RuntimeError) => void) | undefined;
  private readonly maxErrors: number;
  private readonly rngs: (Rng | undefined)[];
  private readonly recorder: TraceRecorder | null;
  private readonly neuralHost: NeuralHost | null;
  private playback: PlaybackHooks | null = null;
  private flushing: Promise<void> | null = null;

  // events
  private readonly eventPrev: Uint8Array;
  private readonly eventFired: Uint8Array;
  private readonly eventRaised: Uint8Array;
  // channels: 1 when the planner's channel got a fresh message this step
  private readonly fresh: Uint8Array;
  private readonly injections: { agent: number; planner: number; kind: number; payload: Float64Array }[] = [];
  // executors: active root + 1 per agent
  private readonly activeRoot: Int32Array;
  private readonly handlerRoot: Int32Array[];
  private readonly outputByName = new Map<string, IRVar>();
  private readonly proposalFor: Map<number, { var: number; valid: number }>[];
  /** Per executor: frame offsets of the valid flags of its proposals (cleared before each of its ticks). */
  private readonly validFlags: Int32Array[];
  private readonly arbitration: Arbitration;
  /** var id → index in layout.observation, or -1. */
  private readonly obsIndexOf: Int32Array;
  /** var id → start of the observation's or output's column in `mem` (agent a's value at base + a * size), or
   *  -1 (the var lives in the agent frame). */
  private readonly colBase: Int32Array;
  /** Views of the columns handed to hosts, by var id (see column()). */
  private readonly columns = new Map<number, Float64Array>();
  /** Staging for validated host values (sized for the largest var). */
  private readonly staging: Float64Array;
  private readonly suspendedList: Int32Array;
  private readonly resumeList: Int32Array;
  private readonly externStaging: Float64Array[];

  constructor(ir: PolicyIR, options: PoolOptions = {}, install?: TreeInstaller) {
    this.ir = ir;
    this.size = options.agents ?? 1;
    this.seed = options.seed ?? 0;
    this.stepMs = options.stepMs ?? defaultStepMs(ir);
    this.onError = options.onError;
    this.maxErrors = options.maxErrors ?? 10_000;
    this.neuralHost = options.neural ?? null;
    const n = this.size;
    this.rngs = new Array(n);

    // Bind externs by name and check each binding against its declaration before anything runs.
    this.bound = bindExterns(ir, options.externs ?? {});

    const self = this;
    const env: TreeEnv = {
      mem: new Float64Array(0),
      fb: 0,
      agent: 0,
      valueOff: 0,
      node: -1,
      localOff: new Float64Array(Math.max(1, ir.locals)),
      faulted: false,
      rng: () => self.rngOf(env.agent),
      callExtern: (ext, args) => self.callExtern(ext, args),
      portOff: (node, output) => self.tree.portOff(node, output),
      status: new Uint8Array(0),
      sb: 0,
      ints: new Int32Array(0),
      ib: 0,
      floats: new Float64Array(0),
      xb: 0,
      now: 0,
      resume: false,
      suspended: false,
      executor: -1,
      onStatus: null,
      runAction: (node, ext, args, phase) => self.runAction(node, ext, args, phase),
      emit: (node, planner, kind, staging) => self.emitMessage(planner, kind, staging, false, node),
      fault: (node, code, params) => self.fault(runtimeCodes[code] as never, params as never, node),
      badObservation: (node, k) => self.badObservation(node, k),
      neural: null,
      obsBadCount: new Int32Array(n),
      obsBad: new Uint8Array(n * ir.layout.observation.length),
    };
    this.env = env;

    // Memory: every agent's frame (the IR frame, then the tree's internal slots), then one column per observation
    // and output field (agent a's value at base + a * size, so a host's struct-of-arrays state can live there
    // and it reads outputs in place: see observationColumn, outputColumn), then scratch. Their slots in the IR
    // frame stay unused.
    const frameSize = ir.layout.frameSize;
    this.frameStride = frameSize + internalFrameSlots(ir);
    this.colBase = new Int32Array(ir.layout.vars.length).fill(-1);
    let columnEnd = n * this.frameStride;
    for (const id of [...ir.layout.observation, ...ir.layout.output]) {
      this.colBase[id] = columnEnd;
      columnEnd += n * ir.layout.vars[id]!.size;
    }

    // The recorder exists before the tree is compiled: the tree specialises its status reporting on it.
    if (options.trace) {
      // Agent a's traced value i is at mem[slots[i] + a * strides[i]] (in the field's column).
      const slots: number[][] = [[], []];
      const strides: number[][] = [[], []];
      [ir.layout.observation, ir.layout.output].forEach((ids, r) => {
        for (const id of ids) {
          const v = ir.layout.vars[id]!;
          for (let k = 0; k < v.size; k++) {
            slots[r]!.push(this.colBase[id]! + k);
            strides[r]!.push(v.size);
          }
        }
      });
      this.recorder = new TraceRecorder(
        options.trace,
        { hpol: "trace", version: TRACE_VERSION, policy: ir.name, agents: n, stepMs: this.stepMs, seed: this.seed },
        { slots: Int32Array.from(slots[0]!), strides: Int32Array.from(strides[0]!) },
        { slots: Int32Array.from(slots[1]!), strides: Int32Array.from(strides[1]!) },
        n,
      );
      const rec = this.recorder;
      env.onStatus = (agent, node, status) => rec.statusChange(agent, node, status);
    } else this.recorder = null;

    const scratchBase = columnEnd;
    this.ex = compileExprs(ir, env, scratchBase, this.colBase);
    let scratchEnd = scratchBase + this.ex.scratchSize;
    this.tree = compileTree(ir, env, this.ex, frameSize, n, (k) => {
      const o = scratchEnd;
      scratchEnd += k;
      return o;
    });
    install?.(this.tree, env, this.ex);
    // Any infer node makes stepping asynchronous: in-frame ones suspend agents, and asynchronous ones need each
    // step to wait for the previous step's background flush so results land on a deterministic step.
    this.isAsync = this.tree.hasAnyInfer;
    this.mem = new Float64Array(scratchEnd);
    env.mem = this.mem;
    for (const c of this.ex.constInits) this.mem.set(c.value, c.off);
    env.status = new Uint8Array(n * ir.nodes.length);
    env.ints = new Int32Array(n * this.tree.intStride);
    env.floats = new Float64Array(n * this.tree.floatStride);

    // Initial values: state from `init`, message kinds -1 (no message yet), observations their default (0, or
    // the end of the declared range nearest to 0, so a field the host has not set yet reads as valid), everything
    // else 0.
    for (let a = 0; a < n; a++) {
      for (const v of ir.layout.vars) if (v.init) this.mem.set(v.init, this.varAddress(a, v));
      for (const p of ir.planners) this.mem[a * this.frameStride + ir.layout.vars[p.kindVar]!.offset] = -1;
    }
    for (const id of ir.layout.observation) {
      const c = obsCheck(ir.layout.vars[id]!.type);
      const initial = c === null ? 0 : Math.min(c.hi, Math.max(c.lo, 0));
      if (initial !== 0) this.column(id).fill(initial);
    }

    const E = ir.events.length;
    this.eventPrev = new Uint8Array(n * E);
    this.eventFired = new Uint8Array(n * E);
    this.eventRaised = new Uint8Array(n * E);
    this.fresh = new Uint8Array(n * ir.planners.length);
    this.activeRoot = new Int32Array(n * ir.executors.length);
    this.handlerRoot = ir.executors.map((x) => {
      const kinds = x.follows === null ? 0 : ir.messages[ir.planners[x.follows]!.message]!.kinds.length;
      const table = new Int32Array(kinds + 1).fill(x.default === null ? -1 : x.default);
      for (const h of x.handlers) table[h.kind] = h.root;
      return table; // index kinds (= no message) → default
    });
    for (const id of ir.layout.output) this.outputByName.set(ir.layout.vars[id]!.field, ir.layout.vars[id]!);
    this.proposalFor = ir.executors.map(() => new Map());
    for (const arb of ir.arbiters) {
      for (const p of arb.proposals) {
        this.proposalFor[p.executor]!.set(arb.output, {
          var: ir.layout.vars[p.var]!.offset,
          valid: ir.layout.vars[p.validVar]!.offset,
        });
      }
    }
    this.validFlags = this.proposalFor.map((m) => Int32Array.from([...m.values()].map((p) => p.valid)));
    this.arbitration = new Arbitration(ir, env, this.ex, n, (a) => {
      this.setAgent(a);
      this.ctx.node = -1;
    }, this.recorder);
    this.obsIndexOf = new Int32Array(ir.layout.vars.length).fill(-1);
    ir.layout.observation.forEach((v, k) => (this.obsIndexOf[v] = k));
    let maxVar = 1;
    for (const v of ir.layout.vars) maxVar = Math.max(maxVar, v.size);
    this.staging = new Float64Array(maxVar);
    this.suspendedList = new Int32Array(n);
    this.resumeList = new Int32Array(n);
    this.externStaging = ir.externs.map((x) => new Float64Array(Math.max(1, x.returns ? typeSize(x.returns) : 1)));

    const ctxWrite = (output: string, value: unknown): boolean => self.actionWrite(output, value);
    this.ctx = { agent: 0, node: -1, step: 0, time: 0, phase: "start", write: ctxWrite };

    if (this.neuralHost || this.tree.hasAnyInfer) env.neural = this.makeBridge();

  }

  // ------------------------------------------------------------------ host API

  /** The step about to run (0 before the first step). */
  get step(): number {
    return this.stepIndex;
  }
  /** Simulated time of the next step, in ms. */
  get time(): number {
    return this.stepIndex * this.stepMs;
  }

  /** Set every observation field of one agent. A field that violates its type keeps its previous value and
   *  records HP8020 for that agent; returns false if any field did. */
  setObservation(agent: number, obs: Record<string, unknown>): boolean {
    let ok = true;
    for (const id of this.ir.layout.observation) {
      const v = this.ir.layout.vars[id]!;
      // Own properties only: an inherited `constructor` or `toString` is not the host's value of such a field.
      if (!Object.hasOwn(obs, v.field)) {
        this.obsError(agent, v, `${v.field}: missing`);
        this.markObservation(agent, v, true);
        ok = false;
        continue;
      }
      ok = this.writeField(agent, v, obs[v.field]) && ok;
    }
    return ok;
  }

  /** Set one observation field of one agent (validated like setObservation). */
  setObservationField(agent: number, field: string, value: unknown): boolean {
    const id = this.ir.layout.observation.find((i) => this.ir.layout.vars[i]!.field === field);
    if (id === undefined) {
      throw this.unknown("observation field", field, this.ir.layout.observation.map((i) => this.ir.layout.vars[i]!.field));
    }
    return this.writeField(agent, this.ir.layout.vars[id]!, value);
  }

  /** One agent's outputs as a plain object (enums by member name). Allocates: use `outputSlot` in hot loops. */
  getOutput(agent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const id of this.ir.layout.output) {
      const v = this.ir.layout.vars[id]!;
      setOwnValue(out, v.field, decodeValue(v.type, this.mem, this.varAddress(agent, v)));
    }
    return out;
  }

  /** Read any var (state, obs, out) of one agent by qualified name, e.g. "state.ammo". */
  read(agent: number, name: string): unknown {
    const v = this.ir.layout.vars.find((x) => x.name === name);
    if (!v) throw this.unknown("variable", name, this.ir.layout.vars.map((x) => x.name));
    return decodeValue(v.type, this.mem, this.varAddress(agent, v));
  }

  /** Last status of a tree node for one agent (for inspection and tests). Exact for every node when the pool
   *  traces; without a tracer, exact for layer roots and for nodes that can be running, while a node that can
   *  never run (a check, a set, a composite of such nodes) stays "idle": writing its status would cost a store
   *  per node visited that nothing reads. */
  nodeStatus(agent: number, node: number): StatusName {
    return STATUS_NAMES[this.env.status[agent * this.ir.nodes.length + node]! & 3]!;
  }

  /** The pool's storage of one output field for every agent, for hosts that read outputs in place: agent a's
   *  value is `column[a]` (bools 0/1, enums by ordinal; vec and tensor fields of `size` numbers at
   *  `column[a * size]` to `column[a * size + size - 1]`; records and lists in the runtime's own encoding: read
   *  those with getOutput). The pool writes it during each step; the same array is returned every time and stays
   *  valid for the pool's lifetime. Writing it bypasses validation, like writing `mem`. */
  outputColumn(field: string): Float64Array {
    const ids = this.ir.layout.output;
    const id = ids.find((i) => this.ir.layout.vars[i]!.field === field);
    if (id === undefined) {
      const isObs = this.ir.layout.observation.some((i) => this.ir.layout.vars[i]!.field === field);
      if (isObs) {
        throw new HpolRuntimeError(runtimeError(runtimeCodes.unknownName, {
          what: "output",
          name: field,
          hint: ` (\`${field}\` is an observation: use observationColumn("${field}"))`,
        }));
      }
      throw this.unknown("output", field, ids.map((i) => this.ir.layout.vars[i]!.field));
    }
    return this.column(id);
  }

  /** The pool's storage of one observation field for every agent, for hosts that keep their per-agent state in
   *  arrays (struct of arrays): write observations here and the policy reads them in place, with no copy.
   *  Scalar fields (bool, int, float, enum): agent a's value is `column[a]` (bools 0/1, enums by ordinal). vec
   *  and tensor fields of `size` numbers: agent a's are `column[a * size]` to `column[a * size + size - 1]`.
   *  Records and lists have no column (set them with setObservation). Writes are not checked when made: every
   *  node that reads the field checks the agent's value first, and a value that violates the field's declared
   *  type (NaN, infinite, out of range, not an integer, a bool other than 0/1) fails that node for that agent
   *  with HP8021, so its fallback runs. The same array is returned every time and stays valid for the pool's
   *  lifetime. */
  observationColumn(field: string): Float64Array {
    const ids = this.ir.layout.observation;
    const id = ids.find((i) => this.ir.layout.vars[i]!.field === field);
    if (id === undefined) throw this.unknown("observation field", field, ids.map((i) => this.ir.layout.vars[i]!.field));
    const v = this.ir.layout.vars[id]!;
    if (obsCheck(v.type) === null) {
      throw new HpolRuntimeError(runtimeError(runtimeCodes.unknownName, {
        what: "observation field with a column",
        name: field,
        hint: ` (a ${typeName(v.type)} has no column: set it with setObservation or setObservationField)`,
      }));
    }
    return this.column(id);
  }

  /** The view of var `id`'s column handed to hosts: made once (kept in `columns`), so every call returns the
   *  same array. */
  private column(id: number): Float64Array {
    let view = this.columns.get(id);
    if (!view) {
      const base = this.colBase[id]!;
      view = this.mem.subarray(base, base + this.size * this.ir.layout.vars[id]!.size);
      this.columns.set(id, view);
    }
    return view;
  }

  /** Raise a host event for one agent (or all): planners triggered by it run at the next step. */
  raise(event: string, agent?: number): void {
    const e = this.ir.events.findIndex((x) => x.name === event);
    if (e < 0) throw this.unknown("event", event, this.ir.events.map((x) => x.name));
    const E = this.ir.events.length;
    if (agent === undefined) for (let a = 0; a < this.size; a++) this.eventRaised[a * E + e] = 1;
    else this.eventRaised[agent * E + e] = 1;
  }

  /** Push a message into a planner's channel (a human correction): at the next step it replaces the current
   *  message and preempts the executors that follow the planner, exactly like a fresh emission. */
  inject(planner: string, kind: string, payload: Record<string, unknown> = {}, agent?: number): void {
    const p = this.ir.planners.findIndex((x) => x.name === planner);
    if (p < 0) throw this.unknown("planner", planner, this.ir.planners.map((x) => x.name));
    const msgType = this.ir.messages[this.ir.planners[p]!.message]!;
    const k = msgType.kinds.findIndex((x) => x.name === kind);
    if (k < 0) throw this.unknown(`message kind of ${msgType.name}`, kind, msgType.kinds.map((x) => x.name));
    const payloadVar = this.ir.layout.vars[this.ir.planners[p]!.payloadVars[k]!]!;
    const staged = new Float64Array(payloadVar.size);
    const problem = encodeValue(payloadVar.type, payload, staged, 0, `${planner}.${kind}`);
    if (problem) throw new HpolRuntimeError(runtimeError(runtimeCodes.unknownName, { what: "payload", name: kind, hint: ` (${problem})` }));
    if (agent === undefined) for (let a = 0; a < this.size; a++) this.injections.push({ agent: a, planner: p, kind: k, payload: staged });
    else this.injections.push({ agent, planner: p, kind: k, payload: staged });
  }

  /** Runtime errors recorded since the last call (at most `maxErrors` of them; see droppedErrors). */
  drainErrors(): RuntimeError[] {
    this.dropped = 0;
    return this.errors.splice(0, this.errors.length);
  }

  /** Errors recorded since the last drainErrors() but not kept, because `maxErrors` were kept already. */
  get droppedErrors(): number {
    return this.dropped;
  }

  /** Advance every agent by one step. Synchronous (returns undefined) unless the policy has infer nodes, in
   *  which case the returned promise resolves when the step is complete. */
  stepOnce(): void | Promise<void> {
    return this.isAsync ? this.stepAsync() : this.stepSync();
  }

  /** Run `count` steps (awaiting each when the policy is asynchronous). */
  async run(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const r = this.stepOnce();
      if (r) await r;
    }
  }

  /** Run `count` steps of a synchronous policy. */
  runSync(count: number): void {
    for (let i = 0; i < count; i++) this.stepSync();
  }

  /** Finish the trace and release models. */
  async close(): Promise<void> {
    this.recorder?.close();
    if (this.flushing) await this.flushing;
    await this.neuralHost?.close();
  }

  // ------------------------------------------------------------------ the step

  stepSync(): void {
    if (this.isAsync) throw new Error("this policy has infer nodes: use `await pool.stepOnce()` or `await pool.run(n)`");
    this.beginStep();
    for (let p = 0; p < this.ir.planners.length; p++) this.plannerPass(p, false);
    this.channels();
    for (let x = 0; x < this.ir.executors.length; x++) this.executorPass(x, false);
    this.endStep();
  }

  async stepAsync(): Promise<void> {
    // The background flush started at the end of the previous step publishes asynchronous results before this
    // step reads them.
    if (this.flushing) await this.flushing;
    this.beginStep();
    for (let p = 0; p < this.ir.planners.length; p++) {
      let waiting = this.plannerPass(p, false);
      while (waiting > 0) {
        await this.flushNeural();
        waiting = this.resumePass(waiting, () => this.tickPlanner(p));
      }
    }
    this.channels();
    for (let x = 0; x < this.ir.executors.length; x++) {
      let waiting = this.executorPass(x, false);
      while (waiting > 0) {
        await this.flushNeural();
        waiting = this.resumePass(waiting, () => this.tickExecutor(x, true));
      }
    }
    this.endStep();
  }

  private beginStep(): void {
    const s = this.stepIndex;
    const env = this.env;
    env.now = s * this.stepMs;
    this.ctx.step = s;
    this.ctx.time = env.now;
    this.fresh.fill(0);
    const rec = this.recorder;
    if (rec) {
      rec.beginStep(s, env.now);
      for (let a = 0; a < this.size; a++) rec.observe(a, this.mem);
      const nObs = this.ir.layout.observation.length;
      for (let a = 0; a < this.size; a++) {
        if (env.obsBadCount[a] === 0) continue;
        const bad: number[] = [];
        for (let k = 0; k < nObs; k++) if (env.obsBad[a * nObs + k]) bad.push(k);
        rec.rejected(a, bad);
      }
    }
    // Events: an edge-triggered event fires on the step its condition becomes true (it was false, or this is
    // the first step); a host-raised event fires on the step after raise().
    const E = this.ir.events.length;
    for (let e = 0; e < E; e++) {
      const ev = this.ir.events[e]!;
      const cond = ev.when === undefined ? null : this.ex.scalar[ev.when]!;
      for (let a = 0; a < this.size; a++) {
        const i = a * E + e;
        let fired = 0;
        if (cond) {
          this.setAgent(a);
          env.faulted = false;
          const v = cond() !== 0 && !env.faulted ? 1 : 0;
          fired = v && !this.eventPrev[i] ? 1 : 0;
          this.eventPrev[i] = v;
        }
        if (this.eventRaised[i]) {
          fired = 1;
          this.eventRaised[i] = 0;
          rec?.raised(a, e);
        }
        this.eventFired[i] = fired;
      }
    }
  }

  private endStep(): void {
    this.arbitration.arbitrate();
    this.arbitration.shield();
    const rec = this.recorder;
    if (rec) {
      for (let a = 0; a < this.size; a++) rec.outputs(a, this.mem);
      rec.endStep();
    }
    this.stepIndex++;
    // Asynchronous inference runs in the background; results are picked up by later steps.
    const host = this.neuralHost;
    if (host && !this.playback && (host.pending || this.asyncInFlight.size > 0) && !this.flushing) {
      this.flushing = host.flush().finally(() => {
        this.flushing = null;
      });
    }
  }

  // Not an async function: every step waits for this flush, and an async wrapper adds a microtask turn to it.
  private flushNeural(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flushNeural());
    return this.playback ? Promise.resolve() : this.neuralHost!.flush();
  }

  /** Is a layer with this period due at step s? It runs at step 0 and whenever floor(t / period) advances. */
  private due(periodMs: number | null, s: number): boolean {
    if (periodMs === null) return false;
    if (s === 0) return true;
    const k = Math.floor((s * this.stepMs) / periodMs + 1e-9);
    const prev = Math.floor(((s - 1) * this.stepMs) / periodMs + 1e-9);
    return k !== prev;
  }

  private setAgent(a: number): void {
    const env = this.env;
    env.agent = a;
    env.node = -1;
    env.fb = a * this.frameStride;
    env.sb = a * this.ir.nodes.length;
    env.ib = a * this.tree.intStride;
    env.xb = a * this.tree.floatStride;
  }

  private plannerPass(p: number, _resume: boolean): number {
    const planner = this.ir.planners[p]!;
    const due = this.due(planner.periodMs, this.stepIndex);
    const E = this.ir.events.length;
    let waiting = 0;
    for (let a = 0; a < this.size; a++) {
      let run = due;
      if (!run) for (const e of planner.events) if (this.eventFired[a * E + e]) run = true;
      if (!run) continue;
      this.setAgent(a);
      if (this.tickPlanner(p) === SUSPENDED) this.suspendedList[waiting++] = a;
    }
    return waiting;
  }

  private tickPlanner(p: number): number {
    this.env.executor = -1;
    this.env.suspended = false;
    return this.tree.tick[this.ir.planners[p]!.root]!();
  }

  /** Re-enter suspended agents after a flush; returns how many suspended again. */
  private resumePass(count: number, tickOne: () => number): number {
    this.resumeList.set(this.suspendedList.subarray(0, count));
    let waiting = 0;
    for (let i = 0; i < count; i++) {
      const a = this.resumeList[i]!;
      this.setAgent(a);
      this.env.resume = true;
      const st = tickOne();
      this.env.resume = false;
      if (st === SUSPENDED) this.suspendedList[waiting++] = a;
    }
    return waiting;
  }

  private channels(): void {
    // Injections land after the planners, so a correction overrides this step's planner choice.
    for (const inj of this.injections) {
      const planner = this.ir.planners[inj.planner]!;
      const payloadVar = this.ir.layout.vars[planner.payloadVars[inj.kind]!]!;
      this.setAgent(inj.agent);
      this.recorder?.injected(inj.agent, inj.planner, inj.kind, Array.from(inj.payload));
      this.mem.set(inj.payload, this.env.fb + payloadVar.offset);
      this.mem[this.env.fb + this.ir.layout.vars[planner.kindVar]!.offset] = inj.kind;
      this.fresh[inj.agent * this.ir.planners.length + inj.planner] = 1;
      this.recorder?.message(inj.agent, inj.planner, inj.kind, Array.from(inj.payload), true);
    }
    this.injections.length = 0;
    // A fresh message preempts: the running subtree of every executor following that planner is halted now.
    const P = this.ir.planners.length;
    for (let x = 0; x < this.ir.executors.length; x++) {
      const exec = this.ir.executors[x]!;
      if (exec.follows === null) continue;
      for (let a = 0; a < this.size; a++) {
        if (!this.fresh[a * P + exec.follows]) continue;
        const slot = a * this.ir.executors.length + x;
        const root = this.activeRoot[slot]! - 1;
        if (root < 0) continue;
        this.setAgent(a);
        this.env.executor = x;
        this.tree.halt[root]!();
        this.activeRoot[slot] = NO_NEW;
      }
    }
  }

  private emitMessage(planner: number, kind: number, staging: number, injected: boolean, node: number): void {
    void node;
    const p = this.ir.planners[planner]!;
    const env = this.env;
    const kindOff = env.fb + this.ir.layout.vars[p.kindVar]!.offset;
    const payloadVar = this.ir.layout.vars[p.payloadVars[kind]!]!;
    const off = env.fb + payloadVar.offset;
    const size = payloadVar.size;
    // Re-emitting the current message (same kind and payload) refreshes it without preempting.
    let same = this.mem[kindOff] === kind;
    for (let i = 0; same && i < size; i++) if (this.mem[off + i] !== this.mem[staging + i]) same = false;
    if (!same) {
      this.mem.copyWithin(off, staging, staging + size);
      this.mem[kindOff] = kind;
      this.fresh[env.agent * this.ir.planners.length + planner] = 1;
    }
    if (this.recorder) this.recorder.message(env.agent, planner, kind, Array.from(this.mem.subarray(off, off + size)), !same || injected);
  }

  private executorPass(x: number, _resume: boolean): number {
    const exec = this.ir.executors[x]!;
    if (!this.due(exec.periodMs, this.stepIndex)) return 0;
    let waiting = 0;
    if (exec.follows === null && exec.default !== null && this.validFlags[x]!.length === 0) {
      // Fast path for the common body-only executor: one root, no message, no proposals to clear.
      const env = this.env;
      const batch = this.tree.batch[exec.default];
      if (batch) {
        // Generated code loops over the agents itself and never suspends.
        env.executor = x;
        env.suspended = false;
        batch(0, this.size);
        return 0;
      }
      const tick = this.tree.tick[exec.default]!;
      const fs = this.frameStride;
      const ns = this.ir.nodes.length;
      const is = this.tree.intStride;
      const xs = this.tree.floatStride;
      env.executor = x;
      for (let a = 0; a < this.size; a++) {
        env.agent = a;
        env.node = -1;
        env.fb = a * fs;
        env.sb = a * ns;
        env.ib = a * is;
        env.xb = a * xs;
        env.suspended = false;
        if (tick() === SUSPENDED) this.suspendedList[waiting++] = a;
      }
      return waiting;
    }
    for (let a = 0; a < this.size; a++) {
      this.setAgent(a);
      if (this.tickExecutor(x, false) === SUSPENDED) this.suspendedList[waiting++] = a;
    }
    return waiting;
  }

  private tickExecutor(x: number, resuming: boolean): number {
    const exec = this.ir.executors[x]!;
    const env = this.env;
    env.executor = x;
    env.suspended = false;
    const slot = env.agent * this.ir.executors.length + x;
    if (!resuming) {
      // Proposals are latched until the executor runs again.
      const flags = this.validFlags[x]!;
      for (let i = 0; i < flags.length; i++) this.mem[env.fb + flags[i]!] = 0;
    }
    let root: number;
    if (exec.follows === null) root = exec.default ?? -1;
    else {
      const table = this.handlerRoot[x]!;
      const kind = this.mem[env.fb + this.ir.layout.vars[this.ir.planners[exec.follows]!.kindVar]!.offset]!;
      // Before the first message (kind -1) the default runs; so it does for a kind without a handler.
      root = kind >= 0 && kind < table.length - 1 ? table[kind]! : table[table.length - 1]!;
    }
    const active = this.activeRoot[slot]! - 1;
    if (active >= 0 && active !== root) this.tree.halt[active]!();
    this.activeRoot[slot] = root + 1;
    if (root < 0) return SUCCESS;
    return this.tree.tick[root]!();
  }

  // ------------------------------------------------------------------ externs

  private rngOf(agent: number): Rng {
    return (this.rngs[agent] ??= new Xoshiro128(this.seed, agent));
  }

  private invoke(fn: ExternFn, args: unknown[]): unknown {
    const ctx = this.ctx;
    ctx.agent = this.env.agent;
    switch (args.length) {
      case 0:
        return fn(ctx);
      case 1:
        return fn(args[0], ctx);
      case 2:
        return fn(args[0], args[1], ctx);
      case 3:
        return fn(args[0], args[1], args[2], ctx);
      default:
        return fn(...args, ctx);
    }
  }

  private callExtern(ext: number, args: unknown[]): unknown {
    const decl = this.ir.externs[ext]!;
    const agent = this.env.agent;
    let raw: unknown;
    let thrown: string | null = null;
    if (this.playback) {
      raw = this.playback.extern(agent, ext);
      thrown = thrownText(raw);
    } else {
      this.ctx.node = this.env.node;
      try {
        raw = this.invoke(this.bound[ext]!, args);
      } catch (e) {
        thrown = errorText(e);
      }
    }
    if (thrown !== null) {
      this.recorder?.externResult(agent, ext, { thrown });
      this.fault(runtimeCodes.externThrew, { name: decl.name, error: thrown }, this.ctx.node);
      return FAULT;
    }
    const t = decl.kind === "condition" ? ({ k: "bool" } as const) : decl.returns!;
    const staging = this.externStaging[ext]!;
    const problem = encodeValue(t, raw, staging, 0, "result");
    if (problem) {
      this.fault(runtimeCodes.externResult, { name: decl.name, expected: typeName(t), got: `${describe(raw)} (${problem})` }, this.env.node);
      return FAULT;
    }
    this.recorder?.externResult(agent, ext, jsonable(raw));
    return staging.length === 1 && typeSize(t) === 1 ? staging[0] : staging;
  }

  private actionWrites: [string, unknown][] | null = null;

  private runAction(node: number, ext: number, args: unknown[], phase: "start" | "running" | "halt"): number {
    const decl = this.ir.externs[ext]!;
    const ctx = this.ctx;
    ctx.node = node;
    ctx.phase = phase;
    this.currentAction = ext;
    if (this.recorder) this.actionWrites = [];
    let raw: unknown;
    let thrown: string | null = null;
    if (this.playback) {
      const rec = this.playback.extern(this.env.agent, ext) as [unknown, [string, unknown][]] | undefined;
      raw = rec?.[0];
      thrown = thrownText(raw);
      for (const [name, value] of rec?.[1] ?? []) this.actionWrite(name, value);
    } else {
      try {
        raw = this.invoke(this.bound[ext]!, args);
      } catch (e) {
        thrown = errorText(e);
      }
    }
    if (thrown !== null) {
      this.currentAction = -1;
      this.recordAction(ext, { thrown });
      this.fault(runtimeCodes.externThrew, { name: decl.name, error: thrown }, node);
      return FAILURE;
    }
    this.currentAction = -1;
    if (phase === "halt") {
      this.recordAction(ext, "halted");
      return FAILURE;
    }
    const st =
      raw === "success" || raw === true ? SUCCESS : raw === "failure" || raw === false ? FAILURE : raw === "running" && decl.async ? RUNNING : -1;
    if (st < 0) {
      const expected = decl.async ? '"success", "failure" or "running"' : '"success" or "failure" (the action is not async)';
      this.fault(runtimeCodes.externResult, { name: decl.name, expected, got: describe(raw) }, node);
      this.recordAction(ext, "failure");
      return FAILURE;
    }
    this.recordAction(ext, raw);
    return st;
  }

  private recordAction(ext: number, result: unknown): void {
    if (!this.recorder) return;
    this.recorder.externResult(this.env.agent, ext, [result, this.actionWrites ?? []]);
    this.actionWrites = null;
  }

  private currentAction = -1;

  private actionWrite(output: string, value: unknown): boolean {
    const ext = this.currentAction;
    const decl = ext >= 0 ? this.ir.externs[ext] : undefined;
    const v = this.outputByName.get(output);
    if (!decl || !v || !decl.writes.includes(v.id)) {
      this.fault(runtimeCodes.externWrite, { name: decl?.name ?? "(no action running)", output }, this.ctx.node);
      return false;
    }
    // Inside an executor, an arbitrated output is written as that executor's proposal.
    const env = this.env;
    const prop = env.executor >= 0 ? this.proposalFor[env.executor]!.get(v.id) : undefined;
    const dst = prop ? env.fb + prop.var : this.varAddress(env.agent, v);
    const staged = new Float64Array(v.size);
    const problem = encodeValue(v.type, value, staged, 0, output);
    if (problem) {
      this.fault(runtimeCodes.externResult, { name: decl.name, expected: typeName(v.type), got: problem }, this.ctx.node);
      return false;
    }
    this.mem.set(staged, dst);
    if (prop) this.mem[env.fb + prop.valid] = 1;
    this.actionWrites?.push([output, jsonable(value)]);
    return true;
  }

  // ------------------------------------------------------------------ neural bridge

  /** Tickets of asynchronous requests not yet consumed or released: flushes continue while there are any. */
  private readonly asyncInFlight = new Set<number>();
  private readonly ticketOwner = new Map<number, { agent: number; node: number; recorded: boolean }>();
  private playbackTicket = 1 << 30;
  private readonly playbackResults = new Map<number, { ok: true; outputs: readonly Float32Array[] } | { ok: false; code: string; message: string }>();

  private makeBridge(): InferBridge {
    const host = this.neuralHost;
    if (host && !this.recorder) {
      // Untraced runs talk to the host directly: no bookkeeping per request (replay installs its own bridge).
      return {
        available: () => true,
        validated: host.validatesResults === true,
        submit: (_node, model, inputs, async) => {
          if (!async) return host.submit(model, inputs);
          const t = host.submit(model, inputs, { async: true });
          this.asyncInFlight.add(t);
          return t;
        },
        result: (ticket) => host.result(ticket),
        // In-frame tickets never enter asyncInFlight, and takeResult only succeeds for in-frame results, so the
        // bridge's own release upkeep is not needed when it takes one.
        takeResult:
          host.validatesResults === true && host.takeResult
            ? (ticket, sizes, dst, base, offsets) => host.takeResult!(ticket, sizes, dst, base, offsets)
            : undefined,
        release: (ticket) => {
          if (this.asyncInFlight.size > 0) this.asyncInFlight.delete(ticket);
          host.release(ticket);
        },
      };
    }
    return {
      available: () => this.neuralHost !== null || this.playback !== null,
      // Results replayed from a trace are checked again: a trace file is input like any other.
      validated: !this.playback && this.neuralHost?.validatesResults === true,
      submit: (node, model, inputs, async) => {
        if (this.playback) {
          const t = this.playbackTicket++;
          this.ticketOwner.set(t, { agent: this.env.agent, node, recorded: false });
          return t;
        }
        const t = async ? this.neuralHost!.submit(model, inputs, { async: true }) : this.neuralHost!.submit(model, inputs);
        this.ticketOwner.set(t, { agent: this.env.agent, node, recorded: false });
        if (async) this.asyncInFlight.add(t);
        return t;
      },
      result: (ticket) => {
        const owner = this.ticketOwner.get(ticket);
        let r: ReturnType<InferBridge["result"]>;
        if (this.playback) {
          r = this.playbackResults.get(ticket);
          if (!r && owner) {
            const rec = this.playback.inference(owner.agent, owner.node);
            if (rec !== undefined) {
              r = Array.isArray(rec)
                ? { ok: true, outputs: rec.map((o) => Float32Array.from(o)) }
                : { ok: false, code: "HP8030", message: rec.error };
              this.playbackResults.set(ticket, r);
            }
          }
        } else r = this.neuralHost!.result(ticket);
        if (r && owner && !owner.recorded) {
          owner.recorded = true;
          this.recorder?.inference(owner.agent, owner.node, r.ok ? r.outputs.map((o) => Array.from(o)) : { error: `${r.code}: ${r.message}` });
        }
        return r;
      },
      release: (ticket) => {
        this.ticketOwner.delete(ticket);
        this.asyncInFlight.delete(ticket);
        this.playbackResults.delete(ticket);
        if (!this.playback) this.neuralHost!.release(ticket);
      },
    };
  }

  /** @internal Replay: feed recorded extern and inference results instead of calling the host. */
  setPlayback(hooks: PlaybackHooks): void {
    this.playback = hooks;
    if (this.tree.hasAnyInfer) this.env.neural = this.makeBridge();
  }

  /** @internal Replay: write raw observation slots (as traced) for one agent. */
  writeObservationSlots(agent: number, values: readonly (number | string)[]): void {
    let i = 0;
    for (const id of this.ir.layout.observation) {
      const v = this.ir.layout.vars[id]!;
      const at = this.varAddress(agent, v);
      // Non-finite column values are traced as "NaN", "Infinity", "-Infinity" (trace.ts diffSlots).
      for (let k = 0; k < v.size; k++) this.mem[at + k] = Number(values[i++]!);
    }
  }

  /** @internal Replay: set which observations of every agent hold a rejected value (as traced under "bad"). */
  setRejectedObservations(bad: readonly (readonly [number, readonly number[]])[]): void {
    const env = this.env;
    env.obsBad.fill(0);
    env.obsBadCount.fill(0);
    const nObs = this.ir.layout.observation.length;
    for (const [agent, list] of bad) {
      for (const k of list) env.obsBad[agent * nObs + k] = 1;
      env.obsBadCount[agent] = list.length;
    }
  }

  /** @internal Replay: raise an event by id / inject a message from raw payload slots. */
  raiseById(agent: number, event: number): void {
    this.eventRaised[agent * this.ir.events.length + event] = 1;
  }
  injectRaw(agent: number, planner: number, kind: number, payload: readonly number[]): void {
    this.injections.push({ agent, planner, kind, payload: Float64Array.from(payload) });
  }
  /** @internal Evaluate an expression for one agent (tests, inspection); undefined if an extern faulted. */
  evaluate(agent: number, expr: number): unknown {
    this.setAgent(agent);
    this.env.faulted = false;
    const off = this.ex.block[expr]!();
    if (this.env.faulted) return undefined;
    return decodeValue(this.ir.exprs[expr]!.type, this.mem, off);
  }

  /** @internal Assign `value` to the location `target` for one agent (test `given` steps). */
  assign(agent: number, target: number, value: number): boolean {
    this.setAgent(agent);
    this.env.faulted = false;
    const src = this.ex.block[value]!();
    const dst = this.ex.target[target]?.() ?? -1;
    if (this.env.faulted || dst < 0) return false;
    makeAssign(this.ir.exprs[target]!.type, this.ir.exprs[value]!.type)(this.mem, dst, src);
    return true;
  }

  /** @internal Evaluate expressions into a raw payload (test `inject` steps). */
  evaluatePayload(agent: number, planner: number, kind: number, exprs: readonly number[]): number[] {
    const payloadVar = this.ir.layout.vars[this.ir.planners[planner]!.payloadVars[kind]!]!;
    const fields = payloadVar.type.k === "record" ? payloadVar.type.fields : [];
    const staged = new Float64Array(payloadVar.size);
    this.setAgent(agent);
    let at = 0;
    exprs.forEach((e, i) => {
      const f = fields[i]!;
      const off = this.ex.block[e]!();
      // Copy through a scratch-sized view so a list of another capacity is fitted like an emission does.
      const tmp = new Float64Array(this.ex.size[e]! + typeSize(f.type));
      tmp.set(this.mem.subarray(off, off + this.ex.size[e]!), typeSize(f.type));
      makeAssign(f.type, this.ir.exprs[e]!.type)(tmp, 0, typeSize(f.type));
      staged.set(tmp.subarray(0, typeSize(f.type)), at);
      at += typeSize(f.type);
    });
    return Array.from(staged);
  }

  /** The chain of running nodes under a root for one agent, as display names (deepest last). */
  runningPath(agent: number, root: number): string[] {
    const path: string[] = [];
    let id = root;
    for (;;) {
      const n = this.ir.nodes[id]!;
      path.push(n.label ? `${n.k} "${n.label}"` : `${n.k}#${id}`);
      const kids = "children" in n ? n.children : "child" in n ? [n.child] : [];
      const next = kids.find((c) => this.nodeStatus(agent, c) === "running");
      if (next === undefined) return path;
      id = next;
    }
  }

  /** @internal The last trace line written (replay compares it with the recorded one). */
  get lastTraceLine(): string {
    return this.recorder?.lastLine ?? "";
  }

  // ------------------------------------------------------------------ errors

  private fault<P>(entry: { code: string; severity: "error" | "warning"; message: (p: P) => string }, params: P, node: number): void {
    const span = node >= 0 ? (this.ir.spans.nodes[node] ?? null) : null;
    const e: RuntimeError = {
      code: entry.code,
      severity: entry.severity,
      message: entry.message(params),
      agent: this.env.agent,
      tick: this.stepIndex,
      node,
      span,
    };
    this.keep(e);
    this.recorder?.error(e.agent, e.code, node);
    this.onError?.(e);
  }

  private dropped = 0;
  private keep(e: RuntimeError): void {
    if (this.errors.length < this.maxErrors) this.errors.push(e);
    else this.dropped++;
  }

  private obsError(agent: number, v: IRVar, problem: string): void {
    const e = runtimeError(runtimeCodes.observation, { field: v.field, problem }, { agent, tick: this.stepIndex, span: v.span ?? null });
    this.keep(e);
    this.onError?.(e);
  }

  /** Mark or clear "last value rejected" for an observation var of one agent (HP8021 for nodes reading it). */
  private markObservation(agent: number, v: IRVar, bad: boolean): void {
    const k = this.obsIndexOf[v.id]!;
    if (k < 0) return;
    const i = agent * this.ir.layout.observation.length + k;
    const was = this.env.obsBad[i] === 1;
    if (was === bad) return;
    this.env.obsBad[i] = bad ? 1 : 0;
    this.env.obsBadCount[agent]! += bad ? 1 : -1;
  }

  private writeField(agent: number, v: IRVar, value: unknown): boolean {
    // Scalars are checked and written in place; larger values are staged so a bad value leaves no trace.
    const dst = this.varAddress(agent, v);
    const target = v.size === 1 ? this.mem : this.staging;
    const problem = encodeValue(v.type, value, target, v.size === 1 ? dst : 0, v.field);
    if (problem) {
      this.obsError(agent, v, problem);
      this.markObservation(agent, v, true);
      return false;
    }
    this.markObservation(agent, v, false);
    if (v.size > 1) for (let k = 0; k < v.size; k++) this.mem[dst + k] = this.staging[k]!;
    return true;
  }

  /** Where agent `agent`'s var `v` starts in `mem`: its column (observations, outputs), else its frame slot. */
  private varAddress(agent: number, v: IRVar): number {
    const col = this.colBase[v.id]!;
    return col >= 0 ? col + agent * v.size : agent * this.frameStride + v.offset;
  }

  /** A node of the current agent read observation `k` (index in layout.observation) whose column value violates
   *  the field's type: HP8021 at that node, naming the value. Returns true, so callers can write
   *  `invalid && env.badObservation(id, k)`. */
  private badObservation(node: number, k: number): boolean {
    const v = this.ir.layout.vars[this.ir.layout.observation[k]!]!;
    const problem = obsValueProblem(v, this.mem, this.varAddress(this.env.agent, v)) ?? `${v.field}: invalid`;
    this.fault(runtimeCodes.invalidObservation, { field: v.field, problem }, node);
    return true;
  }

  private unknown(what: string, name: string, candidates: readonly string[]): HpolRuntimeError {
    const close = closestName(name, candidates);
    return new HpolRuntimeError(runtimeError(runtimeCodes.unknownName, { what, name, hint: close ? ` (did you mean \`${close}\`?)` : "" }));
  }
}

function defaultStepMs(ir: PolicyIR): number {
  let best = Infinity;
  for (const p of ir.planners) if (p.periodMs !== null) best = Math.min(best, p.periodMs);
  for (const x of ir.executors) best = Math.min(best, x.periodMs);
  return Number.isFinite(best) ? best : 100;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A recorded throw in a trace is `{ "thrown": message }`. */
function thrownText(v: unknown): string | null {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { thrown?: unknown }).thrown === "string") {
    return (v as { thrown: string }).thrown;
  }
  return null;
}

function jsonable(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/** Create a pool of `options.agents` agents running one policy. Throws HpolRuntimeError (HP8010/HP8011) when
 *  the extern bindings do not match the policy. */
export function createPool(ir: PolicyIR, options: PoolOptions = {}): AgentPool {
  return new AgentPool(ir, options);
}

