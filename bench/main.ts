// Runs the registered benchmarks and prints one markdown table. Append an entry to `benchmarks` to add one;
// `--quick` asks each for a smaller, faster run (fewer repetitions), for smoke checks.
//
//   npm run bench [-- --quick]
import { neuralBenchmark } from "./neural-bench.ts";
import { runParseBench } from "./parse-bench.ts";
import { behaviorTreeSuiteBenchmark } from "./w1/benchmark-entry.ts";
import { w4Benchmark } from "./w4/run.ts";

export interface BenchRow {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: string;
  readonly target?: string;
}

export interface Benchmark {
  readonly name: string;
  run(quick: boolean): Promise<readonly BenchRow[]> | readonly BenchRow[];
}

export const benchmarks: Benchmark[] = [
  {
    name: "parse",
    run(quick) {
      const r = runParseBench(10_000, quick ? 5 : 15, quick ? 2 : 5);
      return [
        { benchmark: "parse", metric: `median parse of ${r.treeNodes} tree nodes (${(r.bytes / 1024).toFixed(0)} KiB)`, value: `${r.medianMs.toFixed(1)} ms`, target: "< 200 ms" },
        { benchmark: "parse", metric: "diagnostics on the generated spec", value: String(r.diagnostics), target: "0" },
      ];
    },
  },
  behaviorTreeSuiteBenchmark,
  neuralBenchmark,
  w4Benchmark,
];

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ["| benchmark | metric | value | target |", "| --- | --- | --- | --- |"];
  for (const r of rows) lines.push(`| ${r.benchmark} | ${r.metric} | ${r.value} | ${r.target ?? ""} |`);
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("main.ts")) {
  const quick = process.argv.includes("--quick");
  const rows: BenchRow[] = [];
  for (const b of benchmarks) {
    try {
      rows.push(...(await b.run(quick)));
    } catch (e) {
      rows.push({ benchmark: b.name, metric: "failed", value: e instanceof Error ? e.message : String(e) });
    }
  }
  console.log(markdownTable(rows));
}
