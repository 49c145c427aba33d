// Invariants over randomly generated trees (every node kind, scripted async actions, changing conditions):
// ticking never throws and never reports an error; an action is never left running unhalted when its branch is
// abandoned; after the root is halted (a preempting message) no node is running; and the same seed and inputs
// give the same trace.
import { describe, expect, it } from "vitest";
import {
  IRBuilder,
  BOOL,
  INT,
  act,
  check,
  cooldown,
  delay,
  emit,
  fail,
  forceFailure,
  forceSuccess,
  guardUntil,
  guardWhile,
  invert,
  once,
  par,
  race,
  repeat,
  retry,
  rsel,
  rseq,
  running,
  sel,
  seq,
  set,
  succeed,
  timeout,
  wait,
} from "./support/builder.ts";
import type { NodeSpec } from "./support/builder.ts";
import { createPool, MemorySink, Xoshiro128 } from "../../src/runtime/index.ts";

function generate(seed: number) {
  const rng = new Xoshiro128(seed);
  const pick = (n: number): number => Math.floor(rng.next() * n);
  const b = new IRBuilder("random");
  const flags = [0, 1, 2].map((i) => b.obs(`f${i}`, BOOL));
  const counter = b.stateVar("n", INT, [0]);
  const actions = [0, 1, 2].map((i) => b.action(`a${i}`, [], { async: true }));
  const msg = b.message("M", [
    { name: "x", fields: [] },
    { name: "y", fields: [] },
  ]);
  const cond = () => (rng.next() < 0.7 ? b.read(flags[pick(3)]!) : b.not(b.read(flags[pick(3)]!)));
  const node = (depth: number): NodeSpec => {
    const leafOnly = depth >= 4;
    const k = leafOnly ? 20 + pick(7) : pick(27);
    const kids = (): NodeSpec[] => Array.from({ length: 1 + pick(3) }, () => node(depth + 1));
    switch (k) {
      case 0: return seq(...kids());
      case 1: return sel(...kids());
      case 2: return rseq(...kids());
      case 3: return rsel(...kids());
      case 4: { const c = kids(); return par(1 + pick(c.length), 1 + pick(c.length), ...c); }
      case 5: return race(...kids());
      case 6: return invert(node(depth + 1));
      case 7: return forceSuccess(node(depth + 1));
      case 8: return forceFailure(node(depth + 1));
      case 9: return once(node(depth + 1));
      case 10: return repeat(pick(4), node(depth + 1));
      case 11: return retry(pick(4), node(depth + 1));
      case 12: return timeout(100 * pick(5), node(depth + 1));
      case 13: return delay(100 * pick(3), node(depth + 1));
      case 14: return cooldown(100 * pick(4), node(depth + 1));
      case 15: return guardWhile(cond(), node(depth + 1));
      case 16: return guardUntil(cond(), node(depth + 1));
      case 17: case 18: case 19: return seq(check(cond()), node(depth + 1));
      case 20: return check(cond());
      case 21: case 22: return act(actions[pick(3)]!);
      case 23: return set(b.read(counter), b.bin("+", b.read(counter), b.num(1)));
      case 24: return wait(100 * pick(4));
      case 25: return [succeed, fail, running][pick(3)]!();
      default: return act(actions[pick(3)]!);
    }
  };
  const planner = b.planner("P", { periodMs: 700, message: msg, root: sel(seq(check(b.read(flags[0]!)), emit(0, 0)), emit(0, 1)) });
  const root = node(0);
  b.executor("E", { periodMs: 100, follows: planner, default: root });
  return { ir: b.build(), root };
}

function runOnce(seed: number, steps: number, sink?: MemorySink) {
  const { ir, root } = generate(seed);
  const running = new Set<string>();
  const problems: string[] = [];
  const rng = new Xoshiro128(seed, 1);
  const externs: Record<string, (ctx: { agent: number; node: number; phase: string }) => unknown> = {};
  for (const name of ["a0", "a1", "a2"]) {
    externs[name] = (ctx) => {
      const key = `${ctx.agent}:${ctx.node}`;
      if (ctx.phase === "halt") {
        if (!running.delete(key)) problems.push(`halt of ${key} that was not running`);
        return undefined;
      }
      if (ctx.phase === "running" && !running.has(key)) problems.push(`running tick of ${key} that never started`);
      const r = rng.next();
      const status = r < 0.5 ? "running" : r < 0.8 ? "success" : "failure";
      if (status === "running") running.add(key);
      else running.delete(key);
      return status;
    };
  }
  const pool = createPool(ir, { agents: 2, stepMs: 100, externs, ...(sink ? { trace: sink } : {}) });
  for (let s = 0; s < steps; s++) {
    for (let a = 0; a < 2; a++) pool.setObservation(a, { f0: rng.next() < 0.5, f1: rng.next() < 0.5, f2: rng.next() < 0.7 });
    pool.stepSync();
    // An action whose do node is no longer running must have been halted (or finished).
    for (const key of running) {
      const [agent, node] = key.split(":").map(Number) as [number, number];
      if (pool.nodeStatus(agent, node) !== "running") problems.push(`step ${s}: ${key} left running without a halt`);
    }
  }
  // A fresh message preempts: the executor's root is halted and nothing stays running.
  pool.inject("P", "x");
  pool.inject("P", "y");
  const before = pool.nodeStatus(0, root.id);
  pool.stepSync();
  void before;
  return { pool, problems, errors: pool.drainErrors(), ir, root };
}

describe("random trees", () => {
  it("tick and halt keep their contract on 150 random trees", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const { problems, errors, ir } = runOnce(seed, 60);
      // The only runtime error these trees may raise: a timeout stopping an action still running (HP8015).
      const timedOut = errors.filter((e) => e.code === "HP8015");
      for (const e of timedOut) expect(ir.nodes[e.node]!.k).toBe("do");
      expect({ seed, problems, errors: errors.filter((e) => e.code !== "HP8015") }).toEqual({ seed, problems: [], errors: [] });
    }
  });

  it("the same seed and inputs give byte-identical traces", () => {
    for (const seed of [3, 77, 140]) {
      const a = new MemorySink();
      const b = new MemorySink();
      runOnce(seed, 40, a);
      runOnce(seed, 40, b);
      expect(a.text()).toBe(b.text());
    }
  });

  it("halting a root leaves every node of the tree idle", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { ir } = generate(seed);
      const externs = { a0: () => "running", a1: () => "running", a2: () => "running" };
      const pool = createPool(ir, { stepMs: 100, externs });
      pool.setObservation(0, { f0: true, f1: true, f2: true });
      pool.runSync(3);
      // The planner re-emits x while f0 holds; switching f0 makes it emit y at t=700: a fresh message.
      pool.setObservation(0, { f0: false, f1: true, f2: true });
      pool.runSync(5);
      const tree = (pool as unknown as { tree: { halt: (() => void)[] } }).tree;
      const env = (pool as unknown as { env: { agent: number; sb: number; ib: number; xb: number; fb: number } }).env;
      Object.assign(env, { agent: 0, sb: 0, ib: 0, xb: 0, fb: 0 });
      const root = ir.executors[0]!.default!;
      tree.halt[root]!();
      tree.halt[root]!(); // idempotent
      const stillRunning = ir.nodes.filter((n) => n.id >= root && pool.nodeStatus(0, n.id) === "running").map((n) => n.id);
      expect({ seed, stillRunning }).toEqual({ seed, stillRunning: [] });
    }
  });
});
