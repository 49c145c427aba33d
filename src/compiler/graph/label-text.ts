// Display text for graph labels: expressions as the user wrote them (sliced from the .hpol source through the IR's
// spans table), durations and rates in the language's own units, and a bound on label width. Without sources
// (an IR loaded from JSON) expressions fall back to the IR printer's s-expressions.
import type { IRSpan, PolicyIR } from "../../runtime/ir.ts";
import { printExpr } from "../../runtime/ir-print.ts";

/** Longest label line; longer text is cut with an ellipsis and shown whole in the tooltip. */
export const MAX_LINE = 48;

export class LabelText {
  constructor(
    private readonly ir: PolicyIR,
    private readonly sources: ReadonlyMap<string, string> | undefined,
  ) {}

  /** Source text of expression `id`, one line, comments dropped; the IR print when the source is unknown. */
  expr(id: number): string {
    const span = this.ir.spans.exprs[id];
    const text = span ? this.slice(span) : undefined;
    return text ?? printExpr(this.ir, id);
  }

  /** `file:line:column` of a node or declaration, or "" when it has none. */
  where(span: IRSpan | null | undefined): string {
    return span ? `${span.file}:${span.line}:${span.column}` : "";
  }

  private slice(span: IRSpan): string | undefined {
    const source = this.sources?.get(span.file);
    if (source === undefined || span.end > source.length || span.start >= span.end) return undefined;
    return oneLine(source.slice(span.start, span.end).replace(/\/\/[^\r\n]*/g, " "));
  }
}

/** Collapses every run of white space (line breaks included) to one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `text` cut to `max` characters (code points, so a surrogate pair is never split) with a trailing ellipsis. */
export function shorten(text: string, max = MAX_LINE): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
}

/** A duration in the language's notation: `250ms`, `2s`, `1.5s`. */
export function duration(ms: number): string {
  if (ms >= 1000 && Number.isInteger(ms / 100)) return `${ms / 1000}s`;
  return `${round(ms)}ms`;
}

/** A period as the rate it was most likely written as: `30 Hz` for 33.3 ms, `every 500ms` otherwise. */
export function rate(periodMs: number): string {
  const hz = 1000 / periodMs;
  const nearest = Math.round(hz * 100) / 100;
  if (Math.abs(hz - nearest) < 1e-6 && !Number.isInteger(periodMs)) return `${nearest} Hz`;
  if (Number.isInteger(hz) && hz >= 1) return `${hz} Hz`;
  return `every ${duration(periodMs)}`;
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/**
 * Text that every output format can carry: control characters (strings may hold them through `\n`, `\t` or a raw
 * byte), the line and paragraph separators and the XML non-characters and lone surrogates become visible escapes — `\n` and `\t` as a
 * user writes them in a string, others as `\u{…}`. Idempotent; renderers apply it before their own escaping.
 */
export function visible(text: string): string {
  // With the `u` flag a lone surrogate is one code point of the class; a well-formed pair never matches.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufffe\uffff]/gu, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u{${c.charCodeAt(0).toString(16)}}`,
  );
}
