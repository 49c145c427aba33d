// Exit codes of every hpol command (documented in docs/cli.md and docs/diagnostics.md).
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.ts";

export const ExitCode = {
  /** No errors (warnings allowed). */
  ok: 0,
  /** The user's input has errors (or `fmt --check` found unformatted files, or a usage error). */
  userError: 1,
  /** hpol itself failed (an HP9xxx diagnostic). */
  internalError: 2,
} as const;

export function isInternal(d: Diagnostic): boolean {
  return d.code.startsWith("HP9");
}

export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some(isInternal)) return ExitCode.internalError;
  if (diagnostics.some((d) => d.severity === "error")) return ExitCode.userError;
  return ExitCode.ok;
}
