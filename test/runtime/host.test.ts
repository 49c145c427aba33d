// Host API: extern binding checks, faults isolated per agent, observation validation, output reading.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, FLOAT, INT, vec, act, check, fail, sel, seq, set } from "./support/builder.ts";
import { createPool, HpolRuntimeError, formatRuntimeError, MemorySink, replayTrace } from "../../src/runtime/index.ts";

function guarded() {
  const b = new IRBuilder();
  const hp = b.obs("hp", { k: "int", min: 0, max: 100 });
  const pos = b.obs("pos", vec(2));
  const speed = b.out("speed", FLOAT);
  const visible = b.condition("visible", [INT]);
  const fire = b.action("fire", [], { writes: [speed] });
  // sel(seq(check visible(hp), do fire), set speed = 1): a failing extern falls back to the sibling.
  const root = sel(seq(check(b.ext(visible, [b.read(hp)])), act(fire)), set(b.read(speed), b.num(1)));
  b.executor("E", { periodMs: 100, writes: [speed], default: root });
  void pos;
  return { ir: b.build(), root };
}

describe("binding externs", () => {
  it("a missing binding is HP8010", () => {
    const { ir } = guarded();
    expect(() => createPool(ir, { externs: { visible: () => true } })).toThrow(/HP8010.*fire/);
  });
  it("an unknown name is HP8011 with a suggestion", () => {
    const { ir } = guarded();
    expect(() => createPool(ir, { externs: { visible: () => true, fire: () => "success", fier: () => 1 } })).toThrow(
      /HP8011.*fier.*did you mean `fire`/,
    );
  });
  it("a binding taking more parameters than declared (plus the context) is HP8011", () => {
    const { ir } = guarded();
    try {
      createPool(ir, { externs: { visible: (a: number, b: number, c: number) => a + b + c > 0, fire: () => "success" } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HpolRuntimeError);
      expect((e as HpolRuntimeError).code).toBe("HP8011");
      expect((e as Error).message).toMatch(/declares 1 parameter \(p0: int\) but the binding takes 3/);
    }
  });
  it("a non-function binding is HP8011", () => {
    const { ir } = guarded();
    expect(() => createPool(ir, { externs: { visible: 3 as unknown as () => boolean, fire: () => "success" } })).toThrow(/HP8011.*expected a function/);
  });
});

describe("faults are per agent", () => {
  it("an extern that throws fails its node for that agent only, with the node's span; the pool keeps running", () => {
    const { ir, root } = guarded();
    const pool = createPool(ir, {
      agents: 3,
      stepMs: 100,
      externs: {
        visible: (hp: number, ctx: { agent: number }) => {
          if (ctx.agent === 1) throw new Error("sensor offline");
          return hp > 50;
        },
        fire: (ctx: { write: (o: string, v: unknown) => boolean }) => (ctx.write("speed", 9), "success"),
      },
    });
    for (let a = 0; a < 3; a++) pool.setObservation(a, { hp: 80, pos: [0, 0] });
    pool.stepSync();
    pool.stepSync();
    expect([0, 1, 2].map((a) => pool.getOutput(a)["speed"])).toEqual([9, 1, 9]);
    const errors = pool.drainErrors();
    expect(errors.map((e) => [e.code, e.agent, e.tick])).toEqual([
      ["HP8012", 1, 0],
      ["HP8012", 1, 1],
    ]);
    const checkNode = root.kids[0]!.kids[0]!.id;
    expect(errors[0]!.node).toBe(checkNode);
    expect(errors[0]!.span).toMatchObject({ file: "test.hpol", line: checkNode + 1 });
    expect(formatRuntimeError(errors[0]!)).toMatch(/^HP8012 agent 1 tick 0 node \d+ \(test\.hpol:\d+:1\): extern `visible` threw: sensor offline$/);
  });

  it("an extern returning the wrong type is HP8013 and its node fails", () => {
    const { ir } = guarded();
    const pool = createPool(ir, { stepMs: 100, externs: { visible: () => "yes", fire: () => "success" } });
    pool.setObservation(0, { hp: 80, pos: [0, 0] });
    pool.stepSync();
    expect(pool.getOutput(0)["speed"]).toBe(1);
    const [e] = pool.drainErrors();
    expect(e!.code).toBe("HP8013");
    expect(e!.message).toMatch(/`visible` returned "yes"/);
  });
});

describe("observations", () => {
  it("values outside the declared type or range are HP8020 and the field keeps its previous value", () => {
    const { ir } = guarded();
    const pool = createPool(ir, { stepMs: 100, externs: { visible: () => false, fire: () => "success" } });
    expect(pool.setObservation(0, { hp: 40, pos: [1, 2] })).toBe(true);
    expect(pool.setObservation(0, { hp: 140, pos: [1, 2] })).toBe(false);
    expect(pool.setObservation(0, { hp: 40.5, pos: [1, 2] })).toBe(false);
    expect(pool.setObservation(0, { hp: 40, pos: [1, Number.NaN] })).toBe(false);
    expect(pool.setObservation(0, { hp: 40, pos: [1] })).toBe(false);
    expect(pool.setObservation(0, { pos: [1, 2] })).toBe(false);
    expect(pool.read(0, "obs.hp")).toBe(40);
    expect(pool.read(0, "obs.pos")).toEqual([1, 2]);
    const messages = pool.drainErrors().map((e) => `${e.code} ${e.message}`);
    expect(messages).toEqual([
      "HP8020 observation violates its declared type: hp: 140 is outside the declared range [0, 100]",
      "HP8020 observation violates its declared type: hp: expected an int, got 40.5",
      "HP8020 observation violates its declared type: pos[1]: expected a finite number, got NaN",
      "HP8020 observation violates its declared type: pos: expected 2 numbers, got 1",
      "HP8020 observation violates its declared type: hp: missing",
    ]);
  });

  it("a node reading a rejected observation fails with HP8021 (its fallback runs) until a valid value arrives", async () => {
    const b = new IRBuilder();
    const hp = b.obs("hp", { k: "int", min: 0, max: 100 });
    const other = b.obs("other", INT);
    const mode = b.out("mode", INT);
    const root = sel(seq(check(b.bin("<", b.read(hp), b.num(30))), set(b.read(mode), b.num(1))), set(b.read(mode), b.read(other)));
    b.executor("E", { periodMs: 100, default: root });
    const ir = b.build();
    const sink = new MemorySink();
    const pool = createPool(ir, { agents: 2, stepMs: 100, trace: sink });
    pool.setObservation(0, { hp: 10, other: 7 });
    pool.setObservation(1, { hp: 10, other: 7 });
    pool.stepSync();
    expect([pool.getOutput(0)["mode"], pool.getOutput(1)["mode"]]).toEqual([1, 1]);
    pool.setObservation(1, { hp: 500, other: 7 });
    pool.stepSync();
    expect([pool.getOutput(0)["mode"], pool.getOutput(1)["mode"]]).toEqual([1, 7]);
    const errors = pool.drainErrors();
    expect(errors.map((e) => [e.code, e.agent, e.node])).toEqual([
      ["HP8020", 1, -1],
      ["HP8021", 1, root.kids[0]!.kids[0]!.id],
    ]);
    expect(errors[1]!.message).toMatch(/reads observation `hp`/);
    pool.setObservation(1, { hp: 20, other: 7 });
    pool.stepSync();
    expect(pool.getOutput(1)["mode"]).toBe(1);
    expect(await replayTrace(ir, sink.text())).toEqual({ ok: true, verified: 3 });
  });

  it("unknown field names are reported with a suggestion", () => {
    const { ir } = guarded();
    const pool = createPool(ir, { stepMs: 100, externs: { visible: () => false, fire: () => "success" } });
    expect(() => pool.setObservationField(0, "hpp", 3)).toThrow(/HP8040.*did you mean `hp`/);
  });

  it("keeps at most maxErrors errors between drains and counts the rest; onError still sees every one", () => {
    const b = new IRBuilder();
    const x = b.obs("x", { k: "float", min: 0, max: 1 });
    const y = b.out("y", FLOAT);
    b.executor("E", { periodMs: 100, default: seq(check(b.bin("<", b.read(x), b.num(0.5, FLOAT), BOOL)), set(b.read(y), b.num(1))) });
    let seen = 0;
    const pool = createPool(b.build(), { agents: 3, stepMs: 100, maxErrors: 5, onError: () => seen++ });
    pool.observationColumn("x").fill(Number.NaN);
    for (let i = 0; i < 4; i++) pool.stepSync();
    expect(seen).toBe(12);
    expect(pool.droppedErrors).toBe(7);
    const kept = pool.drainErrors();
    expect(kept.map((e) => [e.tick, e.agent, e.code])).toEqual([[0, 0, "HP8021"], [0, 1, "HP8021"], [0, 2, "HP8021"], [1, 0, "HP8021"], [1, 1, "HP8021"]]);
    expect(pool.droppedErrors).toBe(0);
    pool.stepSync();
    expect(pool.drainErrors()).toHaveLength(3);
  });

  it("observation and output columns give zero-copy access to every agent's values", () => {
    const b = new IRBuilder();
    const x = b.obs("x", FLOAT);
    const y = b.out("y", FLOAT);
    const flag = b.obs("flag", BOOL);
    b.executor("E", { periodMs: 100, default: seq(check(b.read(flag)), set(b.read(y), b.bin("*", b.read(x), b.num(2)))) });
    const pool = createPool(b.build(), { agents: 2, stepMs: 100 });
    const xs = pool.observationColumn("x");
    const flags = pool.observationColumn("flag");
    const ys = pool.outputColumn("y");
    expect([xs.length, flags.length, ys.length]).toEqual([2, 2, 2]);
    xs[1] = 4;
    flags[1] = 1;
    pool.stepSync();
    expect(Array.from(ys)).toEqual([0, 8]);
    // The same arrays every time, and what setObservation writes lands in them.
    expect(pool.observationColumn("x")).toBe(xs);
    expect(pool.outputColumn("y")).toBe(ys);
    pool.setObservation(0, { x: 3, flag: true });
    expect([xs[0], flags[0]]).toEqual([3, 1]);
    pool.stepSync();
    expect(Array.from(ys)).toEqual([6, 8]);
    expect(pool.getOutput(1)).toEqual({ y: 8 });
    void fail;
  });
});
