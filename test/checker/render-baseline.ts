// A plain-text rendering of diagnostics for the semantic baselines: code, severity, message, exact position,
// the source line with carets under the span, labels, notes, help and the mechanical fix. Colour-free and
// stable, so a diff shows exactly what changed.
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.ts";
import { LineMap } from "../../src/compiler/diagnostics/source.ts";

export function renderBaseline(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  if (diagnostics.length === 0) return "(no diagnostics)\n";
  const maps = new Map<string, LineMap>();
  const mapOf = (file: string) => {
    let m = maps.get(file);
    if (m === undefined) {
      m = new LineMap(sources.get(file) ?? "");
      maps.set(file, m);
    }
    return m;
  };
  const at = (file: string, offset: number) => {
    const p = mapOf(file).position(offset);
    return `${p.line}:${p.column}`;
  };
  const out: string[] = [];
  for (const d of diagnostics) {
    const map = mapOf(d.file);
    const start = map.position(d.span.start);
    const end = map.position(d.span.end);
    out.push(`${d.severity}[${d.code}]: ${d.message}`);
    out.push(`  --> ${d.file}:${start.line}:${start.column}`);
    const text = map.lineText(start.line);
    const width = Math.max(1, end.line === start.line ? end.column - start.column : text.length - start.column + 1);
    const gutter = String(start.line).length;
    out.push(`${" ".repeat(gutter)} |`);
    out.push(`${start.line} | ${text}`);
    out.push(`${" ".repeat(gutter)} | ${" ".repeat(start.column - 1)}${"^".repeat(width)}`);
    for (const l of d.labels) out.push(`  = label ${l.file}:${at(l.file, l.span.start)}: ${l.message}`);
    for (const n of d.notes) out.push(`  = note: ${n}`);
    if (d.help) out.push(`  = help: ${d.help}`);
    if (d.fix) out.push(`  = fix: replace ${at(d.fix.file, d.fix.span.start)}-${at(d.fix.file, d.fix.span.end)} with \`${d.fix.replacement}\``);
    out.push("");
  }
  return out.join("\n");
}
