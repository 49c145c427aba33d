// Parse-time benchmark: lex + parse + CST→AST of the generated 10,000-node spec (bench/gen-spec.ts).
// Target on the 2-core machines: under 200 ms (median after warm-up).
//
//   node bin/run-ts.mjs bench/parse-bench.ts [--nodes N] [--reps R]
import { parse } from "../src/grammar/index.ts";
import type * as A from "../src/grammar/ast.ts";
import { generateSpec } from "./gen-spec.ts";

export interface ParseBenchResult {
  readonly nodes: number;
  readonly treeNodes: number;
  readonly bytes: number;
  readonly diagnostics: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly reps: number;
}

/** Tree nodes in a parsed module: what the spec size is measured in. */
export function countTreeNodes(m: A.Module): number {
  let n = 0;
  const visit = (t: A.TreeNode): void => {
    n++;
    if (t.kind === "Composite" || t.kind === "Parallel") t.children.forEach(visit);
    else if (t.kind === "Decorator") visit(t.child);
  };
  for (const d of m.decls) {
    if (d.kind === "TreeDecl" || d.kind === "PlannerDecl") visit(d.body);
    else if (d.kind === "ExecutorDecl") {
      if (d.body) visit(d.body);
      d.handlers.forEach((h) => visit(h.body));
    }
  }
  return n;
}

export function runParseBench(nodes = 10_000, reps = 15, warmup = 5): ParseBenchResult {
  const text = generateSpec(nodes);
  const first = parse(text, "generated.hpol");
  for (let i = 0; i < warmup; i++) parse(text, "generated.hpol");
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    parse(text, "generated.hpol");
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    nodes,
    treeNodes: countTreeNodes(first.module),
    bytes: text.length,
    diagnostics: first.diagnostics.length,
    medianMs: times[Math.floor(times.length / 2)],
    minMs: times[0],
    reps,
  };
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1]?.endsWith("parse-bench.ts")) {
  const r = runParseBench(arg("--nodes", 10_000), arg("--reps", 15));
  console.log(
    `parse ${r.treeNodes} tree nodes (${(r.bytes / 1024).toFixed(0)} KiB, ${r.diagnostics} diagnostics): ` +
      `median ${r.medianMs.toFixed(1)} ms, min ${r.minMs.toFixed(1)} ms over ${r.reps} runs (target < 200 ms)`,
  );
}
