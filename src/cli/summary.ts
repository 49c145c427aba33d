// The last line of `hpol check`: "2 errors, 1 warning in 3 files".
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.ts";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const files = plural(fileCount, "file");
  if (errors === 0 && warnings === 0) return `no problems in ${files}`;
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  return `${parts.join(", ")} in ${files}`;
}
