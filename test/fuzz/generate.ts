// Fuzz inputs for the front end: well-formed specs built from the grammar (docs/grammar.ebnf), and mutants of the
// examples. Everything is a pure function of a seed, so a crash found with `--seed S` reproduces exactly.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Xoshiro128 } from "../../src/runtime/rng.ts";

export interface FuzzInput {
  /** How it was made, for the crash report (e.g. "valid", "mutant:swap:shooter"). */
  readonly origin: string;
  readonly text: string;
  /** Path the text is checked under: examples keep their own so their imports and models resolve. */
  readonly file: string;
}

export interface Seed {
  readonly name: string;
  readonly file: string;
  readonly text: string;
}

/** Small helper over the project's seeded RNG. */
class Pick {
  readonly rng: Xoshiro128;
  constructor(seed: number) {
    this.rng = new Xoshiro128(seed >>> 0);
  }
  int(n: number): number {
    return Math.floor(this.rng.next() * n);
  }
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  one<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

export const EXAMPLES_DIR = join(import.meta.dirname, "..", "..", "examples");

/** The example specs, read once: the mutation corpus. */
export function loadSeeds(dir: string = EXAMPLES_DIR): Seed[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".hpol"))
    .sort()
    .map((f) => ({ name: f.replace(/\.hpol$/, ""), file: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));
}

// ------------------------------------------------------------------ valid specs

const ARITH = ["+", "-", "*"] as const;
const CMP = ["<", "<=", ">", ">=", "==", "!="] as const;

/** A spec the checker should accept: host contract, constants, an enum, externs, a planner with a message, an
 *  executor (or two) with nested composites and decorators, shields and a test block. `size` scales the trees. */
export function validSpec(seed: number, size: number): string {
  const p = new Pick(seed);
  const nObsF = 1 + p.int(4);
  const nOut = 1 + p.int(3);
  const obsF = Array.from({ length: nObsF }, (_, i) => `f${i}`);
  const outs = Array.from({ length: nOut }, (_, i) => `o${i}`);
  const consts = Array.from({ length: 1 + p.int(3) }, (_, i) => `K${i}`);
  const L: string[] = [`module fz${seed >>> 0}`, ""];
  L.push("observation {");
  for (const f of obsF) L.push(`  ${f}: ${p.chance(0.5) ? "float" : "float[-10.0, 10.0]"}`);
  L.push("  b0: bool", "  n0: int[0, 9]", "  v0: vec2", "}", "");
  L.push("output {");
  for (const o of outs) L.push(`  ${o}: float`);
  L.push("  flag: bool", "}", "");
  L.push("enum Mode { Calm, Alert, Flee }", "");
  L.push("state {", "  mode: Mode = Mode.Calm", "  count: int[0, 100] = 0", "  acc: float = 0.0", "}", "");
  for (const k of consts) L.push(`const ${k}: float = ${(p.int(2000) / 100 - 10).toFixed(2)}`);
  L.push("");
  L.push("extern condition ready()", "extern function gain(x: float) -> float", `extern action act() writes ${outs[0]}`, "");
  L.push("message Order {", "  Go { target: vec2 }", "  Stay", "}", "");

  const num = (depth: number): string => {
    if (depth <= 0 || p.chance(0.35)) {
      const r = p.int(5);
      if (r === 0) return `obs.${p.one(obsF)}`;
      if (r === 1) return p.one(consts);
      if (r === 2) return "state.acc";
      if (r === 3) return `gain(obs.${p.one(obsF)})`;
      return (p.int(1000) / 10).toFixed(1);
    }
    const r = p.int(5);
    if (r === 0) return `abs(${num(depth - 1)})`;
    if (r === 1) return `(${num(depth - 1)})`;
    if (r === 2) return `min(${num(depth - 1)}, ${num(depth - 1)})`;
    if (r === 3) return `(if ${bool(depth - 1)} then ${num(depth - 1)} else ${num(depth - 1)})`;
    return `${num(depth - 1)} ${p.one(ARITH)} ${num(depth - 1)}`;
  };
  const bool = (depth: number): string => {
    if (depth <= 0 || p.chance(0.3)) {
      const r = p.int(4);
      if (r === 0) return "obs.b0";
      if (r === 1) return "state.mode == Mode.Alert";
      if (r === 2) return "obs.n0 > 3";
      return p.chance(0.5) ? "true" : "false";
    }
    const r = p.int(3);
    if (r === 0) return `not (${bool(depth - 1)})`;
    if (r === 1) return `${bool(depth - 1)} ${p.chance(0.5) ? "and" : "or"} ${bool(depth - 1)}`;
    return `${num(depth - 1)} ${p.one(CMP)} ${num(depth - 1)}`;
  };
  const time = (): string => (p.chance(0.5) ? `${1 + p.int(900)}ms` : `${1 + p.int(5)}s`);

  // Executor nodes may write only the executor's declared outputs and state.
  const leaf = (ind: string, inPlanner: boolean): string => {
    const r = p.int(inPlanner ? 5 : 6);
    if (r === 0) return `${ind}check ${bool(2)}`;
    if (r === 1) return `${ind}set state.acc = ${num(2)}`;
    if (r === 2) return `${ind}set state.mode = Mode.${p.one(["Calm", "Alert", "Flee"])}`;
    if (r === 3) return `${ind}check ready()`;
    if (r === 4) return inPlanner ? `${ind}emit Go { target: obs.v0 }` : `${ind}wait ${time()}`;
    return p.chance(0.5) ? `${ind}set out.${p.one(outs)} = ${num(2)}` : `${ind}do act()`;
  };
  const node = (ind: string, depth: number, inPlanner: boolean): string => {
    if (depth <= 0 || p.chance(0.3)) return leaf(ind, inPlanner);
    const r = p.int(8);
    const inner = ind + "  ";
    if (r <= 2) {
      const kind = p.one(["sequence", "selector", "reactive selector", "reactive sequence", "race"]);
      const label = p.chance(0.4) ? ` "${kind} ${p.int(100)}"` : "";
      const kids = Array.from({ length: 1 + p.int(Math.min(4, size)) }, () => node(inner, depth - 1, inPlanner));
      return `${ind}${kind}${label} {\n${kids.join("\n")}\n${ind}}`;
    }
    if (r === 3) return `${ind}${p.one(["invert", "once", "force_success", "force_failure"])} ${node("", depth - 1, inPlanner).trimStart()}`;
    if (r === 4) return `${ind}${p.one(["repeat", "retry"])}(${1 + p.int(4)}) ${node("", depth - 1, inPlanner).trimStart()}`;
    if (r === 5) return `${ind}${p.one(["timeout", "cooldown", "delay"])}(${time()}) ${node("", depth - 1, inPlanner).trimStart()}`;
    if (r === 6) return `${ind}guard ${p.chance(0.5) ? "while" : "until"} ${bool(1)} ${node("", depth - 1, inPlanner).trimStart()}`;
    const kids = Array.from({ length: 1 + p.int(3) }, () => node(inner, depth - 1, inPlanner));
    return `${ind}parallel {\n${kids.join("\n")}\n${ind}}`;
  };

  const depth = 2 + Math.min(4, Math.floor(size / 2));
  L.push("planner boss every 500ms emits Order {");
  L.push("  selector {", `    sequence {\n      check ${bool(2)}\n      emit Go { target: obs.v0 }\n    }`, "    emit Stay", "  }", "}", "");
  L.push(`executor body at ${p.one(["10hz", "20hz", "30hz"])} follows boss writes ${outs.join(", ")}, flag {`);
  L.push(`  on Go ${node("", depth, false).trimStart().replace(/\n/g, "\n  ")}`);
  L.push(`  on Stay ${node("", depth, false).trimStart().replace(/\n/g, "\n  ")}`);
  L.push("}", "");
  if (p.chance(0.5)) L.push(`shield ${outs[0]}: clamp(-5.0, 5.0)`);
  if (p.chance(0.5)) L.push("shield flag: deny when value and not obs.b0 fallback false");
  L.push("");
  if (p.chance(0.5)) {
    L.push(`test "t${p.int(100)}" {`, `  given obs { ${obsF.map((f) => `${f}: 1.0`).join(", ")}, b0: true }`, `  run ${1 + p.int(5)} ticks`, "  expect state.count >= 0", "}");
  }
  return L.join("\n") + "\n";
}

// ------------------------------------------------------------------ mutation

/** A rough token split (no dependence on the real lexer, so the fuzzer can find lexer bugs): strings,
 *  comments, numbers with units, words, operators, single characters and whitespace runs. */
export function roughTokens(text: string): string[] {
  return text.match(/"(?:[^"\\\n]|\\.)*"?|\/\/[^\n]*|\d+(?:\.\d+)?[a-z]*|[A-Za-z_][A-Za-z_0-9]*|->|[<>=!]=|\s+|[\s\S]/g) ?? [];
}

// Odd text: line and paragraph separators, a lone high and a lone low surrogate, a BOM, NUL, CR, a zero-width
// joiner, a right-to-left override, an astral character, non-ASCII letters and digits, quote and template
// characters that would matter to an emitter.
const ODD = ["\u2028", "\u2029", "\uD800", "\uDC00", "\uFEFF", "\u0000", "\r", "\u200D", "\u202E", "😀", "é", "ß", "٣", "`", "${", "*/", "\\", "\"", "'", "__proto__", "constructor"] as const;
const KEYWORDS = ["module", "import", "observation", "output", "state", "enum", "record", "message", "const", "extern", "model", "planner", "executor", "arbiter", "shield", "test", "sequence", "selector", "parallel", "race", "check", "set", "emit", "call", "wait", "do", "on", "every", "at", "follows", "writes", "emits", "if", "then", "else", "and", "or", "not", "true", "false", "infer", "subtree", "tensor", "list", "vec", "guard", "while", "until", "timeout", "retry", "repeat"] as const;
const PUNCT = ["{", "}", "(", ")", "[", "]", ",", ":", ".", "=", "->", "<", ">", "+", "-", "*", "/", "%", "\"", "//", "/*", "#", "@", "\n"] as const;
const NUMBERS = ["0", "1", "-1", "1e309", "99999999999999999999", "0.0", "3.", ".5", "1e-400", "2147483648", "9007199254740993", "100ms", "0hz", "0ms", "1e3s"] as const;

export type MutationKind = "delete" | "insert" | "swap" | "truncate" | "unicode" | "duplicate" | "splice";
const KINDS: readonly MutationKind[] = ["delete", "insert", "swap", "truncate", "unicode", "duplicate", "splice"];

function randomToken(p: Pick, tokens: readonly string[]): string {
  const r = p.int(5);
  if (r === 0) return p.one(KEYWORDS);
  if (r === 1) return p.one(PUNCT);
  if (r === 2) return p.one(NUMBERS);
  if (r === 3) return p.one(ODD);
  return tokens.length > 0 ? p.one(tokens) : "x";
}

/** Apply 1–4 mutations of random kinds to `seed.text`. `other` is a second seed for splicing. */
export function mutate(seed: Seed, other: Seed, rngSeed: number): FuzzInput {
  const p = new Pick(rngSeed);
  let tokens = roughTokens(seed.text);
  const kinds: MutationKind[] = [];
  const rounds = 1 + p.int(4);
  for (let i = 0; i < rounds; i++) {
    const kind = p.one(KINDS);
    kinds.push(kind);
    const at = p.int(tokens.length + 1);
    switch (kind) {
      case "delete": {
        const n = 1 + p.int(3);
        tokens = [...tokens.slice(0, at), ...tokens.slice(at + n)];
        break;
      }
      case "insert":
        tokens = [...tokens.slice(0, at), randomToken(p, tokens), ...tokens.slice(at)];
        break;
      case "swap": {
        const b = p.int(tokens.length + 1);
        if (at < tokens.length && b < tokens.length) {
          const t = tokens[at]!;
          tokens[at] = tokens[b]!;
          tokens[b] = t;
        }
        break;
      }
      case "truncate":
        tokens = tokens.slice(0, at);
        break;
      case "unicode": {
        // Inside a token (possibly a string or comment) as well as between tokens.
        const t = tokens[at] ?? "";
        const cut = p.int(t.length + 1);
        tokens[at] = t.slice(0, cut) + p.one(ODD) + t.slice(cut);
        break;
      }
      case "duplicate": {
        const n = 1 + p.int(20);
        tokens = [...tokens.slice(0, at + n), ...tokens.slice(at, at + n), ...tokens.slice(at + n)];
        break;
      }
      case "splice": {
        const theirs = roughTokens(other.text);
        const from = p.int(theirs.length + 1);
        tokens = [...tokens.slice(0, at), ...theirs.slice(from, from + 1 + p.int(60)), ...tokens.slice(at)];
        break;
      }
    }
  }
  return { origin: `mutant:${kinds.join("+")}:${seed.name}`, text: tokens.join(""), file: seed.file };
}

/** Input number `i` of the stream for `seed`: a third are valid generated specs (of growing size), two thirds
 *  mutants — of the examples, and of generated specs so that deep, odd structures get mutated too. */
export function fuzzInput(i: number, seed: number, seeds: readonly Seed[]): FuzzInput {
  const s = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  const file = join(EXAMPLES_DIR, "fuzz_generated.hpol");
  const r = i % 6;
  if (r === 0 || r === 3) return { origin: "valid", text: validSpec(s, 1 + (i % 11)), file };
  if (r === 5) {
    const generated: Seed = { name: "generated", file, text: validSpec(s ^ 0x5bd1e995, 1 + (i % 7)) };
    return mutate(generated, seeds[i % seeds.length]!, s);
  }
  return mutate(seeds[i % seeds.length]!, seeds[(i * 7 + 3) % seeds.length]!, s);
}
