// `hpol test <files...>`: check each spec, lower it, and run its test blocks through the reference runtime.
// A spec that does not check is not run: its diagnostics are printed (exit 1). A failing expectation prints
// what was expected, the actual values, the tick and the running node path of every layer (exit 1).
import { checkFiles } from "../../compiler/program.ts";
import { lower, LoweringBug } from "../../compiler/lower/lower.ts";
import { internalErrorDiagnostic } from "../internal-error.ts";
import { renderPretty } from "../../compiler/diagnostics/render.ts";
import { hasErrors, type Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { formatTestResult, runTests } from "../../runtime/test-runner.ts";
import type { CliIO } from "../io.ts";
import { ExitCode, exitCodeFor } from "../exit-codes.ts";
import { expandInputs } from "../inputs.ts";
import { summaryLine } from "../summary.ts";

export interface TestCommandOptions {
  readonly filter?: string;
  readonly seed?: number;
}

export async function runTestCommand(paths: readonly string[], options: TestCommandOptions, io: CliIO): Promise<number> {
  const files = expandInputs(paths);
  let passed = 0;
  let failed = 0;
  let worst: number = ExitCode.ok;
  for (const file of files) {
    const checked = checkFiles([file], { readFile: (p) => io.readFile(p) });
    const problems: Diagnostic[] = checked.diagnostics.filter((d) => d.severity === "error");
    if (hasErrors(problems) || !checked.program) {
      io.stdout(renderPretty(problems, checked.sources, { color: io.color }));
      io.stdout(`${file}: not run, ${summaryLine(problems, 1)}\n`);
      worst = Math.max(worst, exitCodeFor(problems));
      continue;
    }
    let ir;
    try {
      ir = lower(checked.program, checked.sources);
    } catch (error) {
      // A program the checker accepted but lowering cannot handle is a bug in hpol: report it where it happened.
      if (!(error instanceof LoweringBug)) throw error;
      const bug = internalErrorDiagnostic(error, "lowering", error.file ?? file);
      const located = error.span ? { ...bug, span: error.span } : bug;
      io.stdout(renderPretty([located], checked.sources, { color: io.color }));
      worst = ExitCode.internalError;
      continue;
    }
    if (ir.tests.length === 0) continue;
    const result = await runTests(ir, { ...(options.filter ? { filter: options.filter } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
    io.stdout(`${file}\n${formatTestResult(result)}\n`);
    passed += result.passed;
    failed += result.failed;
  }
  io.stdout(`${passed} passed, ${failed} failed in ${files.length} file${files.length === 1 ? "" : "s"}\n`);
  if (failed > 0) worst = Math.max(worst, ExitCode.userError);
  return worst;
}
