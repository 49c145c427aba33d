// The measuring loop. For each repetition every contender runs the same frames from the same seed, in an order
// rotated per repetition (so no contender always runs first or last); warm-up frames are run but not timed.
// The checksum covers every frame of every repetition, and must agree across repetitions and contenders.

import { ActionChecksum } from "../w1/checksum.ts";
import type { Contender } from "./contender.ts";
import { liveBytes } from "./gc.ts";
import { median, nowNs } from "./timing.ts";

export interface WorkloadPlan {
  readonly id: string;
  readonly title: string;
  readonly agents: number;
  readonly warmupFrames: number;
  readonly frames: number;
  readonly reps: number;
  readonly actionCount: number;
  /** Nodes visited per agent-tick, when the workload counts them (W3); identical for every contender. */
  readonly nodesVisitedPerTick?: number;
  /** Agents in the pool whose heap is measured; omitted when the workload reports no heap figure. */
  readonly heapAgents?: number;
  /**
   * How decisions are timed. "per-frame": the clock is read around every tickAll (right for many agents per
   * frame). "loop-minus-replay": chunks of the frame loop are timed, then the same frames are replayed on a second
   * world with the recorded actions and without deciding; the median difference is the decision time (right for
   * one agent per frame, where a decision costs less than reading the clock).
   */
  readonly timing: "per-frame" | "loop-minus-replay";
}

export interface ContenderResult {
  readonly name: string;
  /** Median over repetitions. */
  readonly nsPerAgentTick: number;
  /** Fastest repetition: on a loaded machine, the figure least disturbed by other processes. */
  readonly bestNsPerAgentTick: number;
  readonly nsPerNodeVisited: number | null;
  readonly agentTicksPerSecond: number;
  readonly heapBytesPerAgent: number | null;
  readonly checksum: string;
  /** ns per agent-tick of every repetition, in order. */
  readonly samples: number[];
}

export interface WorkloadResult {
  readonly plan: WorkloadPlan;
  readonly results: ContenderResult[];
  /** The checksum every contender must reach; the first contender's (the hand-written floor). */
  readonly expectedChecksum: string;
  /** Names of contenders whose decisions differed from the floor's. */
  readonly mismatches: string[];
}

function runOnce<W>(contender: Contender<W>, plan: WorkloadPlan, overheadNs: number): { ns: number; checksum: string } {
  return plan.timing === "per-frame" ? timePerFrame(contender, plan, overheadNs) : timeLoopMinusReplay(contender, plan);
}

function timePerFrame<W>(contender: Contender<W>, plan: WorkloadPlan, overheadNs: number): { ns: number; checksum: string } {
  const session = contender.open(contender.createWorld(plan.agents));
  const checksum = new ActionChecksum(plan.actionCount);
  for (let f = 0; f < plan.warmupFrames; f++) {
    session.tickAll();
    checksum.add(session.actions);
    session.advance();
  }
  let total = 0;
  for (let f = 0; f < plan.frames; f++) {
    const t0 = nowNs();
    session.tickAll();
    const t1 = nowNs();
    total += Math.max(0, Number(t1 - t0) - overheadNs);
    checksum.add(session.actions);
    session.advance();
  }
  return { ns: total / (plan.frames * plan.agents), checksum: checksum.value };
}

/** Frames per chunk of a loop-minus-replay measurement; each chunk yields one difference, and the median wins. */
const REPLAY_CHUNK_FRAMES = 500;

function timeLoopMinusReplay<W>(contender: Contender<W>, plan: WorkloadPlan): { ns: number; checksum: string } {
  const width = plan.agents;
  const chunk = new Int32Array(REPLAY_CHUNK_FRAMES * width);
  const checksum = new ActionChecksum(plan.actionCount);
  // Two worlds from the same seed move in lockstep: `session` decides, `replay` is driven by the actions
  // `session` decided, through the same copy loop in the opposite direction. Timing both over the same chunk
  // of frames and subtracting leaves the cost of the decisions alone. Chunks are short and many, so a chunk
  // disturbed by another process (the machine is shared) only moves the median a little.
  const session = contender.open(contender.createWorld(plan.agents));
  const replay = contender.open(contender.createWorld(plan.agents));
  const live = session.actions;
  const driven = replay.actions;
  const differences: number[] = [];
  /** Runs `frames` frames through both worlds; returns ns per decision (decide loop minus replay loop). */
  const runChunk = (frames: number): number => {
    const t0 = nowNs();
    for (let f = 0; f < frames; f++) {
      session.tickAll();
      for (let k = 0, at = f * width; k < width; k++) chunk[at + k] = live[k];
      session.advance();
    }
    const t1 = nowNs();
    for (let f = 0; f < frames; f++) {
      for (let k = 0, at = f * width; k < width; k++) driven[k] = chunk[at + k];
      replay.advance();
    }
    const t2 = nowNs();
    for (let f = 0; f < frames; f++) checksum.add(chunk.subarray(f * width, (f + 1) * width));
    return (Number(t1 - t0) - Number(t2 - t1)) / (frames * width);
  };
  for (let done = 0; done < plan.warmupFrames; done += REPLAY_CHUNK_FRAMES) {
    runChunk(Math.min(REPLAY_CHUNK_FRAMES, plan.warmupFrames - done));
  }
  for (let done = 0; done < plan.frames; done += REPLAY_CHUNK_FRAMES) {
    differences.push(runChunk(Math.min(REPLAY_CHUNK_FRAMES, plan.frames - done)));
  }
  return { ns: Math.max(0, median(differences)), checksum: checksum.value };
}

/**
 * Heap bytes per agent of a pool of `agents` agents after two frames (lazily created per-agent state included),
 * median of three pools: small pools move the reading by a few bytes per agent from one collection to the next.
 */
function heapPerAgent<W>(contender: Contender<W>, agents: number, gc: () => void): number {
  return median([0, 1, 2].map(() => heapOfOnePool(contender, agents, gc)));
}

function heapOfOnePool<W>(contender: Contender<W>, agents: number, gc: () => void): number {
  const world = contender.createWorld(agents);
  const before = liveBytes(gc);
  const session = contender.open(world);
  for (let f = 0; f < 2; f++) {
    session.tickAll();
    session.advance();
  }
  const after = liveBytes(gc);
  // Reading the session after the measurement keeps the pool alive across the second collection.
  if (session.pool === undefined) throw new Error(`${contender.name}: session without a pool`);
  return (after - before) / agents;
}

export interface MeasureOptions {
  readonly overheadNs: number;
  readonly gc: () => void;
  readonly onProgress?: (message: string) => void;
}

export function measureWorkload<W>(plan: WorkloadPlan, contenders: readonly Contender<W>[], options: MeasureOptions): WorkloadResult {
  const samples = new Map<string, number[]>();
  const checksums = new Map<string, Set<string>>();
  for (const c of contenders) {
    samples.set(c.name, []);
    checksums.set(c.name, new Set());
  }
  for (let rep = 0; rep < plan.reps; rep++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + rep) % contenders.length];
      options.onProgress?.(`${plan.id} rep ${rep + 1}/${plan.reps} ${contender.name}`);
      const { ns, checksum } = runOnce(contender, plan, options.overheadNs);
      samples.get(contender.name)!.push(ns);
      checksums.get(contender.name)!.add(checksum);
    }
  }
  const expectedChecksum = [...checksums.get(contenders[0].name)!][0];
  const mismatches: string[] = [];
  const results: ContenderResult[] = contenders.map((c) => {
    const seen = checksums.get(c.name)!;
    if (seen.size !== 1 || !seen.has(expectedChecksum)) mismatches.push(c.name);
    const ns = median(samples.get(c.name)!);
    const heap = plan.heapAgents === undefined ? null : heapPerAgent(c, plan.heapAgents, options.gc);
    return {
      name: c.name,
      nsPerAgentTick: ns,
      bestNsPerAgentTick: Math.min(...samples.get(c.name)!),
      nsPerNodeVisited: plan.nodesVisitedPerTick === undefined ? null : ns / plan.nodesVisitedPerTick,
      agentTicksPerSecond: ns > 0 ? 1e9 / ns : Number.POSITIVE_INFINITY,
      heapBytesPerAgent: heap,
      checksum: [...seen].join(","),
      samples: samples.get(c.name)!,
    };
  });
  return { plan, results, expectedChecksum, mismatches };
}
