// The pretty and JSON renderers: code frame, carets, labels in other files, notes/help/fix, 1-based positions.
import { describe, expect, it } from "vitest";
import { diag } from "../../src/compiler/diagnostics/diagnostic.ts";
import { syntaxCodes } from "../../src/compiler/diagnostics/codes/syntax.ts";
import { renderJson, renderPretty, toJsonRecords } from "../../src/compiler/diagnostics/render.ts";

const text = "tree T() {\n\tsequnce {\n    succeed\n  }\n}\n";
const start = text.indexOf("sequnce");
const span = { start, end: start + "sequnce".length };
const d = diag(syntaxCodes.unknownKeyword, "a.hpol", span, { what: "a tree node", word: "sequnce" }, {
  labels: [{ file: "b.hpol", span: { start: 0, end: 4 }, message: "declared here" }],
  notes: ["a note"],
  help: "did you mean `sequence`?",
  fix: { file: "a.hpol", span, replacement: "sequence", description: "replace `sequnce` with `sequence`" },
});
const sources = new Map([
  ["a.hpol", text],
  ["b.hpol", "tree U() {}\n"],
]);

describe("renderPretty", () => {
  it("prints header, location, a code frame with tab-expanded carets, labels, notes, help and fix", () => {
    expect(renderPretty([d], sources)).toBe(
      [
        "error[HP1006]: expected a tree node, found `sequnce`",
        " --> a.hpol:2:2",
        "  |",
        "2 |     sequnce {",
        "  |     ^^^^^^^",
        " ::: b.hpol:1:1",
        "  |",
        "1 | tree U() {}",
        "  | ---- declared here",
        "  |",
        "  = note: a note",
        "  = help: did you mean `sequence`?",
        "  = fix: replace `sequnce` with `sequence`",
        "",
      ].join("\n"),
    );
  });
  it("colours only when asked", () => {
    expect(renderPretty([d], sources, { color: false })).not.toContain("\u001b[");
    expect(renderPretty([d], sources, { color: true })).toContain("\u001b[");
  });
  it("renders without a code frame when the source is unknown", () => {
    expect(renderPretty([d], new Map())).toContain(" --> a.hpol\n");
  });
});

describe("JSON records", () => {
  it("carry 1-based positions for the span, labels and fix", () => {
    const [r] = toJsonRecords([d], sources);
    expect(r).toEqual({
      code: "HP1006",
      severity: "error",
      message: "expected a tree node, found `sequnce`",
      file: "a.hpol",
      line: 2,
      column: 2,
      endLine: 2,
      endColumn: 9,
      labels: [{ file: "b.hpol", message: "declared here", line: 1, column: 1, endLine: 1, endColumn: 5 }],
      notes: ["a note"],
      help: "did you mean `sequence`?",
      fix: { description: "replace `sequnce` with `sequence`", replacement: "sequence", line: 2, column: 2, endLine: 2, endColumn: 9 },
    });
    expect(JSON.parse(renderJson([d], sources))).toEqual([r]);
  });
});
