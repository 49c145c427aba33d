// Semantic baselines: every test/cases/semantic/*.hpol is checked through the driver (imports and model files
// are real files next to the cases) and its diagnostics, rendered by the shared pretty renderer
// (test/support/baselines.ts), must equal the committed .errors.txt. Paths are repository-relative, so the
// cases can import and open models by relative path like any spec.
// Regenerate after an intended change with: HPOL_ACCEPT=1 npx vitest run test/checker/semantic-baselines.test.ts
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/compiler/program.ts";
import { renderBaseline } from "../support/baselines.ts";

const root = join(import.meta.dirname, "../..");
const dir = join(root, "test/cases/semantic");
const cases = readdirSync(dir).filter((f) => f.endsWith(".hpol")).sort();
const accept = process.env.HPOL_ACCEPT === "1";

describe("semantic baselines", () => {
  it("has at least 60 distinct error and warning situations", () => {
    const withDiagnostics = cases.filter((c) => {
      const baseline = join(dir, c.replace(/\.hpol$/, ".errors.txt"));
      return existsSync(baseline) && !readFileSync(baseline, "utf8").startsWith("(no diagnostics)");
    });
    expect(withDiagnostics.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)("%s", (name) => {
    const file = relative(root, join(dir, name));
    const prev = process.cwd();
    process.chdir(root);
    let rendered: string;
    try {
      const result = checkFiles([file]);
      rendered = renderBaseline(result);
    } finally {
      process.chdir(prev);
    }
    const baseline = join(dir, name.replace(/\.hpol$/, ".errors.txt"));
    if (accept || !existsSync(baseline)) writeFileSync(baseline, rendered);
    expect(rendered).toBe(readFileSync(baseline, "utf8"));
  });
});
