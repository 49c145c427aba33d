// Check-time benchmark (issue 3): resolve + check of the generated 10,000-node spec. Target < 300 ms on the
// 2-core machines. Reports medians over repetitions after warm-up; parse time is reported separately (it is
// the grammar benchmark's figure).
//
//   node bin/run-ts.mjs bench/check-bench.ts [--nodes N] [--reps R]
import { checkSource } from "../src/compiler/program.ts";
import { generateSpec } from "./gen-spec.ts";

export interface CheckBenchResult {
  readonly nodes: number;
  readonly bytes: number;
  readonly diagnostics: number;
  readonly parseMs: number;
  readonly resolveMs: number;
  readonly checkMs: number;
  /** resolve + check: the semantic analysis time the target applies to. */
  readonly semanticMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runCheckBench(nodes = 10_000, reps = 9): CheckBenchResult {
  const text = generateSpec(nodes);
  const host = { readFile: () => undefined };
  const parse: number[] = [];
  const resolve: number[] = [];
  const check: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < reps + 3; i++) {
    const r = checkSource(text, "/bench/generated.hpol", host);
    diagnostics = r.diagnostics.filter((d) => d.severity === "error").length;
    if (i < 3) continue; // warm-up
    parse.push(r.timings.parse);
    resolve.push(r.timings.resolve);
    check.push(r.timings.check);
  }
  const resolveMs = median(resolve);
  const checkMs = median(check);
  return { nodes, bytes: text.length, diagnostics, parseMs: median(parse), resolveMs, checkMs, semanticMs: median(resolve.map((r, i) => r + check[i])) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const opt = (name: string, d: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const r = runCheckBench(opt("--nodes", 10_000), opt("--reps", 9));
  console.log(`check benchmark: generated spec with ${r.nodes} nodes (${(r.bytes / 1024).toFixed(0)} KiB), ${r.diagnostics} errors`);
  console.log(`  parse            ${r.parseMs.toFixed(1)} ms`);
  console.log(`  resolve          ${r.resolveMs.toFixed(1)} ms`);
  console.log(`  check            ${r.checkMs.toFixed(1)} ms`);
  console.log(`  resolve + check  ${r.semanticMs.toFixed(1)} ms   (target < 300 ms)`);
}
