// Regenerates the code list in docs/diagnostics.md from the catalog:
//   node bin/run-ts.mjs test/cli/update-diagnostics-doc.ts
import { readFileSync, writeFileSync } from "node:fs";
import { withCodeTable } from "../../src/cli/code-table.ts";

const path = new URL("../../docs/diagnostics.md", import.meta.url);
const before = readFileSync(path, "utf8");
const after = withCodeTable(before);
writeFileSync(path, after);
console.log(before === after ? "docs/diagnostics.md is up to date" : "docs/diagnostics.md: code list regenerated");
