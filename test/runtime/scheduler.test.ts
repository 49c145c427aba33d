// Layered scheduling on the fixed-step clock: rates, events, messages, preemption and injection.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, INT, act, emit, seq, set, running, check, wait } from "./support/builder.ts";
import { scripted } from "./support/harness.ts";
import { createPool } from "../../src/runtime/pool.ts";
import { MemorySink } from "../../src/runtime/trace.ts";

function counter(b: IRBuilder, name: string) {
  const v = b.stateVar(name, INT, [0]);
  return { v, inc: () => set(b.read(v), b.bin("+", b.read(v), b.num(1))) };
}

describe("rates", () => {
  it("a planner every 500 ms and an executor at 30 Hz tick 20 and 300 times over 10 simulated seconds", () => {
    const b = new IRBuilder();
    const msg = b.message("Intent", [{ name: "go", fields: [] }]);
    const p = counter(b, "plans");
    const x = counter(b, "execs");
    const planner = b.planner("Boss", { periodMs: 500, message: msg, root: seq(p.inc(), emit(0, 0)) });
    b.executor("Body", { periodMs: 1000 / 30, follows: planner, default: x.inc() });
    // 60 steps per second: 600 steps cover t = 0 .. 9983 ms.
    const pool = createPool(b.build(), { stepMs: 1000 / 60 });
    pool.runSync(600);
    expect(pool.read(0, "state.plans")).toBe(20);
    expect(pool.read(0, "state.execs")).toBe(300);
  });

  it("a layer slower than the step runs at step 0 and whenever its period boundary is crossed", () => {
    const b = new IRBuilder();
    const x = counter(b, "n");
    b.executor("E", { periodMs: 250, default: x.inc() });
    const pool = createPool(b.build(), { stepMs: 100 });
    // t = 0,100,...,900: runs at 0, 300 (crosses 250), 500, 800 → 4 runs.
    pool.runSync(10);
    expect(pool.read(0, "state.n")).toBe(4);
  });

  it("the default step is the fastest layer's period", () => {
    const b = new IRBuilder();
    const msg = b.message("M", [{ name: "k", fields: [] }]);
    b.planner("P", { periodMs: 500, message: msg, root: emit(0, 0) });
    b.executor("E", { periodMs: 50, follows: 0, default: running() });
    expect(createPool(b.build()).stepMs).toBe(50);
  });
});

describe("planner trees across triggers", () => {
  it("a running planner tree continues at its next trigger; executors run their default until the first message", () => {
    const b = new IRBuilder();
    const msg = b.message("M", [{ name: "go", fields: [] }]);
    const mode = b.out("mode", INT);
    const planner = b.planner("P", { periodMs: 500, message: msg, root: seq(wait(1000), emit(0, 0)) });
    b.executor("E", {
      periodMs: 100,
      follows: planner,
      handlers: [{ kind: 0, root: set(b.read(mode), b.num(2)) }],
      default: set(b.read(mode), b.num(1)),
    });
    const pool = createPool(b.build(), { stepMs: 100 });
    const modes: number[] = [];
    for (let i = 0; i < 12; i++) {
      pool.stepSync();
      modes.push(pool.getOutput(0)["mode"] as number);
    }
    // The planner ticks at 0, 500 (wait running) and 1000 (wait done → emit): the handler takes over at t=1000.
    expect(modes).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
  });
});

describe("events", () => {
  it("an edge-triggered planner fires on the rising edge only", () => {
    const b = new IRBuilder();
    const alarm = b.obs("alarm", BOOL);
    const ev = b.event("alarmed", b.read(alarm));
    const msg = b.message("M", [{ name: "k", fields: [] }]);
    const c = counter(b, "fired");
    b.planner("P", { periodMs: null, events: [ev], message: msg, root: c.inc() });
    const pool = createPool(b.build(), { stepMs: 100 });
    const pattern = [false, true, true, true, false, false, true, true];
    const counts: number[] = [];
    for (const a of pattern) {
      pool.setObservation(0, { alarm: a });
      pool.stepSync();
      counts.push(pool.read(0, "state.fired") as number);
    }
    expect(counts).toEqual([0, 1, 1, 1, 1, 1, 2, 2]);
  });

  it("a host-raised event runs its planner at the next step, for the chosen agent only", () => {
    const b = new IRBuilder();
    const ev = b.event("poke");
    const msg = b.message("M", [{ name: "k", fields: [] }]);
    const c = counter(b, "fired");
    b.planner("P", { periodMs: null, events: [ev], message: msg, root: c.inc() });
    const pool = createPool(b.build(), { stepMs: 100, agents: 2 });
    pool.runSync(2);
    pool.raise("poke", 1);
    pool.runSync(3);
    expect([pool.read(0, "state.fired"), pool.read(1, "state.fired")]).toEqual([0, 1]);
    expect(() => pool.raise("pokee")).toThrow(/HP8040.*did you mean `poke`/);
  });
});

describe("messages and preemption", () => {
  function layered() {
    const b = new IRBuilder();
    const mode = b.obs("mode", INT);
    const msg = b.message("Intent", [
      { name: "attack", fields: [{ name: "target", type: INT }] },
      { name: "retreat", fields: [] },
    ]);
    const planner = b.planner("Boss", {
      periodMs: 500,
      message: msg,
      root: seq(
        check(b.bool(true)),
        // mode 0 → attack(target 7), else retreat
        emitByMode(b, mode),
      ),
    });
    const strike = b.action("strike", [INT], { async: true });
    const flee = b.action("flee", [], { async: true });
    const target = b.field(b.read(b.payloadVar(planner, 0)), "target");
    b.executor("Body", {
      periodMs: 100,
      follows: planner,
      handlers: [
        { kind: 0, root: act(strike, target) },
        { kind: 1, root: act(flee) },
      ],
    });
    return b;
  }
  function emitByMode(b: IRBuilder, mode: number) {
    // A selector of two guarded emissions.
    return {
      spec: { k: "selector" as const, children: [] },
      kids: [seq(check(b.bin("==", b.read(mode), b.num(0))), emit(0, 0, b.num(7))), emit(0, 1)],
      id: -1,
    };
  }

  it("executors run the handler of the current message and a new message halts the running handler", () => {
    const b = layered();
    const log: string[] = [];
    const strike = (target: number, ctx: { phase: string }) => {
      log.push(`strike(${target}):${ctx.phase}`);
      return ctx.phase === "halt" ? undefined : "running";
    };
    const pool = createPool(b.build(), { stepMs: 100, externs: { strike, flee: scripted(log, "flee", ["running"]) } });
    pool.setObservation(0, { mode: 0 });
    pool.runSync(5); // t=0..400: planner at 0 only
    pool.setObservation(0, { mode: 1 });
    pool.runSync(2); // t=500: planner emits retreat → preempts
    expect(log).toEqual([
      "strike(7):start",
      "strike(7):running",
      "strike(7):running",
      "strike(7):running",
      "strike(7):running",
      "strike(7):halt",
      "flee:start",
      "flee:running",
    ]);
  });

  it("re-emitting the same message does not preempt", () => {
    const b = layered();
    const log: string[] = [];
    const strike = (target: number, ctx: { phase: string }) => {
      log.push(`strike:${ctx.phase}`);
      return ctx.phase === "halt" ? undefined : "running";
    };
    const pool = createPool(b.build(), { stepMs: 100, externs: { strike, flee: scripted(log, "flee", ["running"]) } });
    pool.setObservation(0, { mode: 0 });
    pool.runSync(12); // planner at 0, 500, 1000 re-emits attack(7)
    expect(log.filter((l) => l !== "strike:running")).toEqual(["strike:start"]);
  });

  it("an injected message overrides the planner, preempts like an emission and is traced", () => {
    const b = layered();
    const log: string[] = [];
    const strike = (target: number, ctx: { phase: string }) => {
      log.push(`strike(${target}):${ctx.phase}`);
      return ctx.phase === "halt" ? undefined : "running";
    };
    const sink = new MemorySink();
    const pool = createPool(b.build(), { stepMs: 100, trace: sink, externs: { strike, flee: scripted(log, "flee", ["running"]) } });
    pool.setObservation(0, { mode: 1 });
    pool.runSync(2);
    pool.inject("Boss", "attack", { target: 3 });
    pool.runSync(1);
    expect(log).toEqual(["flee:start", "flee:running", "flee:halt", "strike(3):start"]);
    const line = JSON.parse(sink.lines[3]!) as { inject: unknown[]; msg: unknown[] };
    expect(line.inject).toEqual([[0, 0, 0, [3]]]);
    expect(line.msg).toEqual([[0, 0, 0, [3], 1]]);
    expect(() => pool.inject("Bos", "attack")).toThrow(/did you mean `Boss`/);
  });
});
