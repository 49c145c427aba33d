// `npm run soak [-- --agent-ticks N --agents A --samples S]`: ticks a pool of the cooperative example (the
// largest example with a neural node: its planner asks a TF.js model, asynchronously, for a subgoal) for N
// agent-ticks (default 1,000,000 = 1,000 agents × 1,000 steps), and samples heap, RSS and TF.js's live tensor
// count as it goes. Externs are deterministic stand-ins, observations come from a seeded generator. A leak shows
// as growth from the first quarter of the samples to the last; the run should end flat.
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { checkFiles } from "../src/compiler/program.ts";
import { lower } from "../src/compiler/lower/lower.ts";
import { createPool, loadIR, Xoshiro128 } from "../src/runtime/index.ts";
import { createNeuralHost } from "../src/runtime/neural/batching-host.ts";
import { loadTfjs } from "../src/runtime/neural/tfjs-platform.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`--${name} wants a positive integer, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  return v;
}

const agents = arg("agents", 1000);
const agentTicks = arg("agent-ticks", 1_000_000);
const sampleCount = arg("samples", 20);
const steps = Math.max(1, Math.ceil(agentTicks / agents));
const every = Math.max(1, Math.floor(steps / sampleCount));

const examples = join(import.meta.dirname, "..", "examples");
const specPath = join(examples, "cooperative.hpol");
const checked = checkFiles([specPath]);
const errors = checked.diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0 || !checked.program) {
  console.error(`${specPath} does not check:\n${errors.map((d) => `${d.code} ${d.message}`).join("\n")}`);
  process.exit(1);
}
const ir = loadIR(JSON.parse(JSON.stringify(lower(checked.program, checked.sources))));
const neural = createNeuralHost(ir, examples);
const { tf, backend } = await loadTfjs();

let announced = 0;
const pool = createPool(ir, {
  agents,
  seed: 42,
  neural,
  externs: {
    announce: () => {
      announced++;
      return "success";
    },
    path_length: (a: unknown, b: unknown) => {
      const p = a as number[];
      const q = b as number[];
      return Math.abs(p[0]! - q[0]!) + Math.abs(p[1]! - q[1]!);
    },
  },
});

// The kitchen, per agent: a position that drifts, a partner nearby, a few orders that come and go.
const rng = new Xoshiro128(7);
const SOUPS = ["Onion", "Tomato"] as const;
const URGENCY = ["Low", "Medium", "High"] as const;
const INGREDIENTS = ["Onion", "Tomato", "Dish"] as const;
const r = (lo: number, hi: number) => lo + rng.next() * (hi - lo);
function observation(): Record<string, unknown> {
  const orders = Array.from({ length: Math.floor(rng.next() * 4) }, () => ({
    soup: SOUPS[Math.floor(rng.next() * 2)]!,
    urgency: URGENCY[Math.floor(rng.next() * 3)]!,
    time_left: r(0, 120),
    reward: Math.floor(r(0, 100)),
  }));
  return {
    pos: [r(0, 9), r(0, 6)],
    carrying: rng.next() < 0.4,
    held: INGREDIENTS[Math.floor(rng.next() * 3)]!,
    partner_pos: [r(0, 9), r(0, 6)],
    orders,
    pot_fill: Math.floor(r(0, 4)),
    pot_progress: rng.next(),
  };
}

interface Sample {
  step: number;
  heapMB: number;
  rssMB: number;
  tensors: number;
}
const samples: Sample[] = [];
const mb = (bytes: number) => bytes / (1024 * 1024);
// Heap figures are taken after a full collection: otherwise the sample shows where the GC's sawtooth happens to
// be, not what stays alive. (Exposing gc at run time avoids needing a node flag in the npm script.)
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function sample(step: number): void {
  gc();
  const m = process.memoryUsage();
  samples.push({ step, heapMB: mb(m.heapUsed), rssMB: mb(m.rss), tensors: tf.memory().numTensors });
}

let observationErrors = 0;
let runtimeErrors = 0;
const t0 = performance.now();
for (let s = 0; s < steps; s++) {
  // Observations change for a tenth of the agents per step: enough churn without the generator dominating.
  for (let a = s % 10; a < agents; a += 10) if (!pool.setObservation(a, observation())) observationErrors++;
  if (s % 40 === 0) pool.raise("order_arrived", Math.floor(rng.next() * agents));
  await pool.stepOnce();
  runtimeErrors += pool.drainErrors().length;
  if (s % every === 0 || s === steps - 1) sample(s);
}
const seconds = (performance.now() - t0) / 1000;
await pool.close();

const pad = (x: string, n: number) => x.padStart(n);
console.log(`soak: cooperative.hpol, ${agents} agents × ${steps} steps = ${agents * steps} agent-ticks in ${seconds.toFixed(1)} s (TF.js ${backend})`);
console.log(`${pad("step", 8)} ${pad("heap MB", 9)} ${pad("RSS MB", 9)} ${pad("tensors", 8)}`);
for (const x of samples) console.log(`${pad(String(x.step), 8)} ${pad(x.heapMB.toFixed(1), 9)} ${pad(x.rssMB.toFixed(1), 9)} ${pad(String(x.tensors), 8)}`);

// Growth is measured over the samples after the first step: at step 0 the model is not loaded yet.
const steady = samples.filter((x) => x.step > 0);
const quarter = Math.max(1, Math.floor(steady.length / 4));
const mean = (xs: Sample[], k: keyof Sample) => xs.reduce((t, x) => t + x[k], 0) / xs.length;
const first = steady.slice(0, quarter);
const last = steady.slice(-quarter);
for (const k of ["heapMB", "rssMB", "tensors"] as const) {
  const a = mean(first, k);
  const b = mean(last, k);
  console.log(`growth ${k.padEnd(8)} first quarter ${a.toFixed(1)} → last quarter ${b.toFixed(1)} (${b >= a ? "+" : ""}${(b - a).toFixed(1)}, ${a > 0 ? (((b - a) / a) * 100).toFixed(1) : "n/a"}%)`);
}
console.log(`inference batches ${neural?.stats.batches ?? 0}, rows ${neural?.stats.rows ?? 0}; announce calls ${announced}; observation rejections ${observationErrors}; runtime errors ${runtimeErrors}`);
