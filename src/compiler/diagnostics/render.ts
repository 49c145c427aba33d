// Rendering of diagnostics: a rustc/gleam-like pretty form with a code frame for people, and JSON records (1-based
// positions, LSP-like) for editors and LLM repair loops. Diagnostics stay offset-based data until here.
import { createColors } from "picocolors";
import type { Span } from "../../grammar/ast.ts";
import type { Diagnostic, Severity } from "./diagnostic.ts";
import { LineMap } from "./source.ts";

export interface RenderOptions {
  readonly color?: boolean;
}

const TAB = "    ";

export function renderPretty(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  opts: RenderOptions = {},
): string {
  const c = createColors(opts.color === true);
  const maps = new LineMaps(sources);
  return diags.map((d) => renderOne(d, maps, c)).join("\n");
}

type Colors = ReturnType<typeof createColors>;

interface Mark {
  readonly span: Span;
  readonly primary: boolean;
  readonly message: string;
}

function renderOne(d: Diagnostic, maps: LineMaps, c: Colors): string {
  const out: string[] = [];
  const sevColor = severityColor(d.severity, c);
  out.push(`${c.bold(sevColor(`${d.severity}[${d.code}]`))}${c.bold(`: ${d.message}`)}`);

  // marks grouped by file, the diagnostic's own file first
  const byFile = new Map<string, Mark[]>();
  byFile.set(d.file, [{ span: d.span, primary: true, message: "" }]);
  for (const l of d.labels) {
    const list = byFile.get(l.file) ?? [];
    list.push({ span: l.span, primary: false, message: l.message });
    byFile.set(l.file, list);
  }
  const allLines = [...byFile.entries()].flatMap(([file, marks]) => {
    const map = maps.get(file);
    return map ? marks.map((m) => map.position(m.span.end).line) : [1];
  });
  const gutter = String(Math.max(...allLines, 1)).length;
  const pad = " ".repeat(gutter);
  const bar = c.blue("|");

  let first = true;
  for (const [file, marks] of byFile) {
    const map = maps.get(file);
    const head = map ? map.position(marks[0].span.start) : undefined;
    const arrow = first ? "-->" : ":::";
    out.push(`${pad}${c.blue(arrow)} ${file}${head ? `:${head.line}:${head.column}` : ""}`);
    first = false;
    if (map === undefined) continue;
    out.push(`${pad} ${bar}`);
    out.push(...codeFrame(marks, map, gutter, c, sevColor));
  }
  if (d.notes.length > 0 || d.help !== undefined || d.fix !== undefined) out.push(`${pad} ${bar}`);
  for (const n of d.notes) out.push(`${pad} ${c.blue("=")} ${c.bold("note")}: ${n}`);
  if (d.help !== undefined) out.push(`${pad} ${c.blue("=")} ${c.bold("help")}: ${d.help}`);
  if (d.fix !== undefined) out.push(`${pad} ${c.blue("=")} ${c.bold("fix")}: ${d.fix.description}`);
  return out.join("\n") + "\n";
}

function codeFrame(marks: readonly Mark[], map: LineMap, gutter: number, c: Colors, sevColor: (s: string) => string): string[] {
  const out: string[] = [];
  const bar = c.blue("|");
  const pad = " ".repeat(gutter);
  // each mark sits on the line where it starts; a mark spanning lines is underlined to the end of its first line
  const placed = marks
    .map((m) => ({ m, start: map.position(m.span.start), end: map.position(m.span.end) }))
    .sort((a, b) => a.start.line - b.start.line || Number(b.m.primary) - Number(a.m.primary) || a.start.column - b.start.column);
  let lastLine = -1;
  for (let i = 0; i < placed.length; ) {
    const line = placed[i].start.line;
    if (lastLine !== -1 && line > lastLine + 1) out.push(c.blue("..."));
    const text = map.lineText(line);
    out.push(`${c.blue(String(line).padStart(gutter))} ${bar} ${expandTabs(text)}`);
    for (; i < placed.length && placed[i].start.line === line; i++) {
      const { m, start, end } = placed[i];
      const from = visualColumn(text, start.column - 1);
      const lastCol = end.line === line ? end.column - 1 : text.length;
      const to = Math.max(visualColumn(text, lastCol), from + 1);
      const underline = (m.primary ? "^" : "-").repeat(to - from);
      const colored = m.primary ? sevColor(underline) : c.blue(underline);
      const message = m.message === "" ? "" : " " + (m.primary ? sevColor(m.message) : c.blue(m.message));
      out.push(`${pad} ${bar} ${" ".repeat(from)}${colored}${message}`.trimEnd());
    }
    lastLine = line;
  }
  return out;
}

function expandTabs(s: string): string {
  return s.includes("\t") ? s.replace(/\t/g, TAB) : s;
}

/** Display column (0-based) of a 0-based character index, with tabs expanded. */
function visualColumn(line: string, index: number): number {
  let col = 0;
  const n = Math.min(index, line.length);
  for (let i = 0; i < n; i++) col += line.charCodeAt(i) === 9 ? TAB.length : 1;
  return col + Math.max(0, index - line.length);
}

function severityColor(s: Severity, c: Colors): (x: string) => string {
  return s === "error" ? c.red : s === "warning" ? c.yellow : c.cyan;
}

class LineMaps {
  private readonly cache = new Map<string, LineMap>();
  constructor(private readonly sources: ReadonlyMap<string, string>) {}
  get(file: string): LineMap | undefined {
    let m = this.cache.get(file);
    if (m === undefined) {
      const text = this.sources.get(file);
      if (text === undefined) return undefined;
      m = new LineMap(text);
      this.cache.set(file, m);
    }
    return m;
  }
}

// ---------------------------------------------------------------- JSON

export interface JsonRange {
  /** 1-based. */
  readonly line: number;
  /** 1-based, UTF-16 code units. */
  readonly column: number;
  readonly endLine: number;
  /** 1-based and exclusive: the column just past the last character (LSP-style). */
  readonly endColumn: number;
}

export interface JsonLabel extends JsonRange {
  readonly file: string;
  readonly message: string;
}

export interface JsonFix extends JsonRange {
  readonly description: string;
  readonly replacement: string;
}

export interface JsonRecord extends JsonRange {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly labels: readonly JsonLabel[];
  readonly notes: readonly string[];
  readonly help?: string;
  readonly fix?: JsonFix;
}

export function toJsonRecords(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): JsonRecord[] {
  const maps = new LineMaps(sources);
  const range = (file: string, span: Span): JsonRange => {
    const map = maps.get(file) ?? new LineMap("");
    const s = map.position(span.start);
    const e = map.position(span.end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  return diags.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    ...range(d.file, d.span),
    labels: d.labels.map((l) => ({ file: l.file, message: l.message, ...range(l.file, l.span) })),
    notes: d.notes,
    ...(d.help !== undefined ? { help: d.help } : {}),
    ...(d.fix !== undefined
      ? { fix: { description: d.fix.description, replacement: d.fix.replacement, ...range(d.fix.file, d.fix.span) } }
      : {}),
  }));
}

export function renderJson(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return JSON.stringify(toJsonRecords(diags, sources), null, 2);
}
