// The front half shared by `hpol test`, `hpol run`, `hpol build` and `hpol graph`: check one spec and lower it to IR,
// printing diagnostics on the way. Returns the IR, or the exit code to stop with.
import { checkFiles, type CheckFilesOptions } from "../compiler/program.ts";
import { realpathOrUndefined } from "../runtime/neural/model-paths.ts";
import { lower, LoweringBug } from "../compiler/lower/lower.ts";
import { renderPretty } from "../compiler/diagnostics/render.ts";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import type { PolicyIR } from "../runtime/ir.ts";
import type { TypedProgram } from "../compiler/check/typed-program.ts";
import { internalErrorDiagnostic } from "./internal-error.ts";
import type { CliIO } from "./io.ts";
import { ExitCode, exitCodeFor } from "./exit-codes.ts";
import { summaryLine } from "./summary.ts";

export type CompiledSpec =
  | { readonly ok: true; readonly ir: PolicyIR; readonly sources: ReadonlyMap<string, string>; readonly program: TypedProgram }
  | { readonly ok: false; readonly exit: number };

/** Check and lower `file`. Errors are printed to stdout (pretty) and turned into an exit code. */
export function compileSpec(file: string, io: CliIO, verb: string, options: CheckFilesOptions = {}): CompiledSpec {
  const checked = checkFiles([file], { readFile: (p) => io.readFile(p), realpath: realpathOrUndefined }, options);
  const errors: Diagnostic[] = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !checked.program) {
    io.stdout(renderPretty(errors, checked.sources, { color: io.color }));
    io.stdout(`${file}: not ${verb}, ${summaryLine(errors, 1)}\n`);
    return { ok: false, exit: errors.length > 0 ? exitCodeFor(errors) : ExitCode.userError };
  }
  try {
    return { ok: true, ir: lower(checked.program, checked.sources), sources: checked.sources, program: checked.program };
  } catch (error) {
    // A program the checker accepted but lowering cannot handle is a bug in hpol: report it where it happened.
    if (!(error instanceof LoweringBug)) throw error;
    const bug = internalErrorDiagnostic(error, "lowering", error.file ?? file);
    const located = error.span ? { ...bug, span: error.span } : bug;
    io.stdout(renderPretty([located], checked.sources, { color: io.color }));
    return { ok: false, exit: ExitCode.internalError };
  }
}
