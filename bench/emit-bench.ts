// Emitter benchmark (issue 5): emit a generated policy of about N tree nodes (nested selectors and sequences of
// conditions and assignments over a few observations, split across three executors) and report the median
// emitPolicy time and the emitted size; then load the module once and step it, so the figure is for code that
// runs.   node bin/run-ts.mjs bench/emit-bench.ts [--nodes 10000] [--reps 3]
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { IRBuilder, BOOL, FLOAT, INT, check, sel, seq, set } from "../test/runtime/support/builder.ts";
import type { NodeSpec } from "../test/runtime/support/builder.ts";
import { emitPolicy } from "../src/compiler/emit/emit.ts";
import { Xoshiro128 } from "../src/runtime/index.ts";
import type { AgentPool, PoolOptions } from "../src/runtime/index.ts";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("nodes", 10000);
const REPS = arg("reps", 3);

const rng = new Xoshiro128(5);
const b = new IRBuilder("generated");
const obs = [0, 1, 2, 3].map((i) => b.obs(`x${i}`, FLOAT));
const flags = [0, 1].map((i) => b.obs(`f${i}`, BOOL));
const out = b.out("action", INT);
let made = 0;
const cond = (): number =>
  rng.next() < 0.3 ? b.read(flags[Math.floor(rng.next() * 2)]!) : b.bin("<", b.read(obs[Math.floor(rng.next() * 4)]!), b.num(rng.next() * 10, FLOAT));
const tree = (budget: number): NodeSpec => {
  made++;
  if (budget <= 1) return rng.next() < 0.6 ? check(cond()) : set(b.read(out), b.num(Math.floor(rng.next() * 8)));
  const kids: NodeSpec[] = [];
  let left = budget - 1;
  while (left > 0) {
    const share = Math.max(1, Math.min(left, Math.ceil(left / (2 + Math.floor(rng.next() * 4)))));
    kids.push(tree(share));
    left -= share;
  }
  return rng.next() < 0.5 ? seq(...kids) : sel(...kids);
};
for (let e = 0; e < 3; e++) b.executor(`E${e}`, { periodMs: 100, default: tree(Math.floor(N / 3)) });
const ir = b.build();

const times: number[] = [];
let ts = "";
for (let r = 0; r < REPS; r++) {
  const t0 = performance.now();
  ts = emitPolicy(ir, { runtimeModule: "" }).ts;
  times.push(performance.now() - t0);
}
times.sort((a, c) => a - c);
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "out");
mkdirSync(outDir, { recursive: true });
const file = join(outDir, "emit-bench-policy.ts");
const runtime = relative(outDir, join(here, "../src/runtime/index.ts")).split(sep).join("/");
writeFileSync(file, emitPolicy(ir, { runtimeModule: runtime }).ts);
const mod = (await import(pathToFileURL(file).href)) as { createPolicyPool: (o: PoolOptions) => AgentPool };
const pool = mod.createPolicyPool({ agents: 10 });
for (let a = 0; a < 10; a++) pool.setObservation(a, { x0: 1, x1: 2, x2: 3, x3: 4, f0: true, f1: false });
pool.runSync(10);
console.log(
  JSON.stringify({ nodes: ir.nodes.length, generated: made, emitMsMedian: +times[Math.floor(REPS / 2)]!.toFixed(0), emitMsAll: times.map((t) => +t.toFixed(0)), emittedKB: Math.round(ts.length / 1024), ran: pool.step }),
);
