// W3 in its steady state, by CPU time: the suite's W3 repetitions (400 warm-up frames) still include the engine
// compiling the large generated functions, so this runs each row for many warm-up frames first, then times
// frames with process.cpuUsage. Rows rotate between repetitions; every repetition is printed, with the median
// and the fastest (the hand-written floor's own function is large too: some repetitions still run before the
// engine has optimised it, so the fastest repetition is the steady figure).
//   node bin/run-ts.mjs bench/workloads/w3/measure-cpu.ts [warm-up=3000] [frames=600] [repetitions=3]
import { loadavg } from "node:os";
import { FactsWorld } from "./facts.ts";
import { generateTree } from "./tree.ts";
import { handwrittenW3 } from "./handwritten.ts";
import { hpolW3 } from "./hpol.ts";
import { W3_TARGET_NODES, W3_TREE_SEED } from "../suite.ts";

const WARMUP = Number(process.argv[2] ?? 3000);
const FRAMES = Number(process.argv[3] ?? 600);
const REPS = Number(process.argv[4] ?? 3);
const AGENTS = 50;
const tree = generateTree({ seed: W3_TREE_SEED, targetNodes: W3_TARGET_NODES });
const rows = [handwrittenW3, ...hpolW3];
const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const samples = new Map<string, number[]>(rows.map((r) => [r.name, []]));
for (let rep = 0; rep < REPS; rep++) {
  for (let k = 0; k < rows.length; k++) {
    const impl = rows[(k + rep) % rows.length]!;
    const world = new FactsWorld(tree, AGENTS, 1);
    const pool = impl.createPool(tree, world);
    for (let f = 0; f < WARMUP; f++) {
      pool.tickAll();
      world.advance();
    }
    let us = 0;
    for (let f = 0; f < FRAMES; f++) {
      const t = cpuUs();
      pool.tickAll();
      us += cpuUs() - t;
      world.advance();
    }
    samples.get(impl.name)!.push((us * 1000) / (AGENTS * FRAMES));
  }
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const fastest = (v: number[]): number => Math.min(...v);
const floor = fastest(samples.get(handwrittenW3.name)!);
console.log(`W3 (${tree.nodeCount} nodes), ${AGENTS} agents, ${WARMUP} warm-up + ${FRAMES} timed frames, ${REPS} repetitions; CPU ns per agent-tick; load average ${loadavg()[0]!.toFixed(2)}`);
for (const [name, v] of samples) {
  const f = fastest(v);
  console.log(`${name.padEnd(18)} fastest ${f.toFixed(0).padStart(6)} (${(f / floor).toFixed(2)}x the floor's fastest)  median ${median(v).toFixed(0)}   [${v.map((x) => x.toFixed(0)).join(" ")}]`);
}
