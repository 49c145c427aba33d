// Check-time benchmark (issue 3): resolve + check of a generated 10,000-node spec; target < 300 ms on the
// 2-core machines. The spec comes from bench/gen-spec.ts (`generateSpec`, the grammar benchmark's generator)
// when it exists, otherwise from the generator below. It is parsed once; only resolve + check are timed
// (medians over repetitions after warm-up), through the same entry points the driver uses.
//
//   node bin/run-ts.mjs bench/check-bench.ts [--nodes N] [--reps R]
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../src/grammar/index.ts";
import { resolve } from "../src/compiler/resolve/resolve.ts";
import { check } from "../src/compiler/check/check.ts";

export interface CheckBenchResult {
  readonly nodes: number;
  readonly generator: string;
  readonly bytes: number;
  readonly errors: number;
  readonly parseMs: number;
  readonly resolveMs: number;
  readonly checkMs: number;
  /** resolve + check: the semantic analysis time the target applies to. */
  readonly semanticMs: number;
}

const FILE = "/bench/generated.hpol";
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * About `nodes` tree nodes: subtrees of 50 nodes (a selector of sequences with a check over an aggregate,
 * range-checked writes, vector math and an extern action), chained by calls and called from an executor that
 * follows a planner.
 */
export function generateCheckSpec(nodes: number): string {
  const out: string[] = [
    "observation { hp: float[0, 100], pos: vec2, enemies: list<vec2, 8>, ammo: int[0, 30] }",
    "output { speed: float[0, 1], aim: vec2, fire: bool }",
    "message Intent { Go { target: vec2 }, Stop }",
    "state { ticks: int[0, 1000000] = 0 }",
    "extern action shout(volume: float = 1.0)",
  ];
  const perTree = 50;
  const trees = Math.max(1, Math.ceil(nodes / perTree));
  for (let t = 0; t < trees; t++) {
    const kids: string[] = [];
    for (let i = 0; i < perTree / 5; i++) {
      kids.push(
        `sequence { check obs.hp > ${i}.0 and any(e in obs.enemies: distance(e, obs.pos) < ${i + 1}.0) ` +
          `set out.speed = clamp(obs.hp / 100.0 * k, 0.0, 1.0) set out.aim = obs.pos + [1.0, ${i}.0] do shout() }`,
      );
    }
    const last = t + 1 < trees && t % 2 === 0 ? `call t${t + 1}(0.5)` : "fail";
    out.push(`tree t${t}(k: float[0, 1] = 1.0) {\n  selector {\n    ${kids.join("\n    ")}\n    ${last}\n  }\n}`);
  }
  out.push("planner brain every 500ms emits Intent { selector { sequence { check obs.ammo > 0 emit Go { target: obs.pos } } emit Stop } }");
  const calls: string[] = [];
  for (let t = 0; t < trees; t += 2) calls.push(`call t${t}()`);
  out.push(`executor legs at 30hz follows brain writes speed, aim, fire {
  on Go selector { ${calls.join(" ")} set out.fire = true }
  on Stop sequence { set state.ticks = clamp(state.ticks + 1, 0, 1000000) set out.fire = false }
}`);
  return out.join("\n") + "\n";
}

async function specText(nodes: number): Promise<{ text: string; generator: string }> {
  const shared = join(import.meta.dirname, "gen-spec.ts");
  if (existsSync(shared)) {
    const path: string = "./gen-spec.ts"; // a variable: the module is optional at type-check time
    const mod = (await import(path)) as { generateSpec?: (n: number) => string };
    if (typeof mod.generateSpec === "function") return { text: mod.generateSpec(nodes), generator: "bench/gen-spec.ts" };
  }
  return { text: generateCheckSpec(nodes), generator: "bench/check-bench.ts" };
}

export async function runCheckBench(nodes = 10_000, reps = 9): Promise<CheckBenchResult> {
  const { text, generator } = await specText(nodes);
  const t0 = performance.now();
  const parsed = parse(text, FILE);
  const parseMs = performance.now() - t0;
  const modules = new Map([[FILE, parsed.module]]);
  const sources = new Map([[FILE, text]]);
  const resolveTimes: number[] = [];
  const checkTimes: number[] = [];
  const totals: number[] = [];
  let errors = parsed.diagnostics.length;
  for (let i = 0; i < reps + 3; i++) {
    const a = performance.now();
    const resolved = resolve({ entry: FILE, modules, importTargets: new Map() });
    const b = performance.now();
    const checked = check(resolved.program, { sources });
    const c = performance.now();
    if (i === 0) errors += [...resolved.diagnostics, ...checked.diagnostics].filter((d) => d.severity === "error").length;
    if (i < 3) continue; // warm-up
    resolveTimes.push(b - a);
    checkTimes.push(c - b);
    totals.push(c - a);
  }
  return { nodes, generator, bytes: text.length, errors, parseMs, resolveMs: median(resolveTimes), checkMs: median(checkTimes), semanticMs: median(totals) };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const argv = process.argv.slice(2);
  const opt = (name: string, d: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const r = await runCheckBench(opt("--nodes", 10_000), opt("--reps", 9));
  console.log(`check benchmark: ${r.nodes}-node spec from ${r.generator} (${(r.bytes / 1024).toFixed(0)} KiB), ${r.errors} errors`);
  console.log(`  parse (once)     ${r.parseMs.toFixed(1)} ms`);
  console.log(`  resolve          ${r.resolveMs.toFixed(1)} ms`);
  console.log(`  check            ${r.checkMs.toFixed(1)} ms`);
  console.log(`  resolve + check  ${r.semanticMs.toFixed(1)} ms   (target < 300 ms)`);
}
