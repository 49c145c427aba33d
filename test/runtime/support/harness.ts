// Helpers for runtime tests: a one-executor policy around a tree, scripted extern actions that log their calls.
import { IRBuilder } from "./builder.ts";
import type { NodeSpec } from "./builder.ts";
import { createPool } from "../../../src/runtime/pool.ts";
import type { AgentPool, ExternFn, PoolOptions } from "../../../src/runtime/pool.ts";
import { MemorySink } from "../../../src/runtime/trace.ts";

/** An action binding that logs `name:phase` and returns the scripted results in turn (the last one repeats). */
export function scripted(log: string[], name: string, results: string[]): ExternFn {
  let i = 0;
  return (ctx: { phase: string }) => {
    log.push(`${name}:${ctx.phase}`);
    if (ctx.phase === "halt") return undefined;
    const r = results[Math.min(i, results.length - 1)]!;
    i++;
    return r;
  };
}

export interface TreeRun {
  pool: AgentPool;
  /** Root status after each step. */
  statuses: string[];
  sink: MemorySink;
}

/** Wrap `root` in a body-only executor ticking every step (100 ms) and build a pool. */
export function treePool(b: IRBuilder, root: NodeSpec, externs: Record<string, ExternFn> = {}, options: PoolOptions = {}): AgentPool {
  b.executor("Main", { periodMs: 100, default: root });
  const sink = new MemorySink();
  return createPool(b.build(), { stepMs: 100, externs, trace: sink, ...options });
}

/** Step a synchronous pool `n` times, collecting the root's status after each step. */
export function stepN(pool: AgentPool, root: NodeSpec, n: number, agent = 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    pool.stepSync();
    out.push(pool.nodeStatus(agent, root.id));
  }
  return out;
}
