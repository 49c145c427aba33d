// The behavior-tree suite (W1, W2, W3) as an entry of bench/main.ts's registry: it runs the suite, writes the full
// figures to bench/results/ as JSON (as bench/w1/run.ts does), prints its own per-workload tables to stderr, and
// returns one summary row per implementation and workload for main's combined table.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Benchmark, BenchRow } from "../main.ts";
import { machineInfo } from "../workloads/machine.ts";
import { markdownReport, resultsRecord } from "../workloads/report.ts";
import { runSuite } from "../workloads/suite.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Issue 7's targets, shown next to the hpol rows of W2. */
const TARGETS: Record<string, string> = {
  "hpol-emitted": "≤ 1.5× hand-written, ≥ 50× faster than mistreevous",
  "hpol-interpreter": "≤ 10× hand-written, ≥ 50× faster than mistreevous",
};

export const behaviorTreeSuiteBenchmark: Benchmark = {
  name: "behavior-tree suite (W1–W3)",
  run(quick: boolean): BenchRow[] {
    const machine = machineInfo();
    const suite = runSuite({ quick });
    process.stderr.write(`${markdownReport(suite, machine)}\n`);
    const out = resolve(here, "../results", quick ? "quick.json" : "latest.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(resultsRecord(suite, machine, new Date()), null, 2)}\n`);
    const rows: BenchRow[] = [];
    for (const w of suite.workloads) {
      const floor = w.results[0];
      for (const r of w.results) {
        const vs = r === floor ? "" : ` (${(r.nsPerAgentTick / floor.nsPerAgentTick).toFixed(2)}× hand-written)`;
        const heap = r.heapBytesPerAgent === null ? "" : `, ${Math.round(r.heapBytesPerAgent)} B/agent`;
        const mismatch = w.mismatches.includes(r.name) ? ", DECISIONS DIFFER" : "";
        rows.push({
          benchmark: w.plan.id,
          metric: `${r.name} ns per agent-tick`,
          value: `${r.nsPerAgentTick.toFixed(1)}${vs}${heap}${mismatch}`,
          target: w.plan.id.startsWith("W2") ? TARGETS[r.name] : undefined,
        });
      }
    }
    return rows;
  },
};
