// Runtime faults end to end, from .hpol source through the pool: one agent meets the fault, gets a coded error,
// and its declared fallback (the next selector child) runs; the other agents carry on with the primary branch;
// the trace records the error. Agent FAULTY is the only one that meets the fault in every case.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPool, MemorySink, parseTrace, type AgentPool, type ExternFn, type RuntimeError } from "../../src/runtime/index.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";
import { createNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { faultyOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import { compileSpec } from "./compile.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AGENTS = 4;
const FAULTY = 2;
const PRIMARY = 1;
const FALLBACK = 2;

/** A spec whose only executor tries `primary` (which ends by setting source = 1) and falls back to source = 2. */
function spec(primary: string, decls = ""): string {
  return `module faults

observation {
  x: float[0.0, 10.0]
  dir: vec3
}

output {
  speed: float
  source: int[0, 9]
}

extern function risky(x: float) -> float
extern action slow_move() async writes speed
${decls}
executor body at 10hz writes speed, source {
  selector {
    sequence "primary" {
${primary}
      set out.source = ${PRIMARY}
    }
    sequence "fallback" {
      set out.speed = 0.0
      set out.source = ${FALLBACK}
    }
  }
}
`;
}

const GOOD_OBS = { x: 1.0, dir: [1, 0, 0] };
const fine: Record<string, ExternFn> = {
  risky: (x: unknown) => (x as number) * 2,
  slow_move: () => "success",
};

interface Run {
  pool: AgentPool;
  errors: RuntimeError[];
  trace: ReturnType<typeof parseTrace>;
}

async function run(ir: PolicyIR, options: { externs?: Record<string, ExternFn>; obs?: (agent: number) => Record<string, unknown>; steps?: number; specDir?: string } = {}): Promise<Run> {
  const sink = new MemorySink();
  const neural = createNeuralHost(ir, options.specDir ?? dir);
  const pool = createPool(ir, { agents: AGENTS, seed: 3, externs: { ...fine, ...options.externs }, trace: sink, ...(neural ? { neural } : {}) });
  const errors: RuntimeError[] = [];
  for (let s = 0; s < (options.steps ?? 1); s++) {
    for (let a = 0; a < AGENTS; a++) pool.setObservation(a, options.obs?.(a) ?? GOOD_OBS);
    await pool.stepOnce();
    errors.push(...pool.drainErrors());
  }
  await pool.close();
  return { pool, errors, trace: parseTrace(sink.text()) };
}

/** The fault's error is for FAULTY only; FAULTY fell back; every other agent took the primary branch.
 *  `untraced`: codes raised outside a step (observation checks), which the trace keeps as "bad" records instead. */
function expectIsolated(r: Run, codes: string[], untraced: string[] = []): void {
  expect(r.errors.length).toBeGreaterThan(0);
  expect([...new Set(r.errors.map((e) => e.agent))]).toEqual([FAULTY]);
  expect([...new Set(r.errors.map((e) => e.code))].sort()).toEqual([...codes].sort());
  for (let a = 0; a < AGENTS; a++) expect(r.pool.getOutput(a)["source"]).toBe(a === FAULTY ? FALLBACK : PRIMARY);
  if ("error" in r.trace) throw new Error(`unreadable trace: ${r.trace.error.problem}`);
  // The trace's "err" records name the agent and code of every error, and nothing else.
  const traced = r.trace.steps.flatMap((s) => (s["err"] as [number, string, number][] | undefined) ?? []);
  expect(traced.map(([agent, code]) => `${agent}:${code}`).sort()).toEqual(
    r.errors.filter((e) => !untraced.includes(e.code)).map((e) => `${e.agent}:${e.code}`).sort(),
  );
}

describe("extern faults", () => {
  const ir = compileSpec(spec("      set out.speed = risky(obs.x)"), join(dir, "externs.hpol"));

  it("an extern that throws: HP8012 for that agent, its fallback runs", async () => {
    const r = await run(ir, {
      externs: {
        risky: (x: unknown, ctx: unknown) => {
          if ((ctx as { agent: number }).agent === FAULTY) throw new Error("sensor bus down");
          return (x as number) * 2;
        },
      },
    });
    expectIsolated(r, ["HP8012"]);
    expect(r.errors[0]!.message).toContain("sensor bus down");
    for (let a = 0; a < AGENTS; a++) if (a !== FAULTY) expect(r.pool.getOutput(a)["speed"]).toBe(2);
  });

  it("an extern returning the wrong type (a string, NaN, a promise): HP8013, fallback", async () => {
    for (const bad of ["fast", Number.NaN, Promise.resolve(1)]) {
      const r = await run(ir, {
        externs: { risky: (x: unknown, ctx: unknown) => ((ctx as { agent: number }).agent === FAULTY ? bad : (x as number) * 2) },
      });
      expectIsolated(r, ["HP8013"]);
    }
  });
});

describe("an asynchronous action that never completes", () => {
  const ir = compileSpec(spec("      timeout(300ms) do slow_move()"), join(dir, "async.hpol"));

  it("timeout fails it after the declared time, halts it and records HP8015 for that agent; the fallback runs", async () => {
    const phases: string[] = [];
    const r = await run(ir, {
      steps: 5, // 10 Hz: 500 ms
      externs: {
        slow_move: (ctx: unknown) => {
          const c = ctx as { agent: number; phase: string };
          if (c.agent !== FAULTY) return "success";
          phases.push(c.phase);
          return c.phase === "halt" ? "failure" : "running";
        },
      },
    });
    for (let a = 0; a < AGENTS; a++) expect(r.pool.getOutput(a)["source"]).toBe(a === FAULTY ? FALLBACK : PRIMARY);
    expect(phases[0]).toBe("start");
    expect(phases).toContain("halt");
    // The action never finished: HP8015 at the `do` node, for FAULTY only, and in the trace.
    expectIsolated(r, ["HP8015"]);
    expect(r.errors[0]!.message).toContain("`slow_move`");
  });
});

describe("bad observations", () => {
  const ir = compileSpec(spec("      set out.speed = obs.x + length(obs.dir)"), join(dir, "obs.hpol"));
  const cases: [string, Record<string, unknown>][] = [
    ["NaN", { x: Number.NaN, dir: [1, 0, 0] }],
    ["out of range", { x: 11.5, dir: [1, 0, 0] }],
    ["a missing field", { dir: [1, 0, 0] }],
    ["a vector too short", { x: 1.0, dir: [1, 0] }],
    ["a vector too long", { x: 1.0, dir: [1, 0, 0, 0] }],
    ["a vector holding NaN", { x: 1.0, dir: [1, Number.NaN, 0] }],
  ];
  for (const [what, bad] of cases) {
    it(`${what}: HP8020 when set, HP8021 when read; the fallback runs`, async () => {
      const r = await run(ir, { obs: (a) => (a === FAULTY ? bad : GOOD_OBS) });
      expectIsolated(r, ["HP8020", "HP8021"], ["HP8020"]);
      // The rejected observation is in the trace, for FAULTY only, so that a replay rejects it too.
      if ("error" in r.trace) throw new Error("unreadable trace");
      const rejected = r.trace.steps.flatMap((s) => (s["bad"] as [number, number[]][] | undefined) ?? []);
      expect(rejected.length).toBeGreaterThan(0);
      expect([...new Set(rejected.map(([agent]) => agent))]).toEqual([FAULTY]);
    });
  }
});

describe("models that fail", () => {
  const FEATURES = 3;
  const model = `
model brain from "brain.onnx" using onnx {
  input input: tensor<f32, [batch, ${FEATURES}]>
  output output: tensor<f32, [batch, ${FEATURES}]>
}
state {
  out1: float = 0.0
}`;
  const primary = `      infer brain {
        feed input = [obs.x, obs.dir[0], obs.dir[1]]
        write state.out1 = output[0]
      }
      set out.speed = state.out1`;

  it("a model file gone at run time: HP8030 naming HP8100 for the agent that reaches it, which falls back", async () => {
    const sub = mkdtempSync(join(dir, "missing-"));
    writeFileSync(join(sub, "brain.onnx"), faultyOnnx("log", FEATURES));
    // Only FAULTY reaches the model: the others' x makes the primary branch skip it.
    const ir = compileSpec(spec(`      check obs.x > 5.0\n${primary}`, model), join(sub, "spec.hpol"));
    rmSync(join(sub, "brain.onnx"));
    const r = await run(ir, { specDir: sub, obs: (a) => (a === FAULTY ? { x: 6.0, dir: [1, 0, 0] } : GOOD_OBS) });
    expect([...new Set(r.errors.map((e) => e.agent))]).toEqual([FAULTY]);
    expect(r.errors.map((e) => e.code)).toEqual(["HP8030"]);
    expect(r.errors[0]!.message).toContain("HP8100");
    expect(r.pool.getOutput(FAULTY)["source"]).toBe(FALLBACK);
    for (let a = 0; a < AGENTS; a++) if (a !== FAULTY) expect(r.pool.getOutput(a)["source"]).toBe(FALLBACK);
    if ("error" in r.trace) throw new Error("unreadable trace");
    expect(r.trace.steps.flatMap((s) => (s["err"] as [number, string][] | undefined) ?? []).map(([a, c]) => `${a}:${c}`)).toEqual([`${FAULTY}:HP8030`]);
  });

  it("a model producing NaN for one agent's input: HP8030 naming HP8102 for that agent only", async () => {
    const sub = mkdtempSync(join(dir, "nan-"));
    writeFileSync(join(sub, "brain.onnx"), faultyOnnx("log", FEATURES)); // log of a negative number is NaN
    const ir = compileSpec(spec(primary, model), join(sub, "spec.hpol"));
    const r = await run(ir, { specDir: sub, obs: (a) => (a === FAULTY ? { x: 1.0, dir: [-1, 0, 0] } : { x: 1.0, dir: [1, 1, 0] }) });
    expectIsolated(r, ["HP8030"]);
    expect(r.errors[0]!.message).toContain("HP8102");
    for (let a = 0; a < AGENTS; a++) if (a !== FAULTY) expect(r.pool.getOutput(a)["speed"]).toBe(0); // log(1) = 0
  });
});
