// The README's code must stay true: its spec checks and passes its test block, and the embedding snippet
// type-checks against the real package entry points.
import { describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { typecheck } from "../emit/support/harness.ts";
import { checkSource } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { runTests } from "../../src/runtime/index.ts";

const root = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

function block(lang: string): string {
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(readme);
  if (!m) throw new Error(`README has no ${lang} block`);
  return m[1]!;
}

describe("README", () => {
  it("starts with the two quick-start commands", () => {
    const lines = block("sh").trim().split("\n");
    expect(lines).toEqual(["npm ci && npx hpol run examples/shooter.hpol", "npm ci && npm test"]);
  });

  it("tour spec checks cleanly and its test passes", async () => {
    const r = checkSource(block("hpol"), join(root, "README.hpol"));
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const result = await runTests(lower(r.program!, r.sources));
    expect(result.failed).toBe(0);
    expect(result.passed).toBe(1);
  });

  it("embedding snippet type-checks under --strict", () => {
    const dir = join(root, "test", "readme", "out");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "embed.ts");
    const world = "interface World { observe(i: number): Record<string, unknown>; act(i: number, out: Record<string, unknown>): void }\n";
    writeFileSync(file, world + block("ts") + "\nexport { frame };\n");
    const problems = typecheck([file]);
    expect(problems).toEqual([]);
  });
});
