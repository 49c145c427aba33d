// `hpol check <files...> [--format pretty|json]`: parse and check, print every diagnostic, exit 0/1/2.
import { checkFiles, type CheckFilesOptions } from "../../compiler/program.ts";
import { realpathOrUndefined } from "../../runtime/neural/model-paths.ts";
import { renderJson, renderPretty } from "../../compiler/diagnostics/render.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import type { CliIO } from "../io.ts";
import { summaryLine } from "../summary.ts";
import { exitCodeFor } from "../exit-codes.ts";
import { internalErrorDiagnostic, debugStack } from "../internal-error.ts";
import { expandInputs } from "../inputs.ts";

export type OutputFormat = "pretty" | "json";

export function runCheck(paths: readonly string[], format: OutputFormat, io: CliIO, options: CheckFilesOptions = {}): number {
  const files = expandInputs(paths);
  let diagnostics: Diagnostic[];
  let sources: ReadonlyMap<string, string>;
  try {
    const result = checkFiles(files, { readFile: (p) => io.readFile(p), realpath: realpathOrUndefined }, options);
    diagnostics = result.diagnostics;
    sources = result.sources;
  } catch (error) {
    diagnostics = [internalErrorDiagnostic(error, "checking")];
    sources = new Map();
    const stack = debugStack(error);
    if (io.env.HPOL_DEBUG && stack) io.stderr(stack + "\n");
  }
  if (format === "json") {
    io.stdout(renderJson(diagnostics, sources) + "\n");
  } else {
    if (diagnostics.length > 0) io.stdout(renderPretty(diagnostics, sources, { color: io.color }));
    io.stdout(summaryLine(diagnostics, files.length) + "\n");
  }
  return exitCodeFor(diagnostics);
}
