import { describe, expect, it } from "vitest";
import type { Diagnostic, Severity } from "../../src/compiler/diagnostics/diagnostic.ts";
import { summaryLine } from "../../src/cli/summary.ts";
import { exitCodeFor } from "../../src/cli/exit-codes.ts";

const d = (severity: Severity, code = "HP2001"): Diagnostic => ({
  code,
  severity,
  message: "m",
  file: "f.hpol",
  span: { start: 0, end: 1 },
  labels: [],
  notes: [],
});

describe("summary line and exit code", () => {
  it("counts errors and warnings with plurals", () => {
    expect(summaryLine([d("error"), d("error"), d("warning")], 3)).toBe("2 errors, 1 warning in 3 files");
    expect(summaryLine([d("warning"), d("warning")], 1)).toBe("2 warnings in 1 file");
    expect(summaryLine([d("error")], 1)).toBe("1 error in 1 file");
    expect(summaryLine([], 2)).toBe("no problems in 2 files");
  });
  it("exits 0 with warnings only, 1 with errors, 2 with an internal error", () => {
    expect(exitCodeFor([d("warning")])).toBe(0);
    expect(exitCodeFor([d("warning"), d("error")])).toBe(1);
    expect(exitCodeFor([d("error"), d("error", "HP9001")])).toBe(2);
  });
});
