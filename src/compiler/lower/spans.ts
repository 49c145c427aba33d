// Source spans for the IR: offsets plus 1-based line/column, computed with one LineMap per file (built on
// first use), so the spans table costs O(log lines) per entry.
import type { Span } from "../../grammar/ast.ts";
import type { IRSpan } from "../../runtime/ir.ts";
import { LineMap } from "../diagnostics/source.ts";

export class SpanMapper {
  private readonly maps = new Map<string, LineMap>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  /** The IR span of `span` in `file`; a file whose text is unknown maps every offset to line 1. */
  map(file: string, span: Span): IRSpan {
    let lines = this.maps.get(file);
    if (lines === undefined) {
      lines = new LineMap(this.sources.get(file) ?? "");
      this.maps.set(file, lines);
    }
    const text = this.sources.get(file);
    const pos = text === undefined ? { line: 1, column: span.start + 1 } : lines.position(span.start);
    return { file, start: span.start, end: span.end, line: pos.line, column: pos.column };
  }

  /** The source text of a span (for test reports), or "" when the file is unknown. */
  text(file: string, span: Span): string {
    return this.sources.get(file)?.slice(span.start, span.end) ?? "";
  }
}
