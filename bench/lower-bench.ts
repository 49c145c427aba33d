// Lowering benchmark (issue 4): lower the generated spec at several sizes and report the median time, the
// IR size and the time per IR node, so linear scaling is visible (the 10,000-node target is "well under a
// second"). Check time is excluded: the program is checked once per size.
//
//   node bin/run-ts.mjs bench/lower-bench.ts [--nodes N] [--reps R]
import { checkSource } from "../src/compiler/program.ts";
import { lower } from "../src/compiler/lower/lower.ts";
import { generateSpec } from "./gen-spec.ts";

export interface LowerBenchRow {
  readonly nodes: number;
  readonly irNodes: number;
  readonly irExprs: number;
  readonly lowerMs: number;
  readonly usPerIrNode: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function runLowerBench(sizes: readonly number[] = [2_500, 5_000, 10_000], reps = 9): LowerBenchRow[] {
  return sizes.map((nodes) => {
    const result = checkSource(generateSpec(nodes), "/bench/generated.hpol", { readFile: () => undefined });
    if (result.program === undefined) {
      const first = result.diagnostics.find((d) => d.severity === "error");
      throw new Error(`the generated ${nodes}-node spec does not check: ${first?.code} ${first?.message}`);
    }
    const times: number[] = [];
    let irNodes = 0;
    let irExprs = 0;
    for (let i = 0; i < reps + 3; i++) {
      const t0 = performance.now();
      const ir = lower(result.program, result.sources);
      const ms = performance.now() - t0;
      irNodes = ir.nodes.length;
      irExprs = ir.exprs.length;
      if (i >= 3) times.push(ms); // the first runs warm the JIT up
    }
    const lowerMs = median(times);
    return { nodes, irNodes, irExprs, lowerMs, usPerIrNode: (lowerMs * 1000) / Math.max(1, irNodes) };
  });
}

const isMain = process.argv[1]?.endsWith("lower-bench.ts");
if (isMain) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(name);
    return i < 0 ? undefined : Number(process.argv[i + 1]);
  };
  const n = arg("--nodes");
  const rows = runLowerBench(n === undefined ? undefined : [n], arg("--reps"));
  console.log("| spec nodes | IR nodes | IR exprs | lower ms (median) | µs per IR node |");
  console.log("|---:|---:|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r.nodes} | ${r.irNodes} | ${r.irExprs} | ${r.lowerMs.toFixed(2)} | ${r.usPerIrNode.toFixed(2)} |`);
}
