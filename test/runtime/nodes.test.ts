// Tick and halt behaviour of every node kind (docs/semantics.md "Node kinds"), including the order of halts.
import { describe, expect, it } from "vitest";
import {
  IRBuilder,
  BOOL,
  INT,
  act,
  check,
  cooldown,
  delay,
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
import { scripted, stepN, treePool } from "./support/harness.ts";

describe("leaves", () => {
  it("const leaves return their status every tick", () => {
    for (const [make, want] of [
      [succeed, "success"],
      [fail, "failure"],
      [running, "running"],
    ] as const) {
      const b = new IRBuilder();
      const root = make();
      const pool = treePool(b, root);
      expect(stepN(pool, root, 2)).toEqual([want, want]);
    }
  });

  it("check evaluates its condition each tick", () => {
    const b = new IRBuilder();
    const hp = b.obs("hp", INT);
    const root = check(b.bin("<", b.read(hp), b.num(30)));
    const pool = treePool(b, root);
    pool.setObservation(0, { hp: 10 });
    pool.stepSync();
    expect(pool.nodeStatus(0, root.id)).toBe("success");
    pool.setObservation(0, { hp: 50 });
    pool.stepSync();
    expect(pool.nodeStatus(0, root.id)).toBe("failure");
  });

  it("set writes state and succeeds", () => {
    const b = new IRBuilder();
    const n = b.stateVar("n", INT, [5]);
    const root = set(b.read(n), b.bin("+", b.read(n), b.num(2)));
    const pool = treePool(b, root);
    pool.runSync(3);
    expect(pool.read(0, "state.n")).toBe(11);
    expect(pool.nodeStatus(0, root.id)).toBe("success");
  });

  it("set assigns a list of another capacity: length kept up to the target's capacity, the rest zeroed", () => {
    const b = new IRBuilder();
    const small = { k: "list", element: INT, capacity: 2 } as const;
    const big = { k: "list", element: INT, capacity: 3 } as const;
    const l = b.stateVar("l", big, [3, 7, 8, 9]);
    const t = b.stateVar("t", small, [0, 0, 0]);
    const root = seq(
      set(b.read(l), b.construct([b.num(1), b.num(2)], small)),
      set(b.read(t), b.construct([b.num(4), b.num(5), b.num(6)], big)),
    );
    const pool = treePool(b, root);
    pool.runSync(1);
    expect(pool.read(0, "state.l")).toEqual([1, 2]);
    expect(pool.mem.slice(0, 4)).toEqual(Float64Array.from([2, 1, 2, 0]));
    expect(pool.read(0, "state.t")).toEqual([4, 5]);
  });

  it("wait ends exactly at its deadline", () => {
    const b = new IRBuilder();
    const root = wait(300);
    const pool = treePool(b, root);
    // steps at t=0,100,200,300: started at 0, deadline 300 → success on the 4th tick.
    expect(stepN(pool, root, 5)).toEqual(["running", "running", "running", "success", "running"]);
  });

  it("a synchronous action succeeds or fails; returning running from a non-async action is HP8013", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = act(a);
    const log: string[] = [];
    const pool = treePool(b, root, { a: scripted(log, "a", ["success", "failure", "running"]) });
    expect(stepN(pool, root, 3)).toEqual(["success", "failure", "failure"]);
    expect(pool.drainErrors().map((e) => e.code)).toEqual(["HP8013"]);
  });

  it("an async action runs over ticks and is halted with phase halt", () => {
    const b = new IRBuilder();
    const go = b.obs("go", BOOL);
    const a = b.action("move", [], { async: true });
    const root = guardWhile(b.read(go), act(a));
    const log: string[] = [];
    const pool = treePool(b, root, { move: scripted(log, "move", ["running"]) });
    pool.setObservation(0, { go: true });
    pool.runSync(2);
    pool.setObservation(0, { go: false });
    pool.runSync(1);
    expect(log).toEqual(["move:start", "move:running", "move:halt"]);
    expect(pool.nodeStatus(0, root.kids[0]!.id)).toBe("idle");
  });
});

describe("memory composites", () => {
  it("sequence resumes at its running child and does not re-tick finished ones", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const m = b.action("m", [], { async: true });
    const c = b.action("c");
    const root = seq(act(a), act(m), act(c));
    const log: string[] = [];
    const pool = treePool(b, root, {
      a: scripted(log, "a", ["success"]),
      m: scripted(log, "m", ["running", "success"]),
      c: scripted(log, "c", ["success"]),
    });
    expect(stepN(pool, root, 2)).toEqual(["running", "success"]);
    expect(log).toEqual(["a:start", "m:start", "m:running", "c:start"]);
  });

  it("selector returns the first success and resumes at its running child", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const m = b.action("m", [], { async: true });
    const root = sel(act(a), act(m), succeed());
    const log: string[] = [];
    const pool = treePool(b, root, { a: scripted(log, "a", ["failure"]), m: scripted(log, "m", ["running", "failure"]) });
    expect(stepN(pool, root, 2)).toEqual(["running", "success"]);
    expect(log).toEqual(["a:start", "m:start", "m:running"]);
  });
});

describe("reactive composites", () => {
  it("reactive sequence re-checks earlier children and halts the running one when a condition fails", () => {
    const b = new IRBuilder();
    const ok = b.obs("ok", BOOL);
    const m = b.action("m", [], { async: true });
    const root = rseq(check(b.read(ok)), act(m));
    const log: string[] = [];
    const pool = treePool(b, root, { m: scripted(log, "m", ["running"]) });
    pool.setObservation(0, { ok: true });
    expect(stepN(pool, root, 2)).toEqual(["running", "running"]);
    pool.setObservation(0, { ok: false });
    expect(stepN(pool, root, 1)).toEqual(["failure"]);
    expect(log).toEqual(["m:start", "m:running", "m:halt"]);
  });

  it("reactive selector halts the old running branch before the new branch starts anything", () => {
    const b = new IRBuilder();
    const danger = b.obs("danger", BOOL);
    const flee = b.action("flee", [], { async: true });
    const patrol = b.action("patrol", [], { async: true });
    const root = rsel(seq(check(b.read(danger)), act(flee)), act(patrol));
    const log: string[] = [];
    const pool = treePool(b, root, { flee: scripted(log, "flee", ["running"]), patrol: scripted(log, "patrol", ["running"]) });
    pool.setObservation(0, { danger: false });
    pool.runSync(2);
    pool.setObservation(0, { danger: true });
    pool.runSync(1);
    expect(log).toEqual(["patrol:start", "patrol:running", "patrol:halt", "flee:start"]);
  });

  it("reactive selector keeps the running branch while higher-priority conditions fail", () => {
    const b = new IRBuilder();
    const patrol = b.action("patrol", [], { async: true });
    const root = rsel(check(b.bool(false)), act(patrol));
    const log: string[] = [];
    const pool = treePool(b, root, { patrol: scripted(log, "patrol", ["running"]) });
    pool.runSync(3);
    expect(log).toEqual(["patrol:start", "patrol:running", "patrol:running"]);
  });

  it("memory sequence does not re-check a condition that already passed", () => {
    const b = new IRBuilder();
    const ok = b.obs("ok", BOOL);
    const m = b.action("m", [], { async: true });
    const root = seq(check(b.read(ok)), act(m));
    const log: string[] = [];
    const pool = treePool(b, root, { m: scripted(log, "m", ["running"]) });
    pool.setObservation(0, { ok: true });
    pool.runSync(1);
    pool.setObservation(0, { ok: false });
    expect(stepN(pool, root, 1)).toEqual(["running"]);
    expect(log).toEqual(["m:start", "m:running"]);
  });
});

describe("parallel and race", () => {
  it("parallel succeeds at its success threshold and halts the still-running children in order", () => {
    const b = new IRBuilder();
    const x = b.action("x", [], { async: true });
    const y = b.action("y", [], { async: true });
    const z = b.action("z", [], { async: true });
    const root = par(1, 3, act(x), act(y), act(z));
    const log: string[] = [];
    const pool = treePool(b, root, {
      x: scripted(log, "x", ["running"]),
      y: scripted(log, "y", ["running", "success"]),
      z: scripted(log, "z", ["running"]),
    });
    expect(stepN(pool, root, 2)).toEqual(["running", "success"]);
    expect(log).toEqual(["x:start", "y:start", "z:start", "x:running", "y:running", "z:running", "x:halt", "z:halt"]);
  });

  it("parallel does not re-tick finished children and fails when success becomes impossible", () => {
    const b = new IRBuilder();
    const x = b.action("x");
    const y = b.action("y", [], { async: true });
    const root = par(2, 2, act(x), act(y));
    const log: string[] = [];
    const pool = treePool(b, root, { x: scripted(log, "x", ["success"]), y: scripted(log, "y", ["running", "failure"]) });
    expect(stepN(pool, root, 2)).toEqual(["running", "failure"]);
    expect(log).toEqual(["x:start", "y:start", "y:running"]);
  });

  it("parallel fails at its failure threshold", () => {
    const b = new IRBuilder();
    const root = par(2, 1, succeed(), fail(), running());
    const pool = treePool(b, root);
    expect(stepN(pool, root, 1)).toEqual(["failure"]);
  });

  it("race: the first child to finish decides and the others are halted", () => {
    const b = new IRBuilder();
    const x = b.action("x", [], { async: true });
    const y = b.action("y", [], { async: true });
    const root = race(act(x), act(y));
    const log: string[] = [];
    const pool = treePool(b, root, { x: scripted(log, "x", ["running"]), y: scripted(log, "y", ["running", "failure"]) });
    expect(stepN(pool, root, 2)).toEqual(["running", "failure"]);
    expect(log).toEqual(["x:start", "y:start", "x:running", "y:running", "x:halt"]);
  });
});

describe("decorators", () => {
  it("invert, force_success, force_failure map completions and pass running through", () => {
    const b = new IRBuilder();
    const root = seq(invert(fail()), forceSuccess(fail()), invert(forceFailure(succeed())), invert(running()));
    const pool = treePool(b, root);
    expect(stepN(pool, root, 1)).toEqual(["running"]);
    for (const k of root.kids.slice(0, 3)) expect(pool.nodeStatus(0, k.id)).toBe("success");
  });

  it("repeat(3) takes one tick per child success: running, running, success", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = repeat(3, act(a));
    const log: string[] = [];
    const pool = treePool(b, root, { a: scripted(log, "a", ["success"]) });
    expect(stepN(pool, root, 4)).toEqual(["running", "running", "success", "running"]);
    expect(log.length).toBe(4);
  });

  it("repeat fails as soon as its child fails", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = repeat(3, act(a));
    const pool = treePool(b, root, { a: scripted([], "a", ["success", "failure"]) });
    expect(stepN(pool, root, 2)).toEqual(["running", "failure"]);
  });

  it("retry(3) allows three attempts", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = retry(3, act(a));
    const pool = treePool(b, root, { a: scripted([], "a", ["failure"]) });
    expect(stepN(pool, root, 3)).toEqual(["running", "running", "failure"]);
    const b2 = new IRBuilder();
    const a2 = b2.action("a");
    const root2 = retry(3, act(a2));
    const pool2 = treePool(b2, root2, { a: scripted([], "a", ["failure", "success"]) });
    expect(stepN(pool2, root2, 2)).toEqual(["running", "success"]);
  });

  it("timeout fails at its deadline without ticking the child on the late tick, halting it", () => {
    const b = new IRBuilder();
    const m = b.action("m", [], { async: true });
    const root = timeout(200, act(m));
    const log: string[] = [];
    const pool = treePool(b, root, { m: scripted(log, "m", ["running"]) });
    // t=0 start, t=100 running, t=200 deadline → failure, child halted, not ticked.
    expect(stepN(pool, root, 3)).toEqual(["running", "running", "failure"]);
    expect(log).toEqual(["m:start", "m:running", "m:halt"]);
  });

  it("delay waits before ticking its child in the same tick the delay ends", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = delay(200, act(a));
    const log: string[] = [];
    const pool = treePool(b, root, { a: scripted(log, "a", ["success"]) });
    expect(stepN(pool, root, 3)).toEqual(["running", "running", "success"]);
    expect(log).toEqual(["a:start"]);
  });

  it("cooldown fails without ticking while cooling down after its child finished", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = cooldown(250, act(a));
    const log: string[] = [];
    const pool = treePool(b, root, { a: scripted(log, "a", ["success"]) });
    // t=0 runs; t=100,200 cooling; t=300 ≥ 0+250 runs again.
    expect(stepN(pool, root, 4)).toEqual(["success", "failure", "failure", "success"]);
    expect(log.length).toBe(2);
  });

  it("once runs its child to completion once and then repeats that result", () => {
    const b = new IRBuilder();
    const a = b.action("a");
    const root = once(act(a));
    const log: string[] = [];
    const pool = treePool(b, root, { a: scripted(log, "a", ["failure", "success"]) });
    expect(stepN(pool, root, 3)).toEqual(["failure", "failure", "failure"]);
    expect(log.length).toBe(1);
  });

  it("guard while fails and halts its child when the condition turns false", () => {
    const b = new IRBuilder();
    const go = b.obs("go", BOOL);
    const m = b.action("m", [], { async: true });
    const root = guardWhile(b.read(go), act(m));
    const log: string[] = [];
    const pool = treePool(b, root, { m: scripted(log, "m", ["running"]) });
    pool.setObservation(0, { go: true });
    expect(stepN(pool, root, 1)).toEqual(["running"]);
    pool.setObservation(0, { go: false });
    expect(stepN(pool, root, 1)).toEqual(["failure"]);
    expect(log).toEqual(["m:start", "m:halt"]);
  });

  it("guard until succeeds and halts its child when the condition turns true", () => {
    const b = new IRBuilder();
    const there = b.obs("there", BOOL);
    const m = b.action("m", [], { async: true });
    const root = guardUntil(b.read(there), act(m));
    const log: string[] = [];
    const pool = treePool(b, root, { m: scripted(log, "m", ["running"]) });
    pool.setObservation(0, { there: false });
    expect(stepN(pool, root, 1)).toEqual(["running"]);
    pool.setObservation(0, { there: true });
    expect(stepN(pool, root, 1)).toEqual(["success"]);
    expect(log).toEqual(["m:start", "m:halt"]);
  });
});

describe("halt", () => {
  it("halts post-order (children before parents) and is idempotent", () => {
    const b = new IRBuilder();
    const go = b.obs("go", BOOL);
    const x = b.action("x", [], { async: true });
    const y = b.action("y", [], { async: true });
    const inner = par(2, 1, act(x), seq(act(y)));
    const root = guardWhile(b.read(go), inner);
    const log: string[] = [];
    const pool = treePool(b, root, { x: scripted(log, "x", ["running"]), y: scripted(log, "y", ["running"]) });
    pool.setObservation(0, { go: true });
    pool.runSync(1);
    pool.setObservation(0, { go: false });
    pool.runSync(2);
    expect(log).toEqual(["x:start", "y:start", "x:halt", "y:halt"]);
    // The trace lists the idle transitions in halt order: x's do node, y's do node, its sequence, the parallel.
    const { lines } = (pool as unknown as { recorder: { sink: { lines: string[] } } }).recorder.sink;
    const step1 = JSON.parse(lines[2]!) as { status: [number, number, string][] };
    const idle = step1.status.filter((s) => s[2] === "idle").map((s) => s[1]);
    const xNode = inner.kids[0]!.id;
    const seqNode = inner.kids[1]!.id;
    const yNode = inner.kids[1]!.kids[0]!.id;
    expect(idle).toEqual([xNode, yNode, seqNode, inner.id]);
  });
});

describe("status bytes without a tracer", () => {
  // Only running (or suspended) statuses are read back by tick and halt, so an untraced pool writes the status
  // of nodes that can run and of layer roots, and leaves nodes that can never run idle (pool.nodeStatus docs).
  it("keep layer roots and nodes that can run; nodes that cannot run stay idle", () => {
    const statuses = (traced: boolean): string[] => {
      const b = new IRBuilder();
      const root = seq(succeed(), sel(fail(), succeed()), running());
      const pool = treePool(b, root, {}, traced ? {} : { trace: undefined });
      pool.stepSync();
      return [root.id, root.kids[0]!.id, root.kids[1]!.id, root.kids[2]!.id].map((id) => pool.nodeStatus(0, id));
    };
    expect(statuses(true)).toEqual(["running", "success", "success", "running"]);
    expect(statuses(false)).toEqual(["running", "idle", "idle", "running"]);
  });
});
