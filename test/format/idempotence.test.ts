import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "../../src/grammar/index.ts";
import { format, syntaxShape } from "../../src/compiler/format/index.ts";

// Every example and every test case that parses: formatting is idempotent, keeps the syntax tree (modulo
// spans) and keeps every comment, in order.
const root = fileURLToPath(new URL("../..", import.meta.url));

function hpolFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? hpolFiles(path) : e.name.endsWith(".hpol") ? [path] : [];
  });
}

const files = [...hpolFiles(join(root, "examples")), ...hpolFiles(join(root, "test/cases"))].sort();
const parsing = files.filter((f) => !parse(readFileSync(f, "utf8"), f).diagnostics.some((d) => d.severity === "error"));

describe("hpol fmt on the examples and test cases", () => {
  it("finds the examples and most test cases parseable", () => {
    expect(parsing.filter((f) => f.includes("/examples/")).length).toBeGreaterThanOrEqual(3);
    expect(parsing.length).toBeGreaterThan(100);
  });

  it.each(parsing.map((f) => [relative(root, f), f]))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const once = format(text, file);
    if (!("text" in once)) throw new Error(JSON.stringify(once.diagnostics));
    const twice = format(once.text, file);
    expect(twice).toEqual({ text: once.text });
    const before = parse(text, file).module;
    const after = parse(once.text, file).module;
    expect(syntaxShape(after)).toEqual(syntaxShape(before));
    expect(after.comments.map((c) => c.text.trimEnd())).toEqual(before.comments.map((c) => c.text.trimEnd()));
    // Canonical layout: two-space indentation, no trailing whitespace, one final newline.
    for (const line of once.text.split("\n")) {
      expect(line).not.toMatch(/\s$/);
      expect(line.match(/^ */)![0].length % 2).toBe(0);
    }
    expect(once.text.endsWith("\n") && !once.text.endsWith("\n\n")).toBe(true);
  });
});
