// The benchmark suite: which workloads run, at which sizes, against which implementations. Full and quick
// (CI smoke) plans differ only in sizes and repetition counts; both check every checksum.

import { ACTION_COUNT } from "../w1/actions.ts";
import type { W1Impl } from "../w1/impl.ts";
import { w1Implementations } from "../w1/implementations.ts";
import { CombatWorld } from "../w1/world.ts";
import type { Contender } from "./contender.ts";
import { obtainGc } from "./gc.ts";
import { measureWorkload } from "./measure.ts";
import type { WorkloadPlan, WorkloadResult } from "./measure.ts";
import { timerOverheadNs } from "./timing.ts";
import { FactsWorld } from "./w3/facts.ts";
import type { W3Impl } from "./w3/impl.ts";
import { w3Implementations } from "./w3/implementations.ts";
import { CountingEvaluator } from "./w3/reference.ts";
import { generateTree } from "./w3/tree.ts";
import type { W3Tree } from "./w3/tree.ts";

export const WORLD_SEED = 20_251_124;
export const W3_TREE_SEED = 7;
export const W3_TARGET_NODES = 1000;

export interface SuiteOptions {
  readonly quick: boolean;
  /** Workload ids to run ("W1", "W2-1k", "W2-10k", "W3"); all when omitted. */
  readonly only?: readonly string[];
  readonly onProgress?: (message: string) => void;
}

export interface SuiteResult {
  readonly quick: boolean;
  readonly timerOverheadNs: number;
  readonly w3TreeNodes: number;
  readonly workloads: WorkloadResult[];
}

function w1Contender(impl: W1Impl): Contender<CombatWorld> {
  return {
    name: impl.name,
    createWorld: (agents) => new CombatWorld(agents, WORLD_SEED),
    open(world) {
      const pool = impl.createPool(world);
      return { pool, actions: pool.actions, tickAll: () => pool.tickAll(), advance: () => world.advance(pool.actions) };
    },
  };
}

function w3Contender(impl: W3Impl, tree: W3Tree): Contender<FactsWorld> {
  return {
    name: impl.name,
    createWorld: (agents) => new FactsWorld(tree, agents, WORLD_SEED),
    open(world) {
      const pool = impl.createPool(tree, world);
      return { pool, actions: pool.actions, tickAll: () => pool.tickAll(), advance: () => world.advance() };
    },
  };
}

/** Nodes the W3 tree visits per agent-tick over the timed frames of a run (those after its warm-up frames). */
function w3VisitsPerTick(tree: W3Tree, agents: number, warmupFrames: number, frames: number): number {
  const world = new FactsWorld(tree, agents, WORLD_SEED);
  const evaluator = new CountingEvaluator();
  for (let f = 0; f < warmupFrames + frames; f++) {
    if (f === warmupFrames) evaluator.visits = 0;
    for (let i = 0; i < agents; i++) evaluator.tick(tree.root, world.facts, i * tree.factCount);
    world.advance();
  }
  return evaluator.visits / (agents * frames);
}

export function runSuite(options: SuiteOptions): SuiteResult {
  const q = options.quick;
  const reps = q ? 2 : 5;
  const gc = obtainGc();
  const overheadNs = timerOverheadNs();
  const measure = { overheadNs, gc, onProgress: options.onProgress };
  const workloads: WorkloadResult[] = [];

  const w1 = w1Implementations().map(w1Contender);
  const w1Plans: WorkloadPlan[] = [
    { id: "W1", title: "W1 combat, 1 agent", agents: 1, warmupFrames: q ? 500 : 5_000, frames: q ? 2_000 : 50_000, reps, actionCount: ACTION_COUNT, timing: "loop-minus-replay" },
    { id: "W2-1k", title: "W2 combat, 1,000 agents", agents: 1_000, warmupFrames: q ? 5 : 50, frames: q ? 20 : 300, reps, actionCount: ACTION_COUNT, heapAgents: 1_000, timing: "per-frame" },
  ];
  if (!q) {
    w1Plans.push({ id: "W2-10k", title: "W2 combat, 10,000 agents", agents: 10_000, warmupFrames: 10, frames: 40, reps, actionCount: ACTION_COUNT, heapAgents: 10_000, timing: "per-frame" });
  }
  const selected = (id: string): boolean => options.only === undefined || options.only.includes(id);
  for (const plan of w1Plans) if (selected(plan.id)) workloads.push(measureWorkload(plan, w1, measure));
  if (!selected("W3")) return { quick: q, timerOverheadNs: overheadNs, w3TreeNodes: 0, workloads };

  const tree = generateTree({ seed: W3_TREE_SEED, targetNodes: W3_TARGET_NODES });
  const w3 = w3Implementations().map((impl) => w3Contender(impl, tree));
  const agents = q ? 10 : 50;
  // Generated code for a 1,000-node tree takes the JIT a long time to optimise (hundreds of ms for the emitted
  // module's largest function; the hand-written floor's function too warms up over hundreds of frames): with
  // 40 warm-up frames every fast row was timed mostly before its code was optimised.
  const warmupFrames = q ? 5 : 400;
  const frames = q ? 10 : 120;
  const nodesVisitedPerTick = w3VisitsPerTick(tree, agents, warmupFrames, frames);
  const w3Plan: WorkloadPlan = {
    id: "W3",
    title: `W3 generated tree (${tree.nodeCount} nodes), ${agents} agents`,
    agents,
    warmupFrames,
    frames,
    reps,
    actionCount: tree.actionCount + 1,
    nodesVisitedPerTick,
    heapAgents: agents,
    timing: "per-frame",
  };
  workloads.push(measureWorkload(w3Plan, w3, measure));

  return { quick: q, timerOverheadNs: overheadNs, w3TreeNodes: tree.nodeCount, workloads };
}
