import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "../../src/grammar/index.ts";
import { format, syntaxShape } from "../../src/compiler/format/index.ts";
import { generateCheckSpec } from "../../bench/check-bench.ts";

// Generated specs: the grammar benchmark's generator (bench/gen-spec.ts, `generateSpec(nodes, seed)`) when it
// exists, otherwise the check benchmark's. Formatting must be idempotent and keep the tree.
const sharedGenerator = fileURLToPath(new URL("../../bench/gen-spec.ts", import.meta.url));
type Generate = (nodes: number, seed: number) => string;

async function generator(): Promise<Generate> {
  if (existsSync(sharedGenerator)) {
    const mod = (await import(sharedGenerator)) as { generateSpec?: Generate };
    if (typeof mod.generateSpec === "function") return mod.generateSpec;
  }
  return (nodes) => generateCheckSpec(nodes);
}

describe("fmt on generated specs", () => {
  it("is idempotent and keeps the syntax tree", async () => {
    const generate = await generator();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (nodes, seed) => {
        const text = generate(nodes, seed);
        const parsed = parse(text, "gen.hpol");
        fc.pre(!parsed.diagnostics.some((d) => d.severity === "error"));
        const once = format(text, "gen.hpol");
        if (!("text" in once)) throw new Error(JSON.stringify(once.diagnostics));
        expect(format(once.text, "gen.hpol")).toEqual({ text: once.text });
        expect(syntaxShape(parse(once.text, "gen.hpol").module)).toEqual(syntaxShape(parsed.module));
      }),
      { numRuns: 40 },
    );
  });
});
