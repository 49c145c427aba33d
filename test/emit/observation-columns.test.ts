// Observations written straight into the pool's columns (observationColumn) are checked where a node reads
// them: an invalid value (NaN, ±Infinity, out of range, not an integer, a bool other than 0/1) fails the node with
// HP8021 and its fallback runs. The emitter fuses the check of `obs.x <op> constant` into the comparison
// (node-code.ts fusedCheck); these tests hold it, and the interpreter, to the plain semantics over every
// comparison operator, constants inside, at and outside each field's range, and raw values on and off it.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, check, float, int, sel, seq, set, vec } from "../runtime/support/builder.ts";
import type { NodeSpec } from "../runtime/support/builder.ts";
import type { IRBinaryOp, IRType, PolicyIR } from "../../src/runtime/ir.ts";
import { createPool, MemorySink, replayTrace } from "../../src/runtime/index.ts";
import type { AgentPool, PoolOptions } from "../../src/runtime/index.ts";
import { loadEmitted, writeEmitted } from "./support/harness.ts";

interface Field {
  readonly name: string;
  readonly type: IRType;
  /** Constants the conditions compare it with. */
  readonly constants: readonly number[];
  /** Raw values written into its column, valid and invalid. */
  readonly raw: readonly number[];
  readonly valid: (x: number) => boolean;
}

const ODD = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
const FIELDS: readonly Field[] = [
  { name: "hp", type: int(0, 6), constants: [-1, 0, 3, 6, 7, 2.5], raw: [...ODD, -1, 0, 3, 6, 7, 2.5, 1e12], valid: (x) => Number.isInteger(x) && x >= 0 && x <= 6 },
  { name: "dist", type: float(1, 40), constants: [0, 1, 18, 40, 41], raw: [...ODD, 0.5, 1, 18, 39.9, 40, 40.5], valid: (x) => x >= 1 && x <= 40 },
  { name: "any", type: float(), constants: [-5, 0, 5], raw: [...ODD, -1e308, 0, 5, 1e308], valid: (x) => Number.isFinite(x) },
  { name: "wide", type: int(), constants: [0, 3e9], raw: [...ODD, 3e9, 3e9 + 0.5, -7, 0.25], valid: (x) => Number.isInteger(x) },
  { name: "flag", type: BOOL, constants: [0, 1], raw: [...ODD, 0, 1, 2, 0.5, -1], valid: (x) => x === 0 || x === 1 },
  // Two-valued fields compared with one of their values leave one valid value on the other branch.
  { name: "bit", type: int(0, 1), constants: [-1, 0, 1, 2], raw: [...ODD, 0, 1, 2, 0.5, -1], valid: (x) => x === 0 || x === 1 },
  { name: "side", type: { k: "enum", name: "Side", members: ["Left", "Right"] }, constants: [0, 1], raw: [...ODD, 0, 1, 2, 1.5], valid: (x) => x === 0 || x === 1 },
];
const OPS: readonly IRBinaryOp[] = ["<", "<=", ">", ">=", "==", "!="];
const compare = (op: IRBinaryOp, x: number, c: number): boolean =>
  op === "<" ? x < c : op === "<=" ? x <= c : op === ">" ? x > c : op === ">=" ? x >= c : op === "==" ? x === c : x !== c;

interface Case {
  readonly field: number;
  /** What the condition computes from a valid value. */
  readonly truth: (x: number) => boolean;
  readonly output: string;
}

/** One policy: per condition, `selector { sequence { check cond; set out.r<i> = 1 } ; set out.r<i> = 2 }`. */
function policy(): { ir: PolicyIR; cases: Case[] } {
  const b = new IRBuilder();
  const vars = FIELDS.map((f) => b.obs(f.name, f.type));
  const cases: Case[] = [];
  const body: NodeSpec[] = [];
  const writes: number[] = [];
  const add = (field: number, cond: number, truth: (x: number) => boolean): void => {
    const out = b.out(`r${cases.length}`, int(0, 2));
    writes.push(out);
    body.push(sel(seq(check(cond), set(b.read(out), b.num(1))), set(b.read(out), b.num(2))));
    cases.push({ field, truth, output: `r${cases.length}` });
  };
  FIELDS.forEach((f, i) => {
    const numType: IRType = f.type.k === "bool" ? int(0, 1) : f.type.k === "int" ? { k: "int" } : f.type.k === "enum" ? f.type : { k: "float" };
    if (f.type.k === "bool") {
      add(i, b.read(vars[i]!), (x) => x !== 0);
      add(i, b.not(b.read(vars[i]!)), (x) => x === 0);
      return;
    }
    for (const op of OPS) {
      for (const c of f.constants) {
        add(i, b.bin(op, b.read(vars[i]!), b.num(c, numType), BOOL), (x) => compare(op, x, c));
        // The constant on the left, and a negation: the mirrored and swapped forms.
        add(i, b.bin(op, b.num(c, numType), b.read(vars[i]!), BOOL), (x) => compare(op, c, x));
        add(i, b.not(b.bin(op, b.read(vars[i]!), b.num(c, numType), BOOL)), (x) => !compare(op, x, c));
      }
    }
  });
  b.executor("E", { periodMs: 100, writes, default: seq(...body) });
  return { ir: b.build(), cases };
}

/** Every agent holds one raw value per field: agent a takes value a of each field's list (cycled). */
function fill(pool: AgentPool, agents: number, shift: number): void {
  FIELDS.forEach((f) => {
    const col = pool.observationColumn(f.name);
    for (let a = 0; a < agents; a++) col[a] = f.raw[(a + shift) % f.raw.length]!;
  });
}

describe("observation columns written directly by the host", () => {
  it("a node reading an invalid value fails with HP8021 naming it; valid values decide as the comparison says", async () => {
    const { ir, cases } = policy();
    const agents = 13;
    const emitted = await loadEmitted(writeEmitted(ir, "obs_columns"));
    const factories: [string, (o: PoolOptions) => AgentPool][] = [["interpreter", (o) => createPool(ir, o)], ["emitted", emitted]];
    const runs = factories.map(([name, make]) => {
      const pool = make({ agents });
      const seen: string[] = [];
      for (let shift = 0; shift < 12; shift++) {
        fill(pool, agents, shift);
        pool.stepSync();
        for (let a = 0; a < agents; a++) {
          for (const c of cases) {
            const x = FIELDS[c.field]!.raw[(a + shift) % FIELDS[c.field]!.raw.length]!;
            const want = !FIELDS[c.field]!.valid(x) ? 2 : c.truth(x) ? 1 : 2;
            const got = pool.outputColumn(c.output)[a];
            if (got !== want) seen.push(`${name}: ${FIELDS[c.field]!.name}=${x} ${c.output} got ${got}, want ${want}`);
          }
        }
        const errors = pool.drainErrors();
        // One HP8021 per check reading an invalid value, naming the field and the value.
        let expected = 0;
        for (let a = 0; a < agents; a++) for (const c of cases) if (!FIELDS[c.field]!.valid(FIELDS[c.field]!.raw[(a + shift) % FIELDS[c.field]!.raw.length]!)) expected++;
        if (errors.length !== expected) seen.push(`${name}: step ${shift}: ${errors.length} errors, want ${expected}`);
        for (const e of errors) {
          if (e.code !== "HP8021" || !/violates its declared type \(/.test(e.message)) seen.push(`${name}: unexpected error ${e.code} ${e.message}`);
        }
      }
      return seen;
    });
    expect(runs.flat()).toEqual([]);
  });

  it("interpreter and emitted code record the same errors, in the same order", async () => {
    const { ir } = policy();
    const agents = 13;
    const emitted = await loadEmitted(writeEmitted(ir, "obs_columns_errors"));
    const errorsOf = (make: (o: PoolOptions) => AgentPool): string[] => {
      const pool = make({ agents });
      const out: string[] = [];
      for (let shift = 0; shift < 12; shift++) {
        fill(pool, agents, shift);
        pool.stepSync();
        out.push(...pool.drainErrors().map((e) => `${e.agent} ${e.node} ${e.code} ${e.message}`));
      }
      return out;
    };
    const reference = errorsOf((o) => createPool(ir, o));
    expect(reference.length).toBeGreaterThan(100);
    expect(errorsOf(emitted)).toEqual(reference);
  });

  it("a rejected setObservation value and an invalid column value both fail the reading node", () => {
    const b = new IRBuilder();
    const hp = b.obs("hp", int(0, 100));
    const r = b.out("r", int(0, 2));
    b.executor("E", { periodMs: 100, writes: [r], default: sel(seq(check(b.bin("<", b.read(hp), b.num(30), BOOL)), set(b.read(r), b.num(1))), set(b.read(r), b.num(2))) });
    const pool = createPool(b.build(), { agents: 1 });
    const col = pool.observationColumn("hp");
    col[0] = 10;
    pool.stepSync();
    expect(pool.getOutput(0)).toEqual({ r: 1 });
    expect(pool.drainErrors()).toEqual([]);
    // Rejected by setObservation: the column keeps 10, the node fails all the same.
    expect(pool.setObservation(0, { hp: 140 })).toBe(false);
    expect(col[0]).toBe(10);
    pool.stepSync();
    expect(pool.getOutput(0)).toEqual({ r: 2 });
    expect(pool.drainErrors().map((e) => e.code)).toEqual(["HP8020", "HP8021"]);
    // A valid value set again clears the rejection; then an invalid value written straight into the column.
    expect(pool.setObservation(0, { hp: 20 })).toBe(true);
    col[0] = 20.5;
    pool.stepSync();
    expect(pool.getOutput(0)).toEqual({ r: 2 });
    const [e] = pool.drainErrors();
    expect(e?.code).toBe("HP8021");
    expect(e?.message).toContain("hp: expected an int, got 20.5");
  });

  it("a field the host has not set yet holds its default, which reads as valid", async () => {
    const b = new IRBuilder();
    const dist = b.obs("dist", float(1, 40));
    const below = b.obs("below", int(-9, -3));
    b.obs("flag", BOOL);
    const r = b.out("r", int(0, 2));
    const cond = b.bin("and", b.bin("<", b.read(dist), b.num(2, float()), BOOL), b.bin("==", b.read(below), b.num(-3), BOOL), BOOL);
    b.executor("E", { periodMs: 100, writes: [r], default: sel(seq(check(cond), set(b.read(r), b.num(1))), set(b.read(r), b.num(2))) });
    const ir = b.build();
    for (const make of [(o: PoolOptions) => createPool(ir, o), await loadEmitted(writeEmitted(ir, "obs_columns_defaults"))]) {
      const pool = make({ agents: 3 });
      expect([pool.observationColumn("dist")[2], pool.observationColumn("below")[2], pool.observationColumn("flag")[2]]).toEqual([1, -3, 0]);
      pool.stepSync();
      expect(pool.drainErrors()).toEqual([]);
      expect(Array.from(pool.outputColumn("r"))).toEqual([1, 1, 1]);
    }
  });

  it("vec observations are checked element by element", async () => {
    const b = new IRBuilder();
    const pos = b.obs("pos", vec(3));
    const r = b.out("r", int(0, 2));
    const first = b.index(b.read(pos), b.num(0));
    b.executor("E", { periodMs: 100, writes: [r], default: sel(seq(check(b.bin(">", first, b.num(0, float()), BOOL)), set(b.read(r), b.num(1))), set(b.read(r), b.num(2))) });
    const ir = b.build();
    for (const make of [(o: PoolOptions) => createPool(ir, o), await loadEmitted(writeEmitted(ir, "obs_columns_vec"))]) {
      const pool = make({ agents: 2 });
      const col = pool.observationColumn("pos");
      expect(col.length).toBe(6);
      col.set([1, 2, 3, 1, Number.POSITIVE_INFINITY, 3]);
      pool.stepSync();
      expect(Array.from(pool.outputColumn("r"))).toEqual([1, 2]);
      const errors = pool.drainErrors();
      expect(errors.map((e) => [e.agent, e.code])).toEqual([[1, "HP8021"]]);
      expect(errors[0]!.message).toContain("pos[1]: expected a finite number, got Infinity");
    }
  });

  it("records and lists have no column; unknown names are reported with a suggestion", () => {
    const b = new IRBuilder();
    b.obs("target", { k: "record", name: "T", fields: [{ name: "x", type: float() }] });
    b.obs("hp", int(0, 10));
    b.out("speed", float());
    b.executor("E", { periodMs: 100, default: seq() });
    const pool = createPool(b.build(), { agents: 1 });
    expect(() => pool.observationColumn("target")).toThrow(/HP8040.*has no column: set it with setObservation/);
    expect(() => pool.observationColumn("hpp")).toThrow(/HP8040.*did you mean `hp`/);
    expect(() => pool.outputColumn("hp")).toThrow(/HP8040.*is an observation: use observationColumn\("hp"\)/);
    expect(() => pool.outputColumn("sped")).toThrow(/HP8040.*did you mean `speed`/);
  });

  it("traces record non-finite column values, and replay reproduces the run", async () => {
    const { ir } = policy();
    const agents = 13;
    const sink = new MemorySink();
    const pool = createPool(ir, { agents, trace: sink });
    for (let shift = 0; shift < 6; shift++) {
      fill(pool, agents, shift);
      pool.stepSync();
    }
    await pool.close();
    expect(sink.text()).toContain('"NaN"');
    expect(sink.text()).toContain('"-Infinity"');
    expect(await replayTrace(ir, sink.text())).toEqual({ ok: true, verified: 6 });
  });
});
