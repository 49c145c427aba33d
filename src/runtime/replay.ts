// Replay: re-execute a trace's inputs (observations, raised events, injected messages, extern and inference
// results) against a policy and check that every step produces exactly the recorded line. The first step whose
// regenerated record differs is reported with the first differing key (HP8050).
import type { PolicyIR } from "./ir.ts";
import { createPool } from "./pool.ts";
import type { ExternFn } from "./pool.ts";
import { MemorySink, parseTrace } from "./trace.ts";
import { runtimeCodes, runtimeError } from "./errors.ts";
import { setOwnValue } from "./values.ts";
import type { RuntimeError } from "./errors.ts";

export interface ReplayResult {
  readonly ok: boolean;
  /** Steps replayed and verified. */
  readonly verified: number;
  /** The first divergence, when not ok. */
  readonly divergence?: { readonly tick: number; readonly key: string; readonly expected: unknown; readonly actual: unknown };
  /** HP8050 (divergence) or HP8051 (unreadable trace). */
  readonly error?: RuntimeError;
}

type StepRecord = Record<string, unknown>;

export async function replayTrace(ir: PolicyIR, traceText: string): Promise<ReplayResult> {
  const parsed = parseTrace(traceText);
  if ("error" in parsed) {
    return { ok: false, verified: 0, error: runtimeError(runtimeCodes.badTrace, parsed.error) };
  }
  const { header, steps, lines } = parsed;
  const externs: Record<string, ExternFn> = {};
  for (const x of ir.externs) setOwnValue(externs, x.name, () => undefined);
  const sink = new MemorySink();
  const pool = createPool(ir, { agents: header.agents, stepMs: header.stepMs, seed: header.seed, externs, trace: sink });

  // Per step, the recorded extern and inference results are consumed per agent in call order.
  let extQueue = new Map<number, unknown[][]>();
  let nnQueue = new Map<string, unknown[]>();
  pool.setPlayback({
    extern(agent, ext) {
      const q = extQueue.get(agent);
      const rec = q?.shift();
      return rec && rec[1] === ext ? rec[2] : undefined;
    },
    inference(agent, node) {
      const q = nnQueue.get(`${agent}:${node}`);
      return q?.shift() as number[][] | { error: string } | undefined;
    },
  });

  for (let i = 0; i < steps.length; i++) {
    const rec = steps[i] as StepRecord;
    const tick = rec["step"] as number;
    if (tick !== pool.step) return diverged(i, tick, "step", tick, pool.step);
    for (const [agent, values] of (rec["obs"] ?? []) as [number, (number | string)[]][]) pool.writeObservationSlots(agent, values);
    pool.setRejectedObservations((rec["bad"] ?? []) as [number, number[]][]);
    for (const [agent, event] of (rec["raise"] ?? []) as [number, number][]) pool.raiseById(agent, event);
    for (const [agent, planner, kind, payload] of (rec["inject"] ?? []) as [number, number, number, number[]][]) {
      pool.injectRaw(agent, planner, kind, payload);
    }
    extQueue = new Map();
    for (const e of (rec["ext"] ?? []) as unknown[][]) {
      const agent = e[0] as number;
      if (!extQueue.has(agent)) extQueue.set(agent, []);
      extQueue.get(agent)!.push(e);
    }
    nnQueue = new Map();
    for (const e of (rec["nn"] ?? []) as unknown[][]) {
      const key = `${e[0]}:${e[1]}`;
      if (!nnQueue.has(key)) nnQueue.set(key, []);
      nnQueue.get(key)!.push(e[2]);
    }
    const r = pool.stepOnce();
    if (r) await r;
    const actualLine = pool.lastTraceLine;
    if (actualLine !== lines[i]) {
      const actual = JSON.parse(actualLine) as StepRecord;
      const keys = [...new Set([...Object.keys(rec), ...Object.keys(actual)])];
      const key = keys.find((k) => JSON.stringify(rec[k]) !== JSON.stringify(actual[k])) ?? "line";
      return diverged(i, tick, key, rec[key], actual[key]);
    }
  }
  await pool.close();
  return { ok: true, verified: steps.length };

  function diverged(verified: number, tick: number, key: string, expected: unknown, actual: unknown): ReplayResult {
    const show = (v: unknown): string => {
      const s = JSON.stringify(v) ?? "nothing";
      return s.length > 120 ? s.slice(0, 120) + "…" : s;
    };
    return {
      ok: false,
      verified,
      divergence: { tick, key, expected, actual },
      error: runtimeError(runtimeCodes.replayDivergence, {
        tick,
        what: `\`${key}\` recorded ${show(expected)}, replay produced ${show(actual)}`,
      }, { tick }),
    };
  }
}
