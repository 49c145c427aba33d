// `hpol explain HPxxxx` prints one catalog entry; `hpol explain --list` lists every code.
import pc from "picocolors";
import { allCodes, lookupCode } from "../../compiler/diagnostics/catalog.ts";
import type { CodeEntry, Severity } from "../../compiler/diagnostics/diagnostic.ts";
import { suggest } from "../../compiler/diagnostics/suggest.ts";
import type { CliIO } from "../io.ts";
import { ExitCode } from "../exit-codes.ts";

type AnyEntry = CodeEntry<never>;
type Colors = ReturnType<typeof pc.createColors>;

function paintSeverity(c: Colors, severity: Severity): string {
  return severity === "error" ? c.red(severity) : severity === "warning" ? c.yellow(severity) : c.cyan(severity);
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? "" : by + line))
    .join("\n");
}

/** The text `hpol explain CODE` prints for one entry. */
export function explainEntry(entry: AnyEntry, color: boolean): string {
  const c = pc.createColors(color);
  return [
    `${c.bold(entry.code)} ${paintSeverity(c, entry.severity)}: ${c.bold(entry.title)}`,
    "",
    entry.explanation,
    "",
    c.bold("Example:"),
    "",
    indent(entry.example.replace(/\s+$/, ""), "    "),
    "",
  ].join("\n");
}

/** One line per code: code, severity, title, in code order. */
export function listEntries(color: boolean): string {
  const c = pc.createColors(color);
  return (
    allCodes()
      .map((e) => `${c.bold(e.code)}  ${paintSeverity(c, e.severity)}${" ".repeat(8 - e.severity.length)}${e.title}`)
      .join("\n") + "\n"
  );
}

export function runExplain(code: string | undefined, list: boolean, io: CliIO): number {
  if (list) {
    io.stdout(listEntries(io.color));
    return ExitCode.ok;
  }
  if (code === undefined) {
    io.stderr("error: name a diagnostic code (e.g. `hpol explain HP2001`) or use --list\n");
    return ExitCode.userError;
  }
  // `hpol explain 2001` and `hpol explain hp2001` mean HP2001.
  const normalised = /^\d{4}$/.test(code.trim()) ? `HP${code.trim()}` : code.trim().toUpperCase();
  const entry = lookupCode(normalised);
  if (!entry) {
    // Ties go to the earlier candidate, so codes of the same category (HP2xxx, …) come first.
    const codes = allCodes().map((e) => e.code);
    const sameCategory = (c: string) => c.slice(0, 3) === normalised.slice(0, 3);
    const close = suggest(normalised, [...codes.filter(sameCategory), ...codes.filter((c) => !sameCategory(c))]);
    const hint = close ? `; did you mean \`${close}\`?` : "; `hpol explain --list` shows every code";
    io.stderr(`error: unknown diagnostic code \`${code}\`${hint}\n`);
    return ExitCode.userError;
  }
  io.stdout(explainEntry(entry, io.color));
  return ExitCode.ok;
}
