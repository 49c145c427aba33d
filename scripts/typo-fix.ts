// The typo experiment (issue 3): apply single-token typos to the names referenced in examples/*.hpol, check
// each mutated spec, apply the first error's mechanical `fix`, re-check, and report the share of cases that
// come out clean. Deterministic: typos come from the seeded RNG.
//
//   node bin/run-ts.mjs scripts/typo-fix.ts [--per-example N] [--seed S] [--verbose]
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkSource } from "../src/compiler/program.ts";
import type { Diagnostic } from "../src/compiler/diagnostics/diagnostic.ts";
import type { Span } from "../src/grammar/ast.ts";
import { Xoshiro128 } from "../src/runtime/rng.ts";

interface Args {
  perExample: number;
  seed: number;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { perExample: 60, seed: 1, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--per-example") args.perExample = Number(argv[++i]);
    else if (argv[i] === "--seed") args.seed = Number(argv[++i]);
    else if (argv[i] === "--verbose") args.verbose = true;
  }
  return args;
}

/** Spans of every name *reference* in a clean spec (declaration sites excluded). */
function referenceSpans(text: string, file: string): Span[] {
  const result = checkSource(text, file);
  const program = result.program;
  if (!program) throw new Error(`${file} does not check cleanly: ${result.diagnostics.map((d) => d.code).join(", ")}`);
  const spans = new Map<string, Span>();
  const word = /[A-Za-z0-9_]/;
  const add = (s: Span) => {
    // Whole identifiers only: the character on either side must not continue the word.
    if (s.end <= s.start || word.test(text[s.start - 1] ?? "") || word.test(text[s.end] ?? "")) return;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(s.start, s.end))) spans.set(`${s.start}:${s.end}`, s);
  };
  // Only nodes of this file (bindings also hold the imported modules' nodes, whose spans index other texts).
  const own = new Set<object>();
  const collect = (v: unknown): void => {
    if (v === null || typeof v !== "object" || own.has(v)) return;
    own.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) collect(x);
  };
  collect(program.modules.find((m) => m.file === file)?.module);
  for (const [node, symbol] of program.bindings) {
    if (!own.has(node)) continue;
    if (symbol.file === file && node.span.start === symbol.nameSpan.start) continue; // the declaration itself
    add(node.span);
  }
  for (const access of program.members.keys()) if (own.has(access)) add(access.field.span);
  return [...spans.values()].sort((a, b) => a.start - b.start);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz_";

function typo(name: string, rng: Xoshiro128): string {
  const pick = (n: number) => Math.floor(rng.next() * n);
  for (;;) {
    const op = pick(4);
    const i = pick(name.length);
    let out: string;
    if (op === 0 && name.length > 1) out = name.slice(0, i) + name.slice(i + 1); // deletion
    else if (op === 1 && name.length > 1 && i < name.length - 1) out = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2); // swap
    else if (op === 2) out = name.slice(0, i) + LETTERS[pick(LETTERS.length)] + name.slice(i + 1); // substitution
    else out = name.slice(0, i) + LETTERS[pick(LETTERS.length)] + name.slice(i); // insertion
    if (out !== name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(out)) return out;
  }
}

function applyFix(text: string, d: Diagnostic): string {
  const fix = d.fix!;
  return text.slice(0, fix.span.start) + fix.replacement + text.slice(fix.span.end);
}

const args = parseArgs(process.argv.slice(2));
const root = resolve(import.meta.dirname, "..");
const examplesDir = join(root, "examples");
const files = readdirSync(examplesDir).filter((f) => f.endsWith(".hpol")).sort();
const rng = new Xoshiro128(args.seed, 0x7970);
let total = 0;
let noError = 0;
let noFix = 0;
let fixedClean = 0;
const failures: string[] = [];
for (const name of files) {
  const file = join(examplesDir, name);
  const text = readFileSync(file, "utf8");
  const spans = referenceSpans(text, file);
  for (let k = 0; k < args.perExample && spans.length > 0; k++) {
    const span = spans[Math.floor(rng.next() * spans.length)];
    const original = text.slice(span.start, span.end);
    const mutated = text.slice(0, span.start) + typo(original, rng) + text.slice(span.end);
    const first = checkSource(mutated, file);
    const errors = first.diagnostics.filter((d) => d.severity === "error");
    if (errors.length === 0) {
      noError++; // the typo produced another valid spec (e.g. another declared name)
      continue;
    }
    total++;
    const withFix = errors.find((d) => d.fix !== undefined);
    if (withFix === undefined) {
      noFix++;
      failures.push(`${name}: \`${original}\` → \`${mutated.slice(span.start, span.end + (mutated.length - text.length))}\`: ${errors[0].code} ${errors[0].message} (no fix)`);
      continue;
    }
    const repaired = applyFix(mutated, withFix);
    const second = checkSource(repaired, file);
    if (!second.diagnostics.some((d) => d.severity === "error")) fixedClean++;
    else failures.push(`${name}: \`${original}\`: fix → ${second.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`).join("; ")}`);
  }
}
const share = total === 0 ? 0 : fixedClean / total;
console.log(`typo experiment: ${files.length} examples, seed ${args.seed}`);
console.log(`  mutations that made the spec invalid: ${total} (another ${noError} happened to stay valid)`);
console.log(`  first error carried a fix:            ${total - noFix}`);
console.log(`  clean after applying the fix:         ${fixedClean}  (${(share * 100).toFixed(1)}%)`);
if (args.verbose) for (const f of failures) console.log(`  - ${f}`);
