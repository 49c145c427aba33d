// `npm run fuzz [-- --count N --seed S]`: N fuzz inputs (default 100,000) through the whole front end. Exits 1
// when any input throws, yields an uncoded or out-of-bounds diagnostic, or takes over 1 s of CPU time (measured
// twice; CPU rather than wall time, so that a busy machine alone does not count); each such input is written to
// test/fuzz/crashes/.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cachingHost, checkInput } from "./check-input.ts";
import { fuzzInput, loadSeeds } from "./generate.ts";

const SLOW_MS = 1000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} wants a non-negative integer, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  return v;
}

const count = arg("count", 100_000);
const seed = arg("seed", 1);
const crashDir = join(import.meta.dirname, "crashes");
const seeds = loadSeeds();
const host = cachingHost();

let failures = 0;
let slow = 0;
let valid = 0;
let validAccepted = 0;
let lowered = 0;
let maxMs = 0;
let maxOrigin = "";
const t0 = performance.now();

function save(i: number, text: string, what: string[]): string {
  mkdirSync(crashDir, { recursive: true });
  const id = createHash("sha256").update(text).digest("hex").slice(0, 12);
  const path = join(crashDir, `${id}.hpol`);
  writeFileSync(path, text);
  writeFileSync(join(crashDir, `${id}.txt`), `input ${i} of seed ${seed}\n${what.join("\n")}\n`);
  return path;
}

for (let i = 0; i < count; i++) {
  const input = fuzzInput(i, seed, seeds);
  let v = checkInput(input, host);
  const problems = [...v.violations];
  if (v.cpuMs > SLOW_MS) {
    const again = checkInput(input, host);
    if (again.cpuMs > SLOW_MS) {
      slow++;
      problems.push(`slow: ${v.cpuMs.toFixed(0)} ms of CPU (${v.ms.toFixed(0)} ms wall), then ${again.cpuMs.toFixed(0)} ms`);
    }
    v = again.cpuMs < v.cpuMs ? again : v;
  }
  if (v.cpuMs > maxMs) {
    maxMs = v.cpuMs;
    maxOrigin = input.origin;
  }
  if (input.origin === "valid") {
    valid++;
    if (v.errorCount === 0) validAccepted++;
  }
  if (v.lowered) lowered++;
  if (problems.length > 0) {
    failures++;
    const path = save(i, input.text, [input.origin, ...problems]);
    console.error(`input ${i} (${input.origin}) → ${path}\n  ${problems.join("\n  ")}`);
  }
  if ((i + 1) % 5000 === 0) {
    console.error(`… ${i + 1}/${count}, ${failures} failing, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

const seconds = (performance.now() - t0) / 1000;
console.log(
  `fuzz: ${count} inputs (seed ${seed}) in ${seconds.toFixed(1)} s — ${failures} failing (${slow} over ${SLOW_MS} ms), ` +
    `${lowered} lowered, generated valid specs accepted ${validAccepted}/${valid}, slowest ${maxMs.toFixed(1)} ms CPU (${maxOrigin})`,
);
process.exit(failures > 0 ? 1 : 0);
