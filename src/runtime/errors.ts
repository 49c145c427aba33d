// HP8xxx — runtime diagnostics. The runtime cannot import the compiler, so entries repeat the shape of the
// compiler's CodeEntry (code, severity, title, message(params), explanation, example) and the compiler's
// catalog lists them for `hpol explain`. Runtime errors are data (`RuntimeError`), reported per agent; they
// are never thrown inside a tick.
import type { IRSpan } from "./ir.ts";

export type RuntimeSeverity = "error" | "warning";

export interface RuntimeCodeEntry<P> {
  readonly code: string;
  readonly severity: RuntimeSeverity;
  readonly title: string;
  readonly message: (params: P) => string;
  readonly explanation: string;
  /** Runtime entries describe the failing situation instead of giving a source that produces the code. */
  readonly example: string;
}

function defineRuntimeCode<P>(entry: RuntimeCodeEntry<P>): RuntimeCodeEntry<P> {
  return entry;
}

export const runtimeCodes = {
  invalidIR: defineRuntimeCode<{ path: string; problem: string }>({
    code: "HP8001",
    severity: "error",
    title: "malformed policy IR",
    message: (p) => `malformed policy IR at ${p.path}: ${p.problem}`,
    explanation:
      "loadIR checks the structure of a policy IR before anything runs: every table, every id and every reference. " +
      "IR produced by `hpol build` always passes; this error means the JSON was edited by hand, truncated or produced by another tool.",
    example: "loadIR({ irVersion: 1, nodes: [{ id: 0, k: 'sequence', children: [7] }], ... }) — child 7 does not exist.",
  }),
  irVersion: defineRuntimeCode<{ found: string; expected: number }>({
    code: "HP8002",
    severity: "error",
    title: "policy IR version mismatch",
    message: (p) => `policy IR version ${p.found} is not supported (this runtime reads version ${p.expected})`,
    explanation: "The IR is versioned; rebuild the policy with the hpol compiler that matches this runtime.",
    example: "loadIR({ irVersion: 99, ... })",
  }),
  irLimit: defineRuntimeCode<{ path: string; what: string; size: number; limit: string; max: number }>({
    code: "HP8003",
    severity: "error",
    title: "policy IR exceeds a limit",
    message: (p) => `policy IR at ${p.path}: ${p.what} of ${p.size} exceeds the limit ${p.limit} = ${p.max}`,
    explanation:
      "loadIR re-checks the sizes an IR asks for against the same limits the compiler applies (docs/security.md): " +
      "tree and expression nodes, slots per agent frame and per value, list capacities and model tensor sizes. IR " +
      "from an untrusted source cannot make a pool allocate more than the host allowed; pass larger limits to " +
      "loadIR(json, { frameSlots: … }) when the policy is trusted.",
    example: "loadIR(ir) for an IR whose layout.frameSize is 10,000,000,000 slots.",
  }),
  externMissing: defineRuntimeCode<{ name: string; kind: string }>({
    code: "HP8010",
    severity: "error",
    title: "extern not bound",
    message: (p) => `extern ${p.kind} \`${p.name}\` is declared by the policy but the host did not bind it`,
    explanation: "Every extern condition, function and action a policy declares must be bound by name when the pool is created.",
    example: "createPool(ir, { externs: {} }) for a policy that declares `extern action fire()`.",
  }),
  externSignature: defineRuntimeCode<{ name: string; problem: string }>({
    code: "HP8011",
    severity: "error",
    title: "extern binding does not match its declaration",
    message: (p) => `extern \`${p.name}\` is bound to a value that does not match its declaration: ${p.problem}`,
    explanation:
      "Bindings are checked when they are made: the binding must be a function taking the declared parameters " +
      "(one argument per parameter, then a context). An unknown name is also reported, with the closest declared name.",
    example: "`extern function range(x: float) -> float` bound to `() => 1` (declares 1 parameter, binding takes 0).",
  }),
  externThrew: defineRuntimeCode<{ name: string; error: string }>({
    code: "HP8012",
    severity: "error",
    title: "extern threw",
    message: (p) => `extern \`${p.name}\` threw: ${p.error}`,
    explanation:
      "A host function that throws does not crash the pool: the node that called it fails for that agent only " +
      "(an expression that called it makes its node fail), and the other agents carry on.",
    example: "`do fire()` where the host's fire() throws an Error.",
  }),
  externResult: defineRuntimeCode<{ name: string; expected: string; got: string }>({
    code: "HP8013",
    severity: "error",
    title: "extern returned a value of the wrong type",
    message: (p) => `extern \`${p.name}\` returned ${p.got}, expected ${p.expected}`,
    explanation: "Extern results are checked against the declared type; a wrong result makes the calling node fail for that agent.",
    example: "`extern condition visible()` bound to a function that returns the string \"yes\".",
  }),
  externWrite: defineRuntimeCode<{ name: string; output: string }>({
    code: "HP8014",
    severity: "error",
    title: "extern action wrote an output it does not declare",
    message: (p) => `extern action \`${p.name}\` tried to write output \`${p.output}\`, which it does not declare in \`writes\``,
    explanation: "Authority is enforced at run time as well: an action writes only the outputs listed in its `writes` clause.",
    example: "`extern action move() writes speed` whose binding calls ctx.write('fire', true).",
  }),
  actionTimedOut: defineRuntimeCode<{ name: string; ms: number }>({
    code: "HP8015",
    severity: "error",
    title: "extern action stopped by a timeout",
    message: (p) => `extern action \`${p.name}\` was still running when its timeout of ${p.ms} ms expired; it was halted`,
    explanation:
      "An asynchronous action reports \"running\" until the host finishes it. When a `timeout` above it expires " +
      "first, the action is halted (the host's binding is called with phase \"halt\"), the timeout fails so the " +
      "tree's fallback runs, and this error is recorded for that agent at the action's node — in the pool's error " +
      "list and the trace — so a host action that never finishes does not go unnoticed. Other agents carry on.",
    example: "`timeout(2s) { do move_to(goal) }` where the host's move_to keeps answering \"running\".",
  }),
  observation: defineRuntimeCode<{ field: string; problem: string }>({
    code: "HP8020",
    severity: "error",
    title: "observation violates its declared type",
    message: (p) => `observation violates its declared type: ${p.problem}`,
    explanation:
      "Observations are checked against the declared observation type when they are set: a missing field, a wrong " +
      "type, NaN, a value outside the declared range or a list longer than its capacity is reported for that agent; " +
      "the previous (or initial) value of the field is kept.",
    example: "`observation { health: int[0, 100] }` given { health: 140 }.",
  }),
  invalidObservation: defineRuntimeCode<{ field: string; problem?: string }>({
    code: "HP8021",
    severity: "error",
    title: "node reads an invalid observation",
    message: (p) =>
      p.problem === undefined
        ? `this node reads observation \`${p.field}\`, whose last value violated its declared type; the node fails`
        : `this node reads observation \`${p.field}\`, whose value violates its declared type (${p.problem}); the node fails`,
    explanation:
      "A node checks every observation its expressions read, for the current agent, before it evaluates them. After " +
      "an HP8020 (setObservation rejected a value) the field keeps its previous value, but every node that reads it " +
      "fails for that agent (its declared fallback runs) until the host sets a valid value again. A value the host " +
      "wrote straight into the field's column (observationColumn) is not checked when written: a node that reads " +
      "a value violating the declared type (NaN, infinite, out of range, not an integer, a bool other than 0 or 1) " +
      "fails the same way, and the message names the value.",
    example: "`check obs.health < 30` after the host set health to 140 for `health: int[0, 100]`.",
  }),
  inference: defineRuntimeCode<{ model: string; error: string }>({
    code: "HP8030",
    severity: "error",
    title: "inference failed",
    message: (p) => `inference with model \`${p.model}\` failed: ${p.error}`,
    explanation: "The infer node fails for that agent so a fallback sibling can take over; the pool keeps running.",
    example: "A model whose session cannot run, or whose output holds NaN.",
  }),
  inferenceTimeout: defineRuntimeCode<{ model: string; ms: number }>({
    code: "HP8031",
    severity: "error",
    title: "asynchronous inference timed out",
    message: (p) => `asynchronous inference with model \`${p.model}\` gave no result within ${p.ms} ms`,
    explanation: "An `async timeout` infer node fails when its result has not arrived in time; a late result is dropped.",
    example: "`infer Planner { async timeout 200ms ... }` whose batch takes 300 ms of simulated time.",
  }),
  noNeuralHost: defineRuntimeCode<{ model: string }>({
    code: "HP8032",
    severity: "error",
    title: "no neural host",
    message: (p) => `the policy infers with model \`${p.model}\` but the pool was created without a neural host`,
    explanation: "Policies with infer nodes need a NeuralHost (options.neural) that runs the models.",
    example: "createPool(ir, { externs }) for a policy with an infer node.",
  }),
  unknownName: defineRuntimeCode<{ what: string; name: string; hint: string }>({
    code: "HP8040",
    severity: "error",
    title: "unknown name in a host call",
    message: (p) => `unknown ${p.what} \`${p.name}\`${p.hint}`,
    explanation: "The host referred to a planner, message kind, event or field the policy does not declare.",
    example: "pool.inject('Bos', 'attack') for a policy whose planner is `Boss`.",
  }),
  replayDivergence: defineRuntimeCode<{ tick: number; what: string }>({
    code: "HP8050",
    severity: "error",
    title: "replay diverged from the trace",
    message: (p) => `replay diverged at tick ${p.tick}: ${p.what}`,
    explanation: "Replay re-executes a trace's inputs and compares every record; the first difference is reported.",
    example: "A trace whose outputs were edited after recording.",
  }),
  badTrace: defineRuntimeCode<{ line: number; problem: string }>({
    code: "HP8051",
    severity: "error",
    title: "unreadable trace",
    message: (p) => `trace line ${p.line}: ${p.problem}`,
    explanation: "A trace is JSON Lines; a truncated last line (a crash while writing) is ignored, anything else is an error.",
    example: "A trace whose header line is missing.",
  }),
} as const;

export type RuntimeCodeName = keyof typeof runtimeCodes;

/** One runtime error for one agent: data, collected by the pool and written to the trace. */
export interface RuntimeError {
  readonly code: string;
  readonly severity: RuntimeSeverity;
  readonly message: string;
  /** Agent index, or -1 for pool-level errors. */
  readonly agent: number;
  /** Step number when it happened (-1 outside a step). */
  readonly tick: number;
  /** Tree node id, or -1. */
  readonly node: number;
  readonly span: IRSpan | null;
}

export function runtimeError<P>(
  entry: RuntimeCodeEntry<P>,
  params: P,
  where: { agent?: number; tick?: number; node?: number; span?: IRSpan | null } = {},
): RuntimeError {
  return {
    code: entry.code,
    severity: entry.severity,
    message: entry.message(params),
    agent: where.agent ?? -1,
    tick: where.tick ?? -1,
    node: where.node ?? -1,
    span: where.span ?? null,
  };
}

/** Thrown only outside the tick loop (loading IR, binding externs, bad host calls). */
export class HpolRuntimeError extends Error {
  readonly code: string;
  readonly detail: RuntimeError;
  constructor(detail: RuntimeError) {
    const where = detail.span ? ` (${detail.span.file}:${detail.span.line}:${detail.span.column})` : "";
    super(`${detail.code}: ${detail.message}${where}`);
    this.name = "HpolRuntimeError";
    this.code = detail.code;
    this.detail = detail;
  }
}

/** Renders "HP8012 agent 3 tick 40 node 7 (combat.hpol:12:5): extern `fire` threw: boom". */
export function formatRuntimeError(e: RuntimeError): string {
  const where = e.span ? ` (${e.span.file}:${e.span.line}:${e.span.column})` : "";
  const agent = e.agent >= 0 ? ` agent ${e.agent}` : "";
  const tick = e.tick >= 0 ? ` tick ${e.tick}` : "";
  const node = e.node >= 0 ? ` node ${e.node}` : "";
  return `${e.code}${agent}${tick}${node}${where}: ${e.message}`;
}

export function allRuntimeCodes(): RuntimeCodeEntry<never>[] {
  return Object.values(runtimeCodes) as unknown as RuntimeCodeEntry<never>[];
}
