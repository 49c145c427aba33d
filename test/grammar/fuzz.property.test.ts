// Property: for 10,000 random and mutated inputs, parse never throws, always returns a module, and every
// diagnostic is coded HP1xxx with a span inside the text. Timing is recorded and printed, never asserted.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/grammar/index.ts";
import { hpolLexer } from "../../src/grammar/tokens.ts";

const root = join(import.meta.dirname, "..", "..");
const seeds = [
  ...readdirSync(join(root, "examples")).filter((f) => f.endsWith(".hpol")).map((f) => readFileSync(join(root, "examples", f), "utf8")),
  ...readdirSync(join(root, "test", "cases", "syntax")).filter((f) => f.endsWith(".hpol")).map((f) => readFileSync(join(root, "test", "cases", "syntax", f), "utf8")),
];

/** Token texts of a seed, so mutations work on tokens rather than characters. */
function pieces(text: string): string[] {
  const r = hpolLexer.tokenize(text);
  return r.tokens.map((t) => t.image);
}
const seedPieces = seeds.map(pieces);
const vocabulary = [...new Set(seedPieces.flat())];

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "insert"; at: number; word: number }
  | { kind: "swap"; at: number; other: number }
  | { kind: "truncate"; at: number }
  | { kind: "unicode"; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), word: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("unicode" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 4 }) }),
);

function mutate(base: readonly string[], ms: readonly Mutation[]): string {
  const p = [...base];
  for (const m of ms) {
    if (p.length === 0) break;
    const i = m.at % p.length;
    if (m.kind === "delete") p.splice(i, 1);
    else if (m.kind === "insert") p.splice(i, 0, vocabulary[m.word % vocabulary.length]);
    else if (m.kind === "swap") {
      const j = m.other % p.length;
      [p[i], p[j]] = [p[j], p[i]];
    } else if (m.kind === "truncate") p.length = i;
    else p.splice(i, 0, m.text);
  }
  return p.join(" ");
}

const mutated = fc.tuple(fc.nat(seedPieces.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([s, ms]) => mutate(seedPieces[s], ms));
const randomText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(fc.constantFrom(...vocabulary), { maxLength: 60 }).map((ws) => ws.join(" ")),
);

describe("parse never throws", () => {
  it("10,000 random and mutated inputs give a module and well-formed coded diagnostics", () => {
    let maxMs = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: randomText, weight: 1 }), (text) => {
        const t0 = performance.now();
        const r = parse(text, "fuzz.hpol");
        maxMs = Math.max(maxMs, performance.now() - t0);
        runs++;
        expect(r.module.kind).toBe("Module");
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^HP[19]\d{3}$/);
          expect(d.code).not.toBe("HP9001");
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
          expect(d.span.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 10_000, seed: 20261124 },
    );
    console.log(`parse fuzz: ${runs} inputs, slowest ${maxMs.toFixed(1)} ms`);
  });
});
