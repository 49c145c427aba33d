// Entry point of the behavior-tree benchmark suite (W1, W2, W3):
//   node bin/run-ts.mjs bench/w1/run.ts [--quick] [--only W1,W2-1k,W2-10k,W3] [--out <file.json>]
// Prints markdown tables and writes the figures as JSON (bench/results/latest.json, or quick.json with --quick).
// Exits 1 when any implementation's decisions differ from the hand-written floor's; never on timings.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { machineInfo } from "../workloads/machine.ts";
import { markdownReport, resultsRecord } from "../workloads/report.ts";
import { runSuite } from "../workloads/suite.ts";

const here = dirname(fileURLToPath(import.meta.url));

export interface RunOptions {
  quick: boolean;
  /** Workload ids to run; all when undefined. */
  only?: string[];
  out: string;
}

export function parseArgs(argv: readonly string[]): RunOptions {
  const quick = argv.includes("--quick");
  const outAt = argv.indexOf("--out");
  const out = outAt >= 0 && argv[outAt + 1] ? resolve(argv[outAt + 1]) : resolve(here, "../results", quick ? "quick.json" : "latest.json");
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 && argv[onlyAt + 1] ? argv[onlyAt + 1].split(",") : undefined;
  return { quick, only, out };
}

/** Runs the suite, prints the report, writes the JSON; returns the number of implementations that mismatched. */
export function runBenchmarks(options: RunOptions): number {
  const machine = machineInfo();
  const suite = runSuite({ quick: options.quick, only: options.only, onProgress: (m) => process.stderr.write(`  ${m}\n`) });
  console.log(markdownReport(suite, machine));
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(resultsRecord(suite, machine, new Date()), null, 2)}\n`);
  console.log(`\nwrote ${options.out}`);
  const mismatches = suite.workloads.flatMap((w) => w.mismatches.map((name) => `${w.plan.id}: ${name}`));
  for (const m of mismatches) console.error(`decision checksum mismatch — ${m}`);
  return mismatches.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = runBenchmarks(parseArgs(process.argv.slice(2))) > 0 ? 1 : 0;
}
