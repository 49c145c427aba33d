// Error recovery and the syntax catalog: independent mistakes are reported once each, and every HP1xxx
// example produces exactly its own code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/grammar/index.ts";
import { syntaxCodes } from "../../src/compiler/diagnostics/codes/syntax.ts";
import { toJsonRecords } from "../../src/compiler/diagnostics/render.ts";

const codes = (text: string) => parse(text, "t.hpol").diagnostics.map((d) => d.code);

describe("error recovery", () => {
  it("a file with 5 independent syntax errors yields exactly 5 diagnostics", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "cases", "syntax", "five-independent-errors.hpol"), "utf8");
    const r = parse(text, "five.hpol");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["HP1008", "HP1007", "HP1006", "HP1012", "HP1014"]);
    // the declarations around the mistakes are still there
    expect(r.module.decls.map((d) => d.kind)).toEqual(["TreeDecl", "TreeDecl", "TreeDecl", "ConstDecl", "TreeDecl"]);
  });
  it("5 independent parser-level errors (no special-cased mistakes) give 5 diagnostics", () => {
    const text = [
      "tree A() { do move( }",
      "tree B() { check }",
      "record R { x: 3 }",
      "tree C() { set state.x }",
      "const k = (1 + ",
      "tree D() { succeed }",
    ].join("\n");
    const r = parse(text, "t.hpol");
    expect(r.diagnostics).toHaveLength(5);
    expect(r.diagnostics.every((d) => d.code === "HP1004")).toBe(true);
    expect(r.module.decls.at(-1)).toMatchObject({ kind: "TreeDecl", name: { name: "D" } });
  });
  it("a misspelt keyword carries a mechanical fix", () => {
    const text = "tree T() {\n  sequnce { succeed }\n}";
    const [d] = parse(text, "t.hpol").diagnostics;
    expect(d.fix?.replacement).toBe("sequence");
    expect(text.slice(d.fix!.span.start, d.fix!.span.end)).toBe("sequnce");
    const [rec] = toJsonRecords([d], new Map([["t.hpol", text]]));
    expect(rec).toMatchObject({ code: "HP1006", line: 2, column: 3, endLine: 2, endColumn: 10, fix: { replacement: "sequence", line: 2, column: 3 } });
  });
  it("an unclosed block points at its opening brace", () => {
    const text = "tree T() {\n  sequence {\n    succeed\n}\ntree U() { succeed }";
    const [d] = parse(text, "t.hpol").diagnostics;
    expect(d.code).toBe("HP1005");
    // the `}` on line 4 closes `sequence {`, so the tree's own brace is the one left open
    expect(d.span.start).toBe(text.indexOf("{"));
    expect(d.labels[0].span.start).toBe(text.indexOf("tree U"));
  });
  it("parses on after a recovered error: later declarations keep their content", () => {
    const r = parse("tree A() { wait 5 }\ntree B() { sequence { check obs.x > 1 } }", "t.hpol");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["HP1008"]);
    expect(r.module.decls[1]).toMatchObject({ kind: "TreeDecl", body: { kind: "Composite", children: [{ kind: "Check" }] } });
  });
  it("huge nesting is a diagnostic, not a stack overflow", () => {
    expect(codes(`const x = ${"(".repeat(20000)}1${")".repeat(20000)}`)).toEqual(["HP1015"]);
    expect(codes(`const x = ${"not ".repeat(20000)}true`)).toEqual(["HP1015"]);
    expect(codes(`tree T() { ${"invert ".repeat(20000)}succeed }`)).toEqual(["HP1015"]);
    expect(codes(`const x = ${"(".repeat(50)}1${")".repeat(50)}`)).toEqual([]);
  });
});

describe("syntax catalog", () => {
  for (const entry of Object.values(syntaxCodes)) {
    it(`${entry.code} (${entry.title}): its example produces exactly that code`, () => {
      expect(entry.code).toMatch(/^HP1\d{3}$/);
      expect(entry.explanation.length).toBeGreaterThan(20);
      expect(codes(entry.example)).toEqual([entry.code]);
    });
  }
  it("codes are unique", () => {
    const all = Object.values(syntaxCodes).map((e) => e.code);
    expect(new Set(all).size).toBe(all.length);
  });
});
