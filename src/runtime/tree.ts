// The reference tree interpreter: every IR node compiled once per pool into a tick closure and a halt closure
// over flat per-agent state. docs/semantics.md is the specification of each node kind; this file implements
// it and the emitter must generate code that behaves identically.
//
// Per-agent state is never an object: a node's status byte lives at status[agent*nodeCount + id] (written
// untraced only for nodes that can run and layer roots: node-facts.ts untracedStatusKept), its integer
// state (child index, counters, phases, tickets) at ints[agent*intStride + intOff[id] + k] and its timers at
// floats[agent*floatStride + floatOff[id] + k]. The tick closures read the current agent's bases from the
// shared TreeEnv, which the pool sets before ticking an agent.
import { INFER_CHUNK_STEP, nodeStateLayout } from "./node-state-layout.ts";
import { canRun, untracedStatusKept, validFlagOffset } from "./node-facts.ts";
import type { IRNode, PolicyIR } from "./ir.ts";
import { exprOperands, typeSize } from "./ir.ts";
import type { CompiledExprs, EvalEnv } from "./expr-compiler.ts";
import * as Status from "./status.ts";
import { makeAssign } from "./assign.ts";
import { asyncActionsUnder } from "./timeout-actions.ts";
import { fusedCompare, int32Range, obsCheck, obsValid } from "./obs-check.ts";
import type { FusedCompare } from "./obs-check.ts";

// Local copies of the status codes: imported bindings can compile to getter calls (tsx, CommonJS interop),
// which costs a call per comparison in the hottest code of the runtime.
const IDLE: 0 = Status.IDLE;
const RUNNING: 1 = Status.RUNNING;
const SUCCESS: 2 = Status.SUCCESS;
const FAILURE: 3 = Status.FAILURE;
const SUSPENDED: 4 = Status.SUSPENDED;

/** Tolerance for comparing simulated times (ms): clocks are multiples of a float step. */
export const TIME_EPS = 1e-6;

export interface TreeEnv extends EvalEnv {
  /** Per agent per node status byte (see status.ts). */
  status: Uint8Array;
  sb: number;
  ints: Int32Array;
  ib: number;
  floats: Float64Array;
  xb: number;
  /** Simulated time of the current step (ms). */
  now: number;
  /** True while re-entering a suspended agent: composites go straight to their stored child. */
  resume: boolean;
  /** Set by an infer node that suspended the current agent. */
  suspended: boolean;
  /** Executor whose tree is ticking (for proposal redirection of action writes), or -1. */
  executor: number;
  /** Called on every traced status change (null when not tracing). */
  onStatus: ((agent: number, node: number, status: number) => void) | null;
  /** Run an extern action; returns RUNNING, SUCCESS or FAILURE (errors are recorded and give FAILURE). */
  runAction(node: number, ext: number, args: unknown[], phase: "start" | "running" | "halt"): number;
  /** A planner emission: payload already evaluated at `stagingOff`. */
  emit(node: number, planner: number, kind: number, stagingOff: number): void;
  /** Record a runtime error for the current agent at `node`. */
  fault(node: number, code: "inference" | "inferenceTimeout" | "noNeuralHost" | "invalidObservation" | "actionTimedOut", params: Record<string, unknown>): void;
  /** Per agent: how many observation vars currently hold a rejected value (0 on the fast path). */
  obsBadCount: Int32Array;
  /** Per agent × observation index: 1 while that observation's last value was rejected. */
  obsBad: Uint8Array;
  /** Node `node` of the current agent read observation `k` (index in layout.observation) and its column value
   *  violates the field's type: records HP8021 naming the value; returns true. */
  badObservation(node: number, k: number): boolean;
  /** Neural bridge (null when the pool has no neural host). */
  neural: InferBridge | null;
}

export interface InferBridge {
  /** False when nothing can run models (no neural host and not replaying). */
  available(): boolean;
  /** Queue a request of the current agent's infer node `node` (`async`: an asynchronous infer node). */
  submit(node: number, model: number, inputs: Float32Array[], async: boolean): number;
  /**
   * True when every ok result holds only finite values because the host checked them (NeuralHost
   * `validatesResults`): the infer node then skips its own NaN/Inf scan. False: the node checks every value.
   */
  readonly validated: boolean;
  result(ticket: number): { ok: true; outputs: readonly Float32Array[] } | { ok: false; code: string; message: string } | undefined;
  /**
   * Optional, only with `validated`: NeuralHost.takeResult — copies an ok result's outputs straight from the
   * host's batch into agent memory and releases the ticket (1), reports no result yet (0), or sends the caller
   * to `result` (-1).
   */
  readonly takeResult?: (ticket: number, sizes: readonly number[], dst: Float64Array, base: number, offsets: readonly number[]) => number;
  release(ticket: number): void;
}

export interface CompiledTree {
  readonly tick: (() => number)[];
  readonly halt: (() => void)[];
  /** Per layer root, optionally: tick agents `from`..`to`-1 in one call (emitted code installs these for the
   *  roots it generates; such roots never suspend). Returns the last agent's status. Whatever the code reads of
   *  the env's bases is set for each agent as setAgent would set it. */
  readonly batch: (((from: number, to: number) => number) | undefined)[];
  readonly intStride: number;
  readonly floatStride: number;
  /** Internal frame slots appended after the IR frame (infer outputs). */
  readonly internalSize: number;
  /** Offset of each infer node's outputs in the agent frame, per output. */
  readonly portBase: number[][];
  readonly portStep: number[][];
  /** Location of a port for the current agent (current chunk step). */
  portOff(node: number, output: number): number;
  /** The policy has in-frame infer nodes (stepping must be awaited). */
  readonly hasInfer: boolean;
  readonly hasAnyInfer: boolean;
  /** Int slot holding the current chunk step of an infer node (for portOff). */
  readonly chunkSlot: number[];
}

export function compileTree(
  ir: PolicyIR,
  env: TreeEnv,
  ex: CompiledExprs,
  frameSize: number,
  agents: number,
  allocScratch: (n: number) => number,
): CompiledTree {
  const nodes = ir.nodes;
  const count = nodes.length;
  const tick: (() => number)[] = new Array(count);
  const halt: (() => void)[] = new Array(count);

  // Static per-node state layout (shared with the emitter), plus where infer nodes keep their outputs.
  const { intOff, floatOff, intStride, floatStride } = nodeStateLayout(ir);
  const portBase: number[][] = [];
  const portStep: number[][] = [];
  const chunkSlot: number[] = new Array(count).fill(-1);
  let internal = frameSize;
  for (const n of nodes) {
    if (n.k !== "infer") continue;
    chunkSlot[n.id] = intOff[n.id]! + INFER_CHUNK_STEP;
    const m = ir.models[n.model]!;
    portBase[n.id] = m.outputs.map((p) => {
      const o = internal;
      internal += p.size;
      return o;
    });
    portStep[n.id] = m.outputs.map((p) => p.size / n.chunk);
  }

  // Tracing is decided when the pool is built: the untraced variant is a single store.
  const onStatus = env.onStatus;
  const report = onStatus
    ? (id: number, st: number): number => {
        const i = env.sb + id;
        const old = env.status[i]!;
        env.status[i] = st;
        if ((old & 3) !== st) onStatus(env.agent, id, st);
        return st;
      }
    : (id: number, st: number): number => {
        env.status[env.sb + id] = st;
        return st;
      };
  // Without a tracer, a node that can never run has no status anyone reads back (see untracedStatusKept):
  // its report is just its status.
  const kept = untracedStatusKept(ir);
  const pass = (_id: number, st: number): number => st;
  const reporter = (id: number): ((id: number, st: number) => number) => (onStatus || kept[id] === 1 ? report : pass);
  const storeStatus = report;
  const suspend = (id: number): number => {
    env.status[env.sb + id]! |= 4;
    return SUSPENDED;
  };
  const active = (id: number): boolean => {
    const s = env.status[env.sb + id]!;
    return (s & 3) === RUNNING || (s & 4) !== 0;
  };
  const toIdle = (id: number): void => {
    const i = env.sb + id;
    const old = env.status[i]!;
    env.status[i] = IDLE;
    if ((old & 3) !== IDLE && env.onStatus) env.onStatus(env.agent, id, IDLE);
  };

  // Pending halts of reactive composites that are switching branches: the old running branch is halted
  // when the new branch starts its first side-effecting leaf, or when the composite settles — whichever
  // comes first — so it is always halted before anything of the new branch starts.
  const pending = new Int32Array(Math.max(1, count));
  let depth = 0;
  const reactiveRunning = (id: number): number => env.ints[env.ib + intOff[id]!]! - 1;
  const haltReactiveBranch = (id: number): void => {
    const n = nodes[id] as IRNode & { children: readonly number[] };
    const r = reactiveRunning(id);
    if (r >= 0) {
      env.ints[env.ib + intOff[id]!] = 0;
      halt[n.children[r]!]!();
    }
  };
  const startLeaf = (): void => {
    if (depth === 0) return;
    for (let k = 0; k < depth; k++) haltReactiveBranch(pending[k]!);
    depth = 0;
  };

  const now = (): number => env.now;
  /** Halt of a single-child node: halt the child, reset one int slot of per-run memory (or none: -1). */
  const haltDecorator =
    (id: number, child: number, resetSlot: number): (() => void) =>
    () => {
      if (!active(id)) return;
      halt[child]!();
      if (resetSlot >= 0) env.ints[env.ib + resetSlot] = 0;
      toIdle(id);
    };

  // Observation indices read by each leaf's expressions: a leaf reading a rejected observation fails (HP8021).
  const obsIndex = new Map<number, number>();
  ir.layout.observation.forEach((v, i) => obsIndex.set(v, i));
  const nObs = ir.layout.observation.length;
  const exprObs: number[][] = ir.exprs.map(() => []);
  for (const x of ir.exprs) {
    const acc = new Set<number>();
    if (x.k === "read" && obsIndex.has(x.var)) acc.add(obsIndex.get(x.var)!);
    for (const k of exprOperands(x)) for (const o of exprObs[k]!) acc.add(o);
    exprObs[x.id] = [...acc];
  }
  const nodeObs = (exprs: readonly number[]): Int32Array => {
    const acc = new Set<number>();
    for (const e of exprs) for (const o of exprObs[e]!) acc.add(o);
    return Int32Array.from(acc);
  };
  /** True (after recording HP8021) when the current agent has a rejected observation this node reads. */
  const readsBadObs = (id: number, reads: Int32Array): boolean => {
    if (env.obsBadCount[env.agent] === 0 || reads.length === 0) return false;
    const base = env.agent * nObs;
    for (let i = 0; i < reads.length; i++) {
      if (env.obsBad[base + reads[i]!]) {
        env.fault(id, "invalidObservation", { field: ir.layout.vars[ir.layout.observation[reads[i]!]!]!.field });
        return true;
      }
    }
    return false;
  };
  // Every node checks the observations it reads before evaluating anything (docs/semantics.md, "Observations"):
  // first each value against its declared type (hosts write columns unchecked), then setObservation's rejection
  // marks, both in the order of `reads`; the emitter generates the same checks in the same order.
  const obsChecks = ir.layout.observation.map((v) => obsCheck(ir.layout.vars[v]!.type));
  const obsCol = Int32Array.from(ir.layout.observation, (v) => ex.colBase[v]!);
  /** The check of a node reading observations `reads` (null when it reads none): true, after recording HP8021,
   *  when the current agent's value of one of them is invalid or rejected. */
  const obsGuard = (reads: Int32Array): ((id: number) => boolean) | null => {
    if (reads.length === 0) return null;
    const valued = reads.filter((k) => obsChecks[k] !== null);
    const only = reads.length === 1 && valued.length === 1 ? obsChecks[reads[0]!]! : null;
    if (only !== null && only.size === 1) {
      // The common case, one scalar field: its test inline.
      const k = reads[0]!;
      const col = obsCol[k]!;
      const { lo, hi } = only;
      if (!only.int) {
        return (id) => {
          const x = env.mem[col + env.agent]!;
          return x >= lo && x <= hi ? readsBadObs(id, reads) : env.badObservation(id, k);
        };
      }
      if (int32Range(only)) {
        return (id) => {
          const x = env.mem[col + env.agent]!;
          return x >= lo && x <= hi && (x | 0) === x ? readsBadObs(id, reads) : env.badObservation(id, k);
        };
      }
    }
    if (only !== null && !only.int) {
      // One float or vector field (an infer node feeding a vector observation): its range test inline, one pass.
      const k = reads[0]!;
      const col = obsCol[k]!;
      const { lo, hi, size } = only;
      return (id) => {
        const mem = env.mem;
        const at = col + env.agent * size;
        for (let e = 0; e < size; e++) {
          const x = mem[at + e]!;
          if (!(x >= lo && x <= hi)) return env.badObservation(id, k);
        }
        return readsBadObs(id, reads);
      };
    }
    return (id) => {
      const a = env.agent;
      for (let i = 0; i < valued.length; i++) {
        const k = valued[i]!;
        const c = obsChecks[k]!;
        const at = obsCol[k]! + a * c.size;
        for (let e = 0; e < c.size; e++) if (!obsValid(c, env.mem[at + e]!)) return env.badObservation(id, k);
      }
      return readsBadObs(id, reads);
    };
  };

  const OPS: readonly FusedCompare["op"][] = ["<", "<=", ">", ">=", "==", "!="];
  /** The status of a check node whose condition is a fused comparison (obs-check.ts fusedCompare), for the current
   *  agent: the comparison, then what is left of the field's check, then the rejection marks; errors recorded. */
  const fusedStatus = (id: number, f: FusedCompare, reads: Int32Array): (() => number) => {
    const col = ex.colBase[f.v.id]!;
    const { c, k, constValid, onTrue, onFalse } = f;
    const { lo, hi } = f.check;
    const yes = f.negate ? FAILURE : SUCCESS;
    const no = f.negate ? SUCCESS : FAILURE;
    // One closure per operator, each with the whole evaluation written out: helper closures called from here
    // are not inlined (every check node has its own) and cost a call each.
    const tLo = onTrue.lo, tHi = onTrue.hi, tInt = onTrue.int, tPin = onTrue.pinned;
    const fLo = onFalse.lo, fHi = onFalse.hi, fInt = onFalse.int, fPin = onFalse.pinned;
    const tOnly = onTrue.only !== null, tValue = onTrue.only ?? 0;
    const fOnly = onFalse.only !== null, fValue = onFalse.only ?? 0;
    const op = OPS.indexOf(f.op);
    return () => {
      const x = env.mem[col + env.agent]!;
      const hit = op === 0 ? x < c : op === 1 ? x <= c : op === 2 ? x > c : op === 3 ? x >= c : op === 4 ? x === c : x !== c;
      let ok: boolean;
      if (hit) ok = tPin ? constValid : tOnly ? x === tValue : (!tLo || x >= lo) && (!tHi || x <= hi) && (!tInt || Math.trunc(x) === x);
      else ok = fPin ? constValid : fOnly ? x === fValue : (!fLo || x >= lo) && (!fHi || x <= hi) && (!fInt || Math.trunc(x) === x);
      if (!ok) {
        env.badObservation(id, k);
        return FAILURE;
      }
      if (env.obsBadCount[env.agent] !== 0 && readsBadObs(id, reads)) return FAILURE;
      return hit ? yes : no;
    };
  };
  /** For a check node that reads observations and cannot fault: its status for the current agent (checks and
   *  errors included, status not stored), so composites evaluate it in place. Null otherwise. */
  const checkStatus = (n: IRNode): (() => number) | null => {
    if (n.k !== "check" || ex.mayFault[n.cond]) return null;
    const reads = nodeObs([n.cond]);
    if (reads.length === 0) return null;
    const f = fusedCompare(ir, n.cond);
    if (f !== null) return fusedStatus(n.id, f, reads);
    const guard = obsGuard(reads)!;
    const cond = ex.scalar[n.cond]!;
    const id = n.id;
    return () => (guard(id) ? FAILURE : cond() !== 0 ? SUCCESS : FAILURE);
  };

  // Children have larger ids than their parents, so compiling from the last id down lets every parent capture
  // its children's tick closures directly.
  for (let id = count - 1; id >= 0; id--) {
    const n = nodes[id]!;
    compileNode(n);
  }

  function compileNode(n: IRNode): void {
    const id = n.id;
    const report = reporter(id);
    const io = intOff[id]!;
    const fo = floatOff[id]!;
    switch (n.k) {
      case "sequence":
      case "selector": {
        const kids = n.children;
        const kidTicks = kids.map((k) => tick[k]!);
        const len = kids.length;
        const stopOn = n.k === "sequence" ? FAILURE : SUCCESS;
        const allDone = n.k === "sequence" ? SUCCESS : FAILURE;
        // Condition children that call no extern are evaluated here, saving a dispatch per guard-like check:
        // those reading observations through their checkStatus, the others through their condition alone.
        const kidStatus = kids.map((k) => checkStatus(nodes[k]!));
        const kidCond = kids.map((k, i) => {
          const c = nodes[k]!;
          return c.k === "check" && !ex.mayFault[c.cond] && kidStatus[i] === null ? ex.scalar[c.cond]! : null;
        });
        // Whether each inline-evaluated check child records its status (a flag test, not a call, when it does not).
        const kidKeep = Uint8Array.from(kids, (k) => (onStatus || kept[k] === 1 ? 1 : 0));
        // The two loops below evaluate a child in place the same way; that code is written out in each loop
        // rather than called through a shared closure, which measured about 15% slower on W2 (V8 does not
        // inline it: every composite has its own).
        if (!canRun(ir, id)) {
          // No child can run or suspend: every tick starts at the first child and the resume slot stays 0, so
          // it is neither read nor written.
          tick[id] = () => {
            for (let i = 0; i < len; i++) {
              const status = kidStatus[i];
              const cond = kidCond[i];
              let st: number;
              if (status !== null) {
                st = status();
                if (kidKeep[i] === 1) storeStatus(kids[i]!, st);
              } else if (cond !== null) {
                st = cond() !== 0 ? SUCCESS : FAILURE;
                if (kidKeep[i] === 1) storeStatus(kids[i]!, st);
              } else st = kidTicks[i]!();
              if (st === stopOn) return report(id, stopOn);
            }
            return report(id, allDone);
          };
          halt[id] = () => undefined; // never running
          return;
        }
        tick[id] = () => {
          const slot = env.ib + io;
          for (let i = env.ints[slot]!; i < len; i++) {
            const status = kidStatus[i];
            const cond = kidCond[i];
            let st: number;
            if (status !== null) {
              st = status();
              if (kidKeep[i] === 1) storeStatus(kids[i]!, st);
            } else if (cond !== null) {
              st = cond() !== 0 ? SUCCESS : FAILURE;
              if (kidKeep[i] === 1) storeStatus(kids[i]!, st);
            } else st = kidTicks[i]!();
            if (st === RUNNING) {
              env.ints[slot] = i;
              return report(id, RUNNING);
            }
            if (st === SUSPENDED) {
              env.ints[slot] = i;
              return suspend(id);
            }
            if (st === stopOn) {
              env.ints[slot] = 0;
              return report(id, stopOn);
            }
          }
          env.ints[slot] = 0;
          return report(id, allDone);
        };
        halt[id] = () => {
          if (!active(id)) return;
          const slot = env.ib + io;
          halt[kids[env.ints[slot]!]!]!();
          env.ints[slot] = 0;
          toIdle(id);
        };
        return;
      }
      case "reactive_sequence":
      case "reactive_selector": {
        const kids = n.children;
        const kidTicks = kids.map((k) => tick[k]!);
        const len = kids.length;
        const isSeq = n.k === "reactive_sequence";
        // ints[io] = running child + 1 (0: none).
        tick[id] = () => {
          const slot = env.ib + io;
          let i = 0;
          if (env.resume) i = Math.max(0, env.ints[slot]! - 1);
          for (; i < len; i++) {
            const r = env.ints[slot]! - 1;
            let mark = -1;
            if (r >= 0 && i < r && !env.resume) {
              mark = depth;
              pending[depth++] = id;
            }
            const st = kidTicks[i]!();
            if (mark >= 0 && depth > mark) depth = mark; // not flushed: still ours to settle
            const r2 = env.ints[slot]! - 1;
            if (st === RUNNING || st === SUSPENDED) {
              if (r2 >= 0 && r2 !== i) halt[kids[r2]!]!();
              env.ints[slot] = i + 1;
              return st === RUNNING ? report(id, RUNNING) : suspend(id);
            }
            const decisive = isSeq ? st === FAILURE : st === SUCCESS;
            if (decisive) {
              if (r2 >= 0 && r2 !== i) halt[kids[r2]!]!();
              env.ints[slot] = 0;
              return report(id, st);
            }
            if (r2 === i) env.ints[slot] = 0;
          }
          env.ints[slot] = 0;
          return report(id, isSeq ? SUCCESS : FAILURE);
        };
        halt[id] = () => {
          if (!active(id)) return;
          haltReactiveBranch(id);
          toIdle(id);
        };
        return;
      }
      case "parallel":
      case "race": {
        const kids = n.children;
        const kidTicks = kids.map((k) => tick[k]!);
        const len = kids.length;
        const isRace = n.k === "race";
        const needS = n.k === "parallel" ? n.success : 1;
        const needF = n.k === "parallel" ? n.failure : 1;
        // ints[io + i]: 0 not finished (idle or running), 2/3 finished with that status, 4 suspended.
        const finish = (st: number, slot: number): number => {
          for (let i = 0; i < len; i++) {
            if (env.ints[slot + i] === 0 || env.ints[slot + i] === SUSPENDED) halt[kids[i]!]!();
            env.ints[slot + i] = 0;
          }
          return report(id, st);
        };
        tick[id] = () => {
          const slot = env.ib + io;
          const resuming = env.resume;
          for (let i = 0; i < len; i++) {
            const mem = env.ints[slot + i]!;
            if (resuming ? mem !== SUSPENDED : mem !== 0) continue;
            env.resume = resuming;
            const st = kidTicks[i]!();
            if (st === SUCCESS || st === FAILURE) {
              env.ints[slot + i] = st;
              if (isRace) return finish(st, slot);
            } else env.ints[slot + i] = st === SUSPENDED ? SUSPENDED : 0;
          }
          env.resume = false;
          if (isRace) {
            for (let i = 0; i < len; i++) if (env.ints[slot + i] === SUSPENDED) return suspend(id);
            return report(id, RUNNING);
          }
          let s = 0;
          let f = 0;
          let susp = false;
          for (let i = 0; i < len; i++) {
            const m = env.ints[slot + i]!;
            if (m === SUCCESS) s++;
            else if (m === FAILURE) f++;
            else if (m === SUSPENDED) susp = true;
          }
          if (susp) return suspend(id);
          if (s >= needS) return finish(SUCCESS, slot);
          if (f >= needF || s + (len - s - f) < needS) return finish(FAILURE, slot);
          return report(id, RUNNING);
        };
        halt[id] = () => {
          if (!active(id)) return;
          const slot = env.ib + io;
          for (let i = 0; i < len; i++) {
            halt[kids[i]!]!();
            env.ints[slot + i] = 0;
          }
          toIdle(id);
        };
        return;
      }
      case "invert":
      case "force_success":
      case "force_failure": {
        const c = n.child;
        const childTick = tick[c]!;
        const k = n.k;
        tick[id] = () => {
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          if (st === RUNNING) return report(id, RUNNING);
          if (k === "invert") return report(id, st === SUCCESS ? FAILURE : SUCCESS);
          return report(id, k === "force_success" ? SUCCESS : FAILURE);
        };
        halt[id] = haltDecorator(id, c, -1);
        return;
      }
      case "once": {
        const c = n.child;
        const childTick = tick[c]!;
        // ints[io]: 0 not yet finished, else the child's final status, returned forever after.
        tick[id] = () => {
          const slot = env.ib + io;
          const done = env.ints[slot]!;
          if (done !== 0) return report(id, done);
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          if (st === RUNNING) return report(id, RUNNING);
          env.ints[slot] = st;
          return report(id, st);
        };
        halt[id] = haltDecorator(id, c, -1);
        return;
      }
      case "repeat":
      case "retry": {
        const c = n.child;
        const childTick = tick[c]!;
        const times = n.count;
        const again = n.k === "repeat" ? SUCCESS : FAILURE;
        // One child completion per tick: repeat(3) of an instant child takes 3 ticks (running, running, success).
        tick[id] = () => {
          const slot = env.ib + io;
          if (times === 0) return report(id, again);
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          if (st === RUNNING) return report(id, RUNNING);
          if (st !== again) {
            env.ints[slot] = 0;
            return report(id, st);
          }
          const done = env.ints[slot]! + 1;
          if (done >= times) {
            env.ints[slot] = 0;
            return report(id, again);
          }
          env.ints[slot] = done;
          return report(id, RUNNING);
        };
        halt[id] = haltDecorator(id, c, io);
        return;
      }
      case "timeout": {
        const c = n.child;
        const childTick = tick[c]!;
        const ms = n.ms;
        const actions = asyncActionsUnder(ir, c);
        tick[id] = () => {
          const t = env.xb + fo;
          if (!active(id)) env.floats[t] = now();
          else if (!env.resume && now() - env.floats[t]! + TIME_EPS >= ms) {
            // An action still running at the deadline never finished in time: recorded (HP8015) before the halt.
            for (const a of actions) {
              if ((env.status[env.sb + a]! & 3) === RUNNING) {
                env.fault(a, "actionTimedOut", { name: ir.externs[(ir.nodes[a] as IRNode & { k: "do" }).extern]!.name, ms });
              }
            }
            // The deadline is checked before ticking: the child is never ticked at or after it.
            halt[c]!();
            return report(id, FAILURE);
          }
          if (ms <= 0) return report(id, FAILURE);
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          return report(id, st);
        };
        halt[id] = haltDecorator(id, c, -1);
        return;
      }
      case "delay": {
        const c = n.child;
        const childTick = tick[c]!;
        const ms = n.ms;
        // ints[io]: 0 idle, 1 waiting, 2 child started.
        tick[id] = () => {
          const slot = env.ib + io;
          const t = env.xb + fo;
          if (env.ints[slot] === 0) {
            env.ints[slot] = 1;
            env.floats[t] = now();
          }
          if (env.ints[slot] === 1) {
            if (now() - env.floats[t]! + TIME_EPS < ms) return report(id, RUNNING);
            env.ints[slot] = 2;
          }
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          if (st !== RUNNING) env.ints[slot] = 0;
          return report(id, st);
        };
        halt[id] = haltDecorator(id, c, io);
        return;
      }
      case "cooldown": {
        const c = n.child;
        const childTick = tick[c]!;
        const ms = n.ms;
        // ints[io]: 1 once the child has finished at least once; floats[fo]: when it last finished.
        tick[id] = () => {
          const slot = env.ib + io;
          const t = env.xb + fo;
          if (!env.resume && !active(id) && env.ints[slot] === 1 && now() - env.floats[t]! + TIME_EPS < ms) {
            return report(id, FAILURE);
          }
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          if (st !== RUNNING) {
            env.ints[slot] = 1;
            env.floats[t] = now();
          }
          return report(id, st);
        };
        halt[id] = haltDecorator(id, c, -1);
        return;
      }
      case "guard_while":
      case "guard_until": {
        const c = n.child;
        const childTick = tick[c]!;
        const cond = ex.scalar[n.cond]!;
        const isWhile = n.k === "guard_while";
        const guard = obsGuard(nodeObs([n.cond]));
        tick[id] = () => {
          if (!env.resume && guard !== null && guard(id)) {
            halt[c]!();
            return report(id, FAILURE);
          }
          if (!env.resume) {
            env.node = id;
            env.faulted = false;
            const v = cond() !== 0;
            if (env.faulted) {
              halt[c]!();
              return report(id, FAILURE);
            }
            if (isWhile && !v) {
              halt[c]!();
              return report(id, FAILURE);
            }
            if (!isWhile && v) {
              halt[c]!();
              return report(id, SUCCESS);
            }
          }
          const st = childTick();
          if (st === SUSPENDED) return suspend(id);
          return report(id, st);
        };
        halt[id] = haltDecorator(id, c, -1);
        return;
      }
      case "check": {
        const status = checkStatus(n);
        if (status !== null) {
          tick[id] = () => report(id, status());
          halt[id] = () => undefined; // never running
          return;
        }
        const cond = ex.scalar[n.cond]!;
        const guard = obsGuard(nodeObs([n.cond]));
        // Conditions that call no extern cannot fault: skip the bookkeeping.
        tick[id] = ex.mayFault[n.cond]
          ? () => {
              if (guard !== null && guard(id)) return report(id, FAILURE);
              env.node = id;
              env.faulted = false;
              const v = cond() !== 0;
              return report(id, v && !env.faulted ? SUCCESS : FAILURE);
            }
          : () => {
              if (guard !== null && guard(id)) return report(id, FAILURE);
              return report(id, cond() !== 0 ? SUCCESS : FAILURE);
            };
        halt[id] = () => undefined; // never running
        return;
      }
      case "set": {
        const target = ex.target[n.target]!;
        const value = ex.block[n.value]!;
        const scalarValue = ex.scalar[n.value];
        const sz = typeSize(ir.exprs[n.target]!.type);
        const valid = validFlagOffset(ir, n.target);
        const reads = nodeObs([n.target, n.value]);
        const guard = obsGuard(reads);
        const mayFault = ex.mayFault[n.value] || ex.mayFault[n.target];
        const targetExpr = ir.exprs[n.target]!;
        if (sz === 1 && scalarValue && !mayFault && reads.length === 0 && targetExpr.k === "read") {
          // The commonest `set`: a scalar var from a value that reads no observation and calls no extern.
          const col = ex.colBase[targetExpr.var]!;
          if (col >= 0) {
            // An output: its column (pool.ts).
            tick[id] = () => {
              if (depth !== 0) startLeaf();
              env.mem[col + env.agent] = scalarValue();
              if (valid >= 0) env.mem[env.fb + valid] = 1;
              return report(id, SUCCESS);
            };
            halt[id] = () => undefined;
            return;
          }
          const off = ir.layout.vars[targetExpr.var]!.offset;
          tick[id] = () => {
            if (depth !== 0) startLeaf();
            env.mem[env.fb + off] = scalarValue();
            if (valid >= 0) env.mem[env.fb + valid] = 1;
            return report(id, SUCCESS);
          };
          halt[id] = () => undefined;
          return;
        }
        if (sz === 1 && scalarValue && !mayFault) {
          // The common `set x = scalar` without externs: one store.
          tick[id] = () => {
            if (guard !== null && guard(id)) return report(id, FAILURE);
            if (depth !== 0) startLeaf();
            const v = scalarValue();
            const dst = target();
            if (dst >= 0) {
              env.mem[dst] = v;
              if (valid >= 0) env.mem[env.fb + valid] = 1;
            }
            return report(id, SUCCESS);
          };
          halt[id] = () => undefined;
          return;
        }
        const copy = makeAssign(ir.exprs[n.target]!.type, ir.exprs[n.value]!.type);
        tick[id] = () => {
          if (guard !== null && guard(id)) return report(id, FAILURE);
          if (depth !== 0) startLeaf();
          env.node = id;
          env.faulted = false;
          const src = value();
          if (env.faulted) return report(id, FAILURE);
          const dst = target();
          if (dst >= 0) {
            copy(env.mem, dst, src);
            if (valid >= 0) env.mem[env.fb + valid] = 1;
          }
          return report(id, SUCCESS);
        };
        halt[id] = () => undefined;
        return;
      }
      case "emit": {
        const p = ir.planners[n.planner]!;
        const kindType = ir.layout.vars[p.payloadVars[n.kind]!]!.type;
        const stagingSize = typeSize(kindType);
        const staging = allocScratch(Math.max(1, stagingSize));
        // Each value lands at its field's offset in the payload (a list of another capacity is fitted).
        const fields = kindType.k === "record" ? kindType.fields : [];
        let fieldAt = 0;
        const parts = n.values.map((v, i) => {
          const f = fields[i]!;
          const part = { b: ex.block[v]!, at: fieldAt, copy: makeAssign(f.type, ir.exprs[v]!.type) };
          fieldAt += typeSize(f.type);
          return part;
        });
        const planner = n.planner;
        const kind = n.kind;
        const guard = obsGuard(nodeObs(n.values));
        tick[id] = () => {
          if (guard !== null && guard(id)) return report(id, FAILURE);
          if (depth !== 0) startLeaf();
          env.node = id;
          env.faulted = false;
          for (let i = 0; i < parts.length; i++) {
            const part = parts[i]!;
            part.copy(env.mem, staging + part.at, part.b());
          }
          if (env.faulted) return report(id, FAILURE);
          env.emit(id, planner, kind, staging);
          return report(id, SUCCESS);
        };
        halt[id] = () => undefined;
        return;
      }
      case "do": {
        const ext = n.extern;
        const params = ir.externs[ext]!.params;
        const argc = n.args.length;
        const args: unknown[] = new Array(argc);
        const convert = n.args.map((a, i) => {
          const t = params[i]?.type ?? ir.exprs[a]!.type;
          const s = ex.scalar[a];
          if (t.k === "bool" && s) return () => s() !== 0;
          if (s) return s;
          const size = ex.size[a]!;
          const buf = new Float64Array(size);
          const b = ex.block[a]!;
          return () => {
            const p = b();
            for (let k = 0; k < size; k++) buf[k] = env.mem[p + k]!;
            return buf;
          };
        });
        const guard = obsGuard(nodeObs(n.args));
        // ints[io]: 1 while an asynchronous action is running.
        tick[id] = () => {
          const slot = env.ib + io;
          const running = env.ints[slot] === 1;
          if (!running && guard !== null && guard(id)) return report(id, FAILURE);
          if (!running) startLeaf();
          env.node = id;
          env.faulted = false;
          for (let i = 0; i < argc; i++) args[i] = convert[i]!();
          if (env.faulted) {
            if (running) {
              env.runAction(id, ext, args, "halt");
              env.ints[slot] = 0;
            }
            return report(id, FAILURE);
          }
          const st = env.runAction(id, ext, args, running ? "running" : "start");
          env.ints[slot] = st === RUNNING ? 1 : 0;
          return report(id, st);
        };
        halt[id] = () => {
          if (!active(id)) return;
          const slot = env.ib + io;
          if (env.ints[slot] === 1) {
            env.ints[slot] = 0;
            for (let i = 0; i < argc; i++) args[i] = convert[i]!();
            env.runAction(id, ext, args, "halt");
          }
          toIdle(id);
        };
        return;
      }
      case "wait": {
        const ms = n.ms;
        tick[id] = () => {
          const t = env.xb + fo;
          if (!active(id)) {
            startLeaf();
            env.floats[t] = now();
          }
          // Ends exactly at its deadline: the first tick at or after start + ms succeeds.
          return report(id, now() - env.floats[t]! + TIME_EPS >= ms ? SUCCESS : RUNNING);
        };
        halt[id] = () => {
          if (!active(id)) return;
          toIdle(id);
        };
        return;
      }
      case "const": {
        const st = n.status === "success" ? SUCCESS : n.status === "failure" ? FAILURE : RUNNING;
        tick[id] = () => report(id, st);
        halt[id] = () => {
          if (!active(id)) return;
          toIdle(id);
        };
        return;
      }
      case "infer":
        compileInfer(n as IRNode & { k: "infer" }, io, fo);
        return;
    }
  }

  function compileInfer(n: IRNode & { k: "infer" }, io: number, fo: number): void {
    const id = n.id;
    const m = ir.models[n.model]!;
    const feeds = n.feeds.map((f) => ({ input: f.input, b: ex.block[f.value]!, size: m.inputs[f.input]!.size }));
    const feedReads = nodeObs(n.feeds.map((f) => f.value));
    const feedGuard = obsGuard(feedReads);
    // Every feed a whole float, vec or tensor observation (`feed x = obs.features`, the usual case): its values
    // are checked while they are copied into the request row, one pass instead of a check and a copy. The
    // order of checks is the guard's (the fields in the order fed, then the rejection marks).
    const direct = n.feeds.map((f) => {
      const x = ir.exprs[f.value]!;
      if (x.k !== "read") return null;
      const c = obsCheck(ir.layout.vars[x.var]!.type);
      const k = ir.layout.observation.indexOf(x.var);
      return k >= 0 && c !== null && !c.int && c.size === m.inputs[f.input]!.size ? { input: f.input, col: ex.colBase[x.var]!, k, ...c } : null;
    });
    const directFeeds = direct.every((d) => d !== null) ? (direct as NonNullable<(typeof direct)[number]>[]) : null;
    const writes = n.writes.map((w) => ({
      target: ex.target[w.target]!,
      value: ex.block[w.value]!,
      copy: makeAssign(ir.exprs[w.target]!.type, ir.exprs[w.value]!.type),
      valid: validFlagOffset(ir, w.target),
    }));
    const outs = m.outputs;
    const base = portBase[id]!;
    const outSizes = outs.map((o) => o.size);
    const chunk = n.chunk;
    const refine = n.refine;
    const isAsync = n.async !== null;
    const timeoutMs = n.async?.timeoutMs ?? null;
    const model = n.model;
    // ints: [io] phase (0 idle, 1 waiting in-frame, 2 async in flight, 3 playing a chunk), [io+1] ticket,
    // [io+2] refinements left, [io+3] chunk step. floats[fo]: when an async request was submitted.
    const PHASE = io;
    const TICKET = io + 1;
    const LEFT = io + 2;
    const STEP = io + 3;

    // Each input is one buffer for the whole pool; an agent's row is a view made once, so the rows of agents
    // that submit in index order lie back to back and the host can batch them without copying.
    const buffers = m.inputs.map((p) => new Float32Array(agents * p.size));
    const rows: (Float32Array[] | undefined)[] = new Array(agents);
    const rowsOf = (a: number): Float32Array[] =>
      (rows[a] ??= buffers.map((b, i) => b.subarray(a * m.inputs[i]!.size, (a + 1) * m.inputs[i]!.size)));
    /** The request rows of the current agent filled from its observation columns (directFeeds), or null after
     *  recording HP8021 for an invalid or rejected value. */
    const inputsFromColumns = (feedsIn: NonNullable<typeof directFeeds>): Float32Array[] | null => {
      const a = env.agent;
      const inputs = rowsOf(a);
      const mem = env.mem;
      for (let i = 0; i < feedsIn.length; i++) {
        const f = feedsIn[i]!;
        const dst = inputs[f.input]!;
        const at = f.col + a * f.size;
        const { lo, hi } = f;
        for (let e = 0; e < f.size; e++) {
          const x = mem[at + e]!;
          if (!(x >= lo && x <= hi)) {
            env.badObservation(id, f.k);
            return null;
          }
          dst[e] = x;
        }
      }
      return env.obsBadCount[a] !== 0 && readsBadObs(id, feedReads) ? null : inputs;
    };
    const inputsFromFeeds = (): Float32Array[] | null => {
      env.node = id;
      env.faulted = false;
      const inputs = rowsOf(env.agent);
      for (const f of feeds) {
        const src = f.b();
        const dst = inputs[f.input]!;
        for (let k = 0; k < f.size; k++) dst[k] = env.mem[src + k]!;
      }
      return env.faulted ? null : inputs;
    };
    const applyWrites = (): boolean => {
      env.node = id;
      env.faulted = false;
      for (const w of writes) {
        const src = w.value();
        if (env.faulted) return false;
        const dst = w.target();
        if (dst >= 0) {
          w.copy(env.mem, dst, src);
          if (w.valid >= 0) env.mem[env.fb + w.valid] = 1;
        }
      }
      return true;
    };
    const fail = (): number => {
      env.ints[env.ib + PHASE] = 0;
      return report(id, FAILURE);
    };
    // Consume a result: copy outputs (checking shape, and finiteness unless the host did), refine again or play step 0.
    // `r` is the ticket's result, already looked up by the caller (one lookup per resume).
    const consume = (ticket: number, r: NonNullable<ReturnType<InferBridge["result"]>>): number => {
      const nb = env.neural!;
      nb.release(ticket);
      if (!r.ok) {
        env.fault(id, "inference", { model: m.name, error: `${r.code}: ${r.message}` });
        return fail();
      }
      if (r.outputs.length !== outs.length) {
        env.fault(id, "inference", { model: m.name, error: `expected ${outs.length} outputs, got ${r.outputs.length}` });
        return fail();
      }
      for (let o = 0; o < outs.length; o++) {
        const data = r.outputs[o]!;
        const size = outs[o]!.size;
        if (data.length !== size) {
          env.fault(id, "inference", { model: m.name, error: `output ${outs[o]!.name} has ${data.length} values, expected ${size}` });
          return fail();
        }
        const dst = env.fb + base[o]!;
        if (!nb.validated) {
          for (let k = 0; k < size; k++) {
            const v = data[k]!;
            if (!Number.isFinite(v)) {
              env.fault(id, "inference", { model: m.name, error: `output ${outs[o]!.name}[${k}] is ${v}` });
              return fail();
            }
          }
        }
        const mem = env.mem;
        for (let k = 0; k < size; k++) mem[dst + k] = data[k]!;
      }
      return afterOutputs();
    };
    // The outputs are in agent memory: refine again, or apply the writes (and start playing a chunk).
    const afterOutputs = (): number => {
      const nb = env.neural!;
      const slot = env.ib;
      if (refine && env.ints[slot + LEFT]! > 0) {
        env.ints[slot + LEFT]! -= 1;
        // The other inputs keep the values they were fed (they are not re-evaluated); only `from` changes.
        const inputs = rowsOf(env.agent);
        const fed = inputs[refine.from]!;
        const src = env.fb + base[refine.to]!;
        for (let k = 0; k < fed.length; k++) fed[k] = env.mem[src + k]!;
        env.ints[slot + TICKET] = nb.submit(id, model, inputs, isAsync);
        if (isAsync) return report(id, RUNNING);
        env.ints[slot + PHASE] = 1;
        env.suspended = true;
        return suspend(id);
      }
      env.ints[slot + STEP] = 0;
      if (!applyWrites()) return fail();
      if (chunk > 1) {
        env.ints[slot + PHASE] = 3;
        return report(id, RUNNING);
      }
      env.ints[slot + PHASE] = 0;
      return report(id, SUCCESS);
    };

    tick[id] = () => {
      const slot = env.ib;
      const phase = env.ints[slot + PHASE]!;
      const nb = env.neural;
      if (phase === 0) {
        let inputs: Float32Array[] | null = null;
        if (directFeeds !== null) {
          inputs = inputsFromColumns(directFeeds);
          if (inputs === null) return report(id, FAILURE);
        } else if (feedGuard !== null && feedGuard(id)) return report(id, FAILURE);
        startLeaf();
        if (!nb || !nb.available()) {
          env.fault(id, "noNeuralHost", { model: m.name });
          return report(id, FAILURE);
        }
        inputs ??= inputsFromFeeds();
        if (!inputs) return report(id, FAILURE);
        env.ints[slot + TICKET] = nb.submit(id, model, inputs, isAsync);
        env.ints[slot + LEFT] = refine ? refine.times : 0;
        if (isAsync) {
          env.ints[slot + PHASE] = 2;
          env.floats[env.xb + fo] = now();
          return report(id, RUNNING);
        }
        env.ints[slot + PHASE] = 1;
        env.suspended = true;
        return suspend(id);
      }
      if (phase === 1) {
        const ticket = env.ints[slot + TICKET]!;
        // The bulk read copies a validated result into the ports with no result object and releases the ticket;
        // -1 falls through to `result`, whose path reports errors and unusual outputs.
        const take = nb!.takeResult;
        if (take !== undefined) {
          const got = take(ticket, outSizes, env.mem, env.fb, base);
          if (got === 0) {
            env.suspended = true;
            return suspend(id);
          }
          if (got === 1) {
            env.resume = false;
            return afterOutputs();
          }
        }
        const r = nb!.result(ticket);
        if (r === undefined) {
          env.suspended = true;
          return suspend(id);
        }
        env.resume = false;
        return consume(ticket, r);
      }
      if (phase === 2) {
        const ticket = env.ints[slot + TICKET]!;
        const r = nb!.result(ticket);
        if (r === undefined) {
          if (timeoutMs !== null && now() - env.floats[env.xb + fo]! + TIME_EPS >= timeoutMs) {
            nb!.release(ticket);
            env.fault(id, "inferenceTimeout", { model: m.name, ms: timeoutMs });
            return fail();
          }
          return report(id, RUNNING);
        }
        return consume(ticket, r);
      }
      // phase 3: play the next step of the chunk.
      const step = env.ints[slot + STEP]! + 1;
      env.ints[slot + STEP] = step;
      if (!applyWrites()) return fail();
      if (step >= chunk - 1) {
        env.ints[slot + PHASE] = 0;
        return report(id, SUCCESS);
      }
      return report(id, RUNNING);
    };
    halt[id] = () => {
      if (!active(id)) return;
      const slot = env.ib;
      const phase = env.ints[slot + PHASE]!;
      // A request in flight is dropped: its result, when it comes, is stale.
      if ((phase === 1 || phase === 2) && env.neural) env.neural.release(env.ints[slot + TICKET]!);
      env.ints[slot + PHASE] = 0;
      toIdle(id);
    };
  }

  // Only in-frame infer nodes suspend agents; asynchronous ones never need an awaited step.
  const hasInfer = nodes.some((x) => x.k === "infer" && x.async === null);
  const hasAnyInfer = nodes.some((x) => x.k === "infer");
  return {
    tick,
    halt,
    batch: new Array(count),
    intStride,
    floatStride,
    internalSize: internal - frameSize,
    portBase,
    portStep,
    chunkSlot,
    hasInfer,
    hasAnyInfer,
    portOff(node: number, output: number): number {
      const step = env.ints[env.ib + chunkSlot[node]!]!;
      return env.fb + portBase[node]![output]! + step * portStep[node]![output]!;
    },
  };
}
