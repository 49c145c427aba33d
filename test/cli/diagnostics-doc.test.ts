import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { allCodes } from "../../src/compiler/diagnostics/catalog.ts";
import { withCodeTable } from "../../src/cli/code-table.ts";

const doc = readFileSync(new URL("../../docs/diagnostics.md", import.meta.url), "utf8");

describe("docs/diagnostics.md", () => {
  it("lists exactly the catalog's codes (regenerate: node bin/run-ts.mjs test/cli/update-diagnostics-doc.ts)", () => {
    expect(doc).toBe(withCodeTable(doc));
  });
  it("names every code with its title", () => {
    for (const entry of allCodes()) expect(doc).toContain(`| ${entry.code} | ${entry.severity} | ${entry.title.replace(/\|/g, "\\|")} |`);
  });
});
