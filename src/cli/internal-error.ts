// An exception that escapes a command is a bug in hpol: it becomes an HP9001 diagnostic (exit code 2), printed
// like any other diagnostic. The stack trace is shown only with HPOL_DEBUG set, so users never see one by default.
import { diag, type Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { internalCodes } from "../compiler/diagnostics/codes/internal.ts";

export function internalErrorDiagnostic(error: unknown, what: string, file = "<hpol>"): Diagnostic {
  const detail = error instanceof Error ? error.message || error.name : String(error);
  return diag(internalCodes.internalError, file, { start: 0, end: 0 }, { what, detail }, {
    notes: ["this is a bug in hpol, not in your spec; please report it with the input that triggers it"],
    help: "run again with HPOL_DEBUG=1 to print the stack trace",
  });
}

export function debugStack(error: unknown): string | undefined {
  return error instanceof Error && error.stack ? error.stack : undefined;
}
