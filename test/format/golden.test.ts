import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { format } from "../../src/compiler/format/index.ts";

// One input that uses every construct, badly laid out and commented everywhere, against its committed canonical
// form (reviewed by hand). The expected file is itself canonical, so formatting it changes nothing.
const dir = new URL("./golden/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), "utf8");

describe("fmt golden", () => {
  it("lays out every construct canonically and keeps every comment", () => {
    expect(format(read("all-constructs.input.hpol"), "all-constructs.input.hpol")).toEqual({ text: read("all-constructs.expected.hpol") });
  });
  it("the canonical form is a fixpoint", () => {
    const expected = read("all-constructs.expected.hpol");
    expect(format(expected, "all-constructs.expected.hpol")).toEqual({ text: expected });
  });
  it("refuses a file with syntax errors and returns them", () => {
    const result = format("tree t() {\n  sequence {\n    check\n  }\n", "broken.hpol");
    expect("diagnostics" in result).toBe(true);
    if ("diagnostics" in result) {
      expect(result.diagnostics.length).toBeGreaterThan(0);
      for (const d of result.diagnostics) {
        expect(d.severity).toBe("error");
        expect(d.code).toMatch(/^HP1\d{3}$/);
      }
    }
  });
  it("moves a comment from inside a one-line expression to the end of its line", () => {
    const result = format("tree t() {\n  check a and /* why */ b\n}\n", "c.hpol");
    expect(result).toEqual({ text: "tree t() {\n  check a and b /* why */\n}\n" });
  });
});
