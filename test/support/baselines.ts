// Baseline tests for diagnostics: every `test/cases/<suite>/*.hpol` is run through a `diagnose` function and its
// uncoloured pretty rendering is compared with the committed `<name>.errors.txt` beside it. `HPOL_ACCEPT=1`
// (`npm run accept`) rewrites the baselines instead of comparing; review the diff before committing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { expect, it } from "vitest";
import { sortDiagnostics, type Diagnostic } from "../../src/compiler/diagnostics/diagnostic.ts";
import { renderPretty } from "../../src/compiler/diagnostics/render.ts";

export interface Diagnosed {
  readonly diagnostics: readonly Diagnostic[];
  /** File name → text, for the code frames (include every file a label points into). */
  readonly sources: ReadonlyMap<string, string>;
}

export type Diagnose = (file: string, text: string) => Diagnosed | Promise<Diagnosed>;

export const casesRoot = join(import.meta.dirname, "..", "cases");

/** The `.hpol` case files of a suite, sorted. */
export function caseFiles(suite: string): string[] {
  const dir = join(casesRoot, suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".hpol"))
    .sort()
    .map((f) => join(dir, f));
}

/** The baseline text: rendered diagnostics, or a fixed line when there are none. */
export function renderBaseline(result: Diagnosed): string {
  if (result.diagnostics.length === 0) return "(no diagnostics)\n";
  return renderPretty(sortDiagnostics(result.diagnostics), result.sources, { color: false });
}

/**
 * Registers one vitest test per case of `suite`. The file name passed to `diagnose` is the case's base name
 * (e.g. `unclosed-block.hpol`), so baselines do not depend on where the repository lives.
 */
export function baselineSuite(suite: string, diagnose: Diagnose): void {
  const accept = process.env["HPOL_ACCEPT"] === "1";
  const files = caseFiles(suite);
  it(`suite ${suite} has cases`, () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const path of files) {
    const name = basename(path);
    it(name, async () => {
      const text = readFileSync(path, "utf8");
      const actual = renderBaseline(await diagnose(name, text));
      const baselinePath = path.replace(/\.hpol$/, ".errors.txt");
      if (accept) {
        writeFileSync(baselinePath, actual);
        return;
      }
      if (!existsSync(baselinePath)) {
        throw new Error(`no baseline ${basename(baselinePath)}; run \`npm run accept\` and review it`);
      }
      expect(actual).toBe(readFileSync(baselinePath, "utf8"));
    });
  }
}
