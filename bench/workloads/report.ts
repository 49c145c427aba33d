// Rendering of suite results: one markdown table per workload, and the JSON record written to bench/results/.

import type { MachineInfo } from "./machine.ts";
import type { ContenderResult, WorkloadResult } from "./measure.ts";
import type { SuiteResult } from "./suite.ts";

/** Columns of ratios: the floor and every peer (whichever of them ran). hpol rows get ratios against all of them. */
const RATIO_BASES = ["hand-written", "mistreevous", "behaviortree", "blueshell"];

function sig(x: number): string {
  if (!Number.isFinite(x)) return "–";
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "–";
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k`;
  return perSecond.toFixed(0);
}

function ratio(row: ContenderResult, base: ContenderResult | undefined): string {
  if (!base) return "–";
  const r = row.nsPerAgentTick / base.nsPerAgentTick;
  return `${r < 0.1 ? r.toPrecision(2) : sig(r)}×`;
}

export function workloadTable(workload: WorkloadResult): string {
  const bases = RATIO_BASES.map((name) => workload.results.find((r) => r.name === name));
  const head = [
    "implementation",
    "ns / agent-tick",
    "ns / node visited",
    "agent-ticks / s",
    "heap B / agent",
    ...RATIO_BASES.map((name) => `× ${name}`),
    "decisions",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, k) => (k === 0 ? "---" : "---:")).join("|")}|`];
  for (const row of workload.results) {
    const ok = workload.mismatches.includes(row.name) ? "**MISMATCH**" : "identical";
    const cells = [
      row.name,
      sig(row.nsPerAgentTick),
      row.nsPerNodeVisited === null ? "–" : sig(row.nsPerNodeVisited),
      rate(row.agentTicksPerSecond),
      row.heapBytesPerAgent === null ? "–" : Math.round(row.heapBytesPerAgent).toLocaleString("en-US"),
      ...bases.map((base) => ratio(row, base)),
      ok,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

export function markdownReport(suite: SuiteResult, machine: MachineInfo): string {
  const out: string[] = [];
  out.push(`Machine: ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node} (V8 ${machine.v8}), ${machine.platform}, load average ${machine.loadAverage} at start`);
  out.push(`Mode: ${suite.quick ? "quick (smoke sizes, timings not meaningful)" : "full"}; timer overhead subtracted per frame: ${sig(suite.timerOverheadNs)} ns`);
  out.push("Ratios are this row's ns per agent-tick divided by the column's (below 1× = faster).");
  for (const w of suite.workloads) {
    const p = w.plan;
    const visited = p.nodesVisitedPerTick === undefined ? "" : `, ${sig(p.nodesVisitedPerTick)} nodes visited per agent-tick`;
    out.push("");
    out.push(`### ${p.title}`);
    const how = p.timing === "per-frame" ? "clock read around each frame's decisions" : "frame loop minus a replay of the same frames without deciding";
    out.push(`${p.frames} timed frames after ${p.warmupFrames} warm-up frames (${how}), median of ${p.reps} repetitions${visited}; checksum ${w.expectedChecksum}`);
    out.push("");
    out.push(workloadTable(w));
  }
  return out.join("\n");
}

export interface ResultsRecord {
  readonly suite: "hpol-bench";
  readonly version: 1;
  readonly date: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly timerOverheadNs: number;
  readonly workloads: Array<{
    id: string;
    title: string;
    agents: number;
    warmupFrames: number;
    frames: number;
    reps: number;
    nodesVisitedPerTick: number | null;
    timing: string;
    expectedChecksum: string;
    mismatches: string[];
    results: ContenderResult[];
  }>;
}

export function resultsRecord(suite: SuiteResult, machine: MachineInfo, date: Date): ResultsRecord {
  return {
    suite: "hpol-bench",
    version: 1,
    date: date.toISOString(),
    quick: suite.quick,
    machine,
    timerOverheadNs: suite.timerOverheadNs,
    workloads: suite.workloads.map((w) => ({
      id: w.plan.id,
      title: w.plan.title,
      agents: w.plan.agents,
      warmupFrames: w.plan.warmupFrames,
      frames: w.plan.frames,
      reps: w.plan.reps,
      nodesVisitedPerTick: w.plan.nodesVisitedPerTick ?? null,
      timing: w.plan.timing,
      expectedChecksum: w.expectedChecksum,
      mismatches: w.mismatches,
      results: w.results,
    })),
  };
}
