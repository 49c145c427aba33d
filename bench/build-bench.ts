// `hpol build` of the generated 10,000-node spec (issue 5: target under 3 s): the median in-process time per
// phase over a few runs, and the size of every output, with the emitted module split into its embedded IR and
// its generated code.   node bin/run-ts.mjs bench/build-bench.ts [--nodes 10000] [--reps 5]
// The wall time of `node bin/hpol.mjs build …` adds process start-up and module loading (about 1 s) on top.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBuildCommand } from "../src/cli/commands/build.ts";
import { processIO } from "../src/cli/io.ts";
import { generateSpec } from "./gen-spec.ts";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const nodes = arg("nodes", 10000);
const reps = arg("reps", 5);

const dir = mkdtempSync(join(tmpdir(), "hpol-build-bench-"));
try {
  const spec = join(dir, `spec${nodes}.hpol`);
  writeFileSync(spec, generateSpec(nodes));
  const phases = new Map<string, number[]>();
  for (let r = 0; r < reps; r++) {
    let printed = "";
    const io = { ...processIO(), stdout: (t: string) => void (printed += t) };
    if (runBuildCommand(spec, { outDir: join(dir, "out") }, io) !== 0) throw new Error(printed);
    // "check+lower 520 ms, emit 319 ms, transpile 722 ms, write 118 ms; total 1678 ms"
    for (const m of printed.matchAll(/([a-z+]+) (\d+) ms/g)) phases.set(m[1]!, [...(phases.get(m[1]!) ?? []), Number(m[2])]);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`hpol build, ${nodes}-node generated spec, median of ${reps} (in-process):`);
  console.log("  " + [...phases].map(([k, xs]) => `${k} ${median(xs)} ms`).join(", "));
  const out = join(dir, "out");
  const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
  for (const f of readdirSync(out).sort()) console.log(`  ${f.padEnd(22)} ${mb(statSync(join(out, f)).size)}`);
  const ts = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))!), "utf8");
  const irLine = ts.split("\n").find((l) => l.includes("policyIR: PolicyIR ="))!;
  console.log(`  of the .ts: embedded IR ${mb(irLine.length)}, code and types ${mb(ts.length - irLine.length)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
