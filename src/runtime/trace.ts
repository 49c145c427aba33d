// Traces: JSON Lines, written one complete line per step so a crash leaves a valid prefix.
//
// Line 1 is the header:
//   {"hpol":"trace","version":1,"policy":"<name>","agents":N,"stepMs":16.67,"seed":1}
// Every following line is one step. Keys appear in this order and are omitted when empty:
//   {"step":s,"t":ms,
//    "obs":[[agent,[slot values of every observation var, in layout order]],...]   input: agents whose obs changed
//    "bad":[[agent,[observation indices]],...]                                      input: observations holding a rejected value
//    "raise":[[agent,eventId],...]                                                  input: host-raised events
//    "inject":[[agent,plannerId,kind,[payload slots]],...]                         input: injected messages
//    "ext":[[agent,externId,result],...]                                            input: extern results, call order
//          (actions: result is [status, [[outputName, value], ...writes]])
//    "nn":[[agent,nodeId,[[output values],...]] | [agent,nodeId,{"error":msg}],...] input: inference results
//    "status":[[agent,nodeId,"running"|"success"|"failure"|"idle"],...]            status changes, in order
//    "msg":[[agent,plannerId,kind,[payload slots],fresh],...]                       emissions/injections (fresh 1 = preempts)
//    "arb":[[agent,arbiterId,winnerExecutorId | -1 none | -2 blend],...]           arbiter decisions that changed
//    "shield":[[agent,shieldId],...]                                                shields that changed an output
//    "err":[[agent,code,nodeId],...]                                                runtime errors
//    "out":[[agent,[slot values of every output var]],...]}                         agents whose outputs changed
// Within a key, entries are in execution order: layer by layer (events, planners, channel, executors, arbiters,
// shields), agents in index order within a layer pass. Inputs are what replay feeds back; the rest is verified.
import { closeSync, openSync, writeSync } from "node:fs";
import { STATUS_NAMES } from "./status.ts";

export const TRACE_VERSION = 1;

export interface TraceSink {
  write(line: string): void;
  close?(): void;
}

export interface TraceHeader {
  readonly hpol: "trace";
  readonly version: number;
  readonly policy: string;
  readonly agents: number;
  readonly stepMs: number;
  readonly seed: number;
}

/** Keeps lines in memory (tests, small runs). */
export class MemorySink implements TraceSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  text(): string {
    return this.lines.map((l) => l + "\n").join("");
  }
}

/** Appends each line to a file with a synchronous write, so every completed step is on disk. */
export class FileSink implements TraceSink {
  private fd: number | null;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  write(line: string): void {
    if (this.fd !== null) writeSync(this.fd, line + "\n");
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

type Entry = unknown[];

/** Collects one step's records and writes them as one line. Used by the pool when tracing is on. */
export class TraceRecorder {
  private readonly sink: TraceSink;
  private lastObs: Float64Array;
  private lastOut: Float64Array;
  /** Per agent: 1 once its values were traced (the first step traces every agent, whatever its values). */
  private readonly obsSeen: Uint8Array;
  private readonly outSeen: Uint8Array;
  private step = 0;
  private t = 0;
  private obs: Entry[] = [];
  private bad: Entry[] = [];
  private raise: Entry[] = [];
  private inject: Entry[] = [];
  private ext: Entry[] = [];
  private nn: Entry[] = [];
  private status: Entry[] = [];
  private msg: Entry[] = [];
  private arb: Entry[] = [];
  private shield: Entry[] = [];
  private err: Entry[] = [];
  private out: Entry[] = [];
  /** The last line written (replay compares it). */
  lastLine = "";

  constructor(
    sink: TraceSink,
    header: TraceHeader,
    private readonly obsSlots: TracedSlots,
    private readonly outSlots: TracedSlots,
    agents: number,
  ) {
    this.sink = sink;
    this.lastObs = new Float64Array(agents * obsSlots.slots.length);
    this.lastOut = new Float64Array(agents * outSlots.slots.length);
    this.obsSeen = new Uint8Array(agents);
    this.outSeen = new Uint8Array(agents);
    sink.write(JSON.stringify(header));
  }

  beginStep(step: number, t: number): void {
    this.step = step;
    this.t = t;
  }
  /** Compare the agent's observation slots with the last traced values. */
  observe(agent: number, mem: Float64Array): void {
    this.obs.push(...diffSlots(agent, mem, this.obsSlots, this.lastObs, this.obsSeen));
  }
  outputs(agent: number, mem: Float64Array): void {
    this.out.push(...diffSlots(agent, mem, this.outSlots, this.lastOut, this.outSeen));
  }
  rejected(agent: number, observations: number[]): void {
    this.bad.push([agent, observations]);
  }
  raised(agent: number, event: number): void {
    this.raise.push([agent, event]);
  }
  injected(agent: number, planner: number, kind: number, payload: number[]): void {
    this.inject.push([agent, planner, kind, payload]);
  }
  externResult(agent: number, ext: number, result: unknown): void {
    this.ext.push([agent, ext, result]);
  }
  inference(agent: number, node: number, result: number[][] | { error: string }): void {
    this.nn.push([agent, node, result]);
  }
  statusChange(agent: number, node: number, status: number): void {
    this.status.push([agent, node, STATUS_NAMES[status]]);
  }
  message(agent: number, planner: number, kind: number, payload: number[], fresh: boolean): void {
    this.msg.push([agent, planner, kind, payload, fresh ? 1 : 0]);
  }
  decision(agent: number, arbiter: number, winner: number): void {
    this.arb.push([agent, arbiter, winner]);
  }
  shielded(agent: number, shield: number): void {
    this.shield.push([agent, shield]);
  }
  error(agent: number, code: string, node: number): void {
    this.err.push([agent, code, node]);
  }

  endStep(): void {
    const rec: Record<string, unknown> = { step: this.step, t: this.t };
    const keys = ["obs", "bad", "raise", "inject", "ext", "nn", "status", "msg", "arb", "shield", "err", "out"] as const;
    for (const k of keys) {
      const list = this[k];
      if (list.length) rec[k] = list;
      this[k] = [];
    }
    this.lastLine = JSON.stringify(rec);
    this.sink.write(this.lastLine);
  }

  close(): void {
    this.sink.close?.();
  }
}

/** Where a traced region's values lie in the pool's memory: agent a's value i at slots[i] + a * strides[i]
 *  (frame slots step by the frame stride, observation columns by the field's size). */
export interface TracedSlots {
  readonly slots: Int32Array;
  readonly strides: Int32Array;
}

function diffSlots(agent: number, mem: Float64Array, at: TracedSlots, last: Float64Array, seen: Uint8Array): Entry[] {
  const { slots, strides } = at;
  const n = slots.length;
  const base = agent * n;
  let changed = seen[agent] === 0;
  seen[agent] = 1;
  for (let i = 0; i < n; i++) {
    const v = mem[slots[i]! + agent * strides[i]!]!;
    if (!Object.is(v, last[base + i])) changed = true;
  }
  if (!changed) return [];
  const values: (number | string)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = mem[slots[i]! + agent * strides[i]!]!;
    last[base + i] = v;
    // -0 and 0 trace the same. A host may write NaN or ±Infinity into an observation column (the nodes reading
    // it then fail, HP8021); JSON has no such numbers, so they are traced as the strings "NaN", "Infinity" and
    // "-Infinity", which replay turns back with Number().
    values[i] = v === 0 ? 0 : Number.isFinite(v) ? v : String(v);
  }
  return [[agent, values]];
}

/** Input records of one step, as replay needs them. */
export interface StepInputs {
  readonly step: number;
  readonly obs: readonly [number, (number | string)[]][];
  readonly bad: readonly [number, number[]][];
  readonly raise: readonly [number, number][];
  readonly inject: readonly [number, number, number, number[]][];
  readonly ext: readonly [number, number, unknown][];
  readonly nn: readonly [number, number, number[][] | { error: string }][];
}

/** Split trace text into header and step records. A truncated last line (crash mid-write) is dropped. */
export function parseTrace(text: string): { header: TraceHeader; steps: Record<string, unknown>[]; lines: string[] } | { error: { line: number; problem: string } } {
  const raw = text.split("\n");
  if (raw.length && raw[raw.length - 1] === "") raw.pop();
  const lines: string[] = [];
  const steps: Record<string, unknown>[] = [];
  let header: TraceHeader | null = null;
  for (let i = 0; i < raw.length; i++) {
    let value: unknown;
    try {
      value = JSON.parse(raw[i]!);
    } catch {
      if (i === raw.length - 1 && !text.endsWith("\n")) break; // torn final write
      return { error: { line: i + 1, problem: "not valid JSON" } };
    }
    if (i === 0) {
      const h = value as Partial<TraceHeader>;
      if (h.hpol !== "trace" || h.version !== TRACE_VERSION) return { error: { line: 1, problem: "missing or unsupported trace header" } };
      header = h as TraceHeader;
      continue;
    }
    lines.push(raw[i]!);
    steps.push(value as Record<string, unknown>);
  }
  if (!header) return { error: { line: 1, problem: "empty trace" } };
  return { header, steps, lines };
}
