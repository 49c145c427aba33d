// Diagnostics are data. Every phase produces `Diagnostic` records through `diag(entry, ...)`, where the entry
// comes from the typed catalog (./codes/*). Rendering (pretty code frames, JSON for editors) is separate.
import type { Span } from "../../grammar/ast.ts";

export type Severity = "error" | "warning" | "info";

/** One catalog entry: a stable code with a typed message template, an explanation and an example. */
export interface CodeEntry<P = Record<string, never>> {
  readonly code: string;
  readonly severity: Severity;
  /** Short title for `hpol explain --list`. */
  readonly title: string;
  readonly message: (params: P) => string;
  /** Longer prose for `hpol explain`: why this is a problem and how to fix it. */
  readonly explanation: string;
  /**
   * A complete .hpol source that produces exactly this code (and no other error). The catalog test compiles
   * every example. Runtime (HP8xxx) entries may instead give a description of the failing situation.
   */
  readonly example: string;
}

export function defineCode<P = Record<string, never>>(entry: CodeEntry<P>): CodeEntry<P> {
  return entry;
}

export interface Label {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

/** A mechanical fix: replace the text at `span` in `file` with `replacement`. */
export interface Fix {
  readonly file: string;
  readonly span: Span;
  readonly replacement: string;
  readonly description: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly span: Span;
  /** Secondary locations, e.g. the other writer in a write-write conflict. */
  readonly labels: readonly Label[];
  readonly notes: readonly string[];
  readonly help?: string;
  readonly fix?: Fix;
}

export interface DiagExtras {
  readonly labels?: readonly Label[];
  readonly notes?: readonly string[];
  readonly help?: string;
  readonly fix?: Fix;
}

export function diag<P>(entry: CodeEntry<P>, file: string, span: Span, params: P, extras: DiagExtras = {}): Diagnostic {
  return {
    code: entry.code,
    severity: entry.severity,
    message: entry.message(params),
    file,
    span,
    labels: extras.labels ?? [],
    notes: extras.notes ?? [],
    ...(extras.help !== undefined ? { help: extras.help } : {}),
    ...(extras.fix !== undefined ? { fix: extras.fix } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order for output and baselines: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
