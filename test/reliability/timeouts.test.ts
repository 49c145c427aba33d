// A `timeout` that stops an asynchronous extern action which never finishes records HP8015 for that agent — in
// the pool's errors and in the trace, at the action's node — halts the action and runs the declared fallback;
// the other agents, whose action finishes, carry on. The emitted code records exactly the same (identical traces).
// A host that answers with a Promise that never resolves is refused at once (HP8013), with the same isolation.
import { describe, expect, it } from "vitest";
import { createPool, MemorySink, parseTrace, type AgentPool, type ExternFn, type PoolOptions, type RuntimeError } from "../../src/runtime/index.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";
import { loadEmitted, writeEmitted } from "../emit/support/harness.ts";
import { compileSpec } from "./compile.ts";

const AGENTS = 3;
const STUCK = 1;

const SPEC = `module timeouts

observation { x: float }
output { source: int[0, 9] }

extern action move_to(x: float) async

executor drive at 10hz writes source {
  selector {
    sequence {
      timeout(300ms) do move_to(obs.x)
      set out.source = 1
    }
    set out.source = 2
  }
}
`;

const ir: PolicyIR = compileSpec(SPEC, "/virtual/timeouts.hpol");

type Factory = (options: PoolOptions) => AgentPool;

interface Run {
  errors: RuntimeError[];
  trace: string;
  sources: unknown[];
  halts: number[];
}

/** Every agent's move_to takes 2 ticks, except STUCK's, which answers `stuck` for as long as it is asked. */
function run(factory: Factory, stuck: (phase: string) => unknown, steps = 8): Run {
  const sink = new MemorySink();
  const halts: number[] = [];
  const calls = new Map<number, number>();
  const externs: Record<string, ExternFn> = {
    move_to: (_x: unknown, ctx: unknown) => {
      const { agent, phase } = ctx as { agent: number; phase: string };
      if (phase === "halt") {
        halts.push(agent);
        return undefined;
      }
      if (agent === STUCK) return stuck(phase);
      const n = (calls.get(agent) ?? 0) + 1;
      calls.set(agent, n);
      return n % 2 === 0 ? "success" : "running";
    },
  };
  const pool = factory({ agents: AGENTS, stepMs: 100, seed: 1, externs, trace: sink });
  const errors: RuntimeError[] = [];
  const sources: unknown[] = [];
  for (let s = 0; s < steps; s++) {
    for (let a = 0; a < AGENTS; a++) pool.setObservation(a, { x: a });
    pool.stepSync();
    errors.push(...pool.drainErrors());
    sources.push(pool.getOutput(STUCK)["source"]);
  }
  for (let a = 0; a < AGENTS; a++) if (a !== STUCK) expect(pool.getOutput(a)["source"]).toBe(1);
  return { errors, trace: sink.text(), sources, halts };
}

const interpreter: Factory = (options) => createPool(ir, options);

describe("a timeout stops an action that never finishes", () => {
  it("records HP8015 for that agent only, at the action's node, halts the action and runs the fallback", () => {
    const r = run(interpreter, () => "running");
    expect(r.errors.length).toBeGreaterThan(0);
    expect(new Set(r.errors.map((e) => e.agent))).toEqual(new Set([STUCK]));
    expect(new Set(r.errors.map((e) => e.code))).toEqual(new Set(["HP8015"]));
    const first = r.errors[0]!;
    expect(ir.nodes[first.node]!.k).toBe("do");
    expect(first.span?.line).toBe(11);
    expect(first.message).toBe("extern action `move_to` was still running when its timeout of 300 ms expired; it was halted");
    // 100 ms steps: started at step 0, deadline reached at step 3, when the fallback answers for the first time.
    expect(first.tick).toBe(3);
    expect(r.sources.slice(0, 4)).toEqual([0, 0, 0, 2]);
    expect(r.halts.filter((a) => a === STUCK).length).toBe(r.errors.length);
    expect(r.halts.every((a) => a === STUCK)).toBe(true);
  });

  it("the trace records every HP8015 with the agent and the node", () => {
    const r = run(interpreter, () => "running");
    const parsed = parseTrace(r.trace);
    if ("error" in parsed) throw new Error(parsed.error.problem);
    const traced = parsed.steps.flatMap((s) => (s["err"] as [number, string, number][] | undefined) ?? []);
    expect(traced.map(([agent, code, node]) => [agent, code, node])).toEqual(r.errors.map((e) => [e.agent, e.code, e.node]));
  });

  it("no error when the action finishes before the deadline", () => {
    let n = 0;
    const r = run(interpreter, () => (++n % 2 === 0 ? "success" : "running"));
    expect(r.errors).toEqual([]);
  });

  it("the emitted code records the same errors and trace", async () => {
    const emitted = (await loadEmitted(writeEmitted(ir, "reliability_timeouts"))) as Factory;
    const a = run(interpreter, () => "running");
    const b = run(emitted, () => "running");
    expect(b.trace).toBe(a.trace);
    expect(b.errors).toEqual(a.errors);
  });

  it("an extern answering with a Promise that never resolves: HP8013 at once, for that agent only, fallback runs", () => {
    const r = run(interpreter, () => new Promise(() => undefined), 3);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(new Set(r.errors.map((e) => `${e.agent}:${e.code}`))).toEqual(new Set([`${STUCK}:HP8013`]));
    expect(r.sources[0]).toBe(2);
  });
});
