// `hpol fmt <files...> [--check|--write]`: canonical layout. Without a flag the formatted text goes to stdout;
// --check lists the files that would change (exit 1 if any); --write rewrites them in place. A file with
// syntax errors is never formatted: its errors are printed instead (exit 1).
import { format } from "../../compiler/format/index.ts";
import { renderPretty } from "../../compiler/diagnostics/render.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import type { CliIO } from "../io.ts";
import { ExitCode, exitCodeFor } from "../exit-codes.ts";
import { expandInputs } from "../inputs.ts";
import { unreadableFile } from "../unreadable.ts";

export type FmtMode = "print" | "check" | "write";

export function runFmt(paths: readonly string[], mode: FmtMode, io: CliIO): number {
  const files = expandInputs(paths);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const changed: string[] = [];
  for (const file of files) {
    const text = io.readFile(file);
    if (text === undefined) {
      diagnostics.push(unreadableFile(file));
      continue;
    }
    sources.set(file, text);
    const result = format(text, file);
    if ("diagnostics" in result) {
      diagnostics.push(...result.diagnostics);
      continue;
    }
    if (mode === "print") {
      if (files.length > 1) io.stdout(`// ${file}\n`);
      io.stdout(result.text);
    } else if (result.text !== text) {
      changed.push(file);
      if (mode === "write") io.writeFile(file, result.text);
    }
  }
  if (diagnostics.length > 0) {
    io.stderr(renderPretty(diagnostics, sources, { color: io.color }));
    io.stderr(`not formatted: ${new Set(diagnostics.map((d) => d.file)).size} file(s) with errors\n`);
  }
  if (mode === "check") {
    for (const file of changed) io.stdout(`${file}\n`);
    if (changed.length > 0) io.stderr(`${changed.length} file(s) would be reformatted\n`);
  } else if (mode === "write") {
    for (const file of changed) io.stderr(`formatted ${file}\n`);
  }
  const code = exitCodeFor(diagnostics);
  if (code !== ExitCode.ok) return code;
  return mode === "check" && changed.length > 0 ? ExitCode.userError : ExitCode.ok;
}
