// `hpol graph` on the generated 10,000-node spec (bench/gen-spec.ts): the time of each step the command takes —
// check + lower, IR → graph model, DOT, mermaid, and (with --svg) the wasm Graphviz layout to SVG — as medians
// over repetitions after one warm-up, all in one process. The whole command's wall time, process start-up
// included, is measured separately with `time node bin/hpol.mjs graph /tmp/spec10k.hpol -o /tmp/g.dot`.
//
//   node bin/run-ts.mjs bench/graph-bench.ts [--nodes N] [--reps R] [--svg]
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSpec } from "./gen-spec.ts";
import { checkFiles } from "../src/compiler/program.ts";
import { lower } from "../src/compiler/lower/lower.ts";
import { buildGraph } from "../src/compiler/graph/build.ts";
import { renderDot } from "../src/compiler/graph/dot.ts";
import { renderMermaid } from "../src/compiler/graph/mermaid.ts";
import { renderSvg, loadGraphviz } from "../src/compiler/graph/svg.ts";
import { subtreeDecls } from "../src/cli/commands/graph.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const nodes = flag("--nodes", 10000);
const reps = flag("--reps", 5);
const withSvg = args.includes("--svg");

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), "hpol-graph-bench-"));
const file = join(dir, "spec.hpol");
writeFileSync(file, generateSpec(nodes));

const times: Record<string, number[]> = { "check+lower": [], model: [], dot: [], mermaid: [], ...(withSvg ? { svg: [] } : {}) };
let sizes = { irNodes: 0, graphNodes: 0, edges: 0, dotBytes: 0, mermaidBytes: 0, svgBytes: 0 };
if (withSvg) await loadGraphviz();
for (let r = 0; r <= reps; r++) {
  const t0 = performance.now();
  const checked = checkFiles([file]);
  if (!checked.program) throw new Error(`the generated spec has errors: ${checked.diagnostics[0]?.message}`);
  const ir = lower(checked.program, checked.sources);
  const t1 = performance.now();
  const graph = buildGraph(ir, { sources: checked.sources, subtrees: subtreeDecls(checked.program) });
  const t2 = performance.now();
  const dot = renderDot(graph);
  const t3 = performance.now();
  const mermaid = renderMermaid(graph);
  const t4 = performance.now();
  const svg = withSvg ? await renderSvg(dot) : "";
  const t5 = performance.now();
  if (r === 0) continue; // warm-up
  times["check+lower"]!.push(t1 - t0);
  times.model!.push(t2 - t1);
  times.dot!.push(t3 - t2);
  times.mermaid!.push(t4 - t3);
  if (withSvg) times.svg!.push(t5 - t4);
  sizes = { irNodes: ir.nodes.length, graphNodes: graph.nodes.length, edges: graph.edges.length, dotBytes: dot.length, mermaidBytes: mermaid.length, svgBytes: svg.length };
}
rmSync(dir, { recursive: true, force: true });

console.log(`hpol graph, generated spec of ${nodes} nodes: ${sizes.irNodes} IR nodes → ${sizes.graphNodes} graph nodes, ${sizes.edges} edges`);
console.log(`DOT ${(sizes.dotBytes / 1024).toFixed(0)} KiB, mermaid ${(sizes.mermaidBytes / 1024).toFixed(0)} KiB${withSvg ? `, SVG ${(sizes.svgBytes / 1024).toFixed(0)} KiB` : ""}`);
console.log(`median of ${reps} (after 1 warm-up), ms:`);
for (const [step, xs] of Object.entries(times)) console.log(`  ${step.padEnd(12)} ${median(xs).toFixed(1).padStart(9)}   (min ${Math.min(...xs).toFixed(1)})`);
