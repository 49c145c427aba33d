// The list of every diagnostic code in docs/diagnostics.md is generated from the catalog; a test fails when
// the two disagree, and `node bin/run-ts.mjs test/cli/update-diagnostics-doc.ts` regenerates it.
import { allCodes } from "../compiler/diagnostics/catalog.ts";

export const CODE_TABLE_START = "<!-- codes:start (generated from the catalog; do not edit by hand) -->";
export const CODE_TABLE_END = "<!-- codes:end -->";

export function codeTableMarkdown(): string {
  const rows = allCodes().map((e) => `| ${e.code} | ${e.severity} | ${e.title.replace(/\|/g, "\\|")} |`);
  return ["| code | severity | title |", "|---|---|---|", ...rows].join("\n");
}

/** `doc` with the text between the markers replaced by the current table. */
export function withCodeTable(doc: string): string {
  const start = doc.indexOf(CODE_TABLE_START);
  const end = doc.indexOf(CODE_TABLE_END);
  if (start < 0 || end < start) throw new Error("docs/diagnostics.md has lost its code table markers");
  return doc.slice(0, start + CODE_TABLE_START.length) + "\n" + codeTableMarkdown() + "\n" + doc.slice(end);
}
