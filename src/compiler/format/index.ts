// `format(text, file)`: the canonical layout of a spec (./printer.ts), or the syntax errors that prevent it.
// The result is checked before it is returned: the formatted text must parse to the same syntax tree, so a
// formatter bug can never change what a spec means (it becomes an HP9002 diagnostic instead).
import { parse } from "../../grammar/index.ts";
import type { Module } from "../../grammar/ast.ts";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { internalCodes } from "../diagnostics/codes/internal.ts";
import { printModule } from "./printer.ts";
import { sameSyntax } from "./syntax-shape.ts";

export type FormatResult = { readonly text: string } | { readonly diagnostics: readonly Diagnostic[] };

export function format(text: string, file: string): FormatResult {
  const parsed = parse(text, file);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { diagnostics: errors };
  let formatted: string;
  try {
    formatted = printModule(parsed.module, text);
  } catch (error) {
    // Only a tree the parser marked as clean reaches the printer; a throw here is a bug, reported as data.
    const detail = error instanceof Error ? error.message : String(error);
    return { diagnostics: [diag(internalCodes.internalError, file, { start: 0, end: 0 }, { what: "formatting", detail })] };
  }
  const reparsed = parse(formatted, file);
  const broken =
    reparsed.diagnostics.some((d) => d.severity === "error") ||
    !sameSyntax(parsed.module, reparsed.module) ||
    commentTexts(parsed.module) !== commentTexts(reparsed.module);
  if (broken) {
    return { diagnostics: [diag(internalCodes.formatterChangedMeaning, file, { start: 0, end: 0 }, { file })] };
  }
  return { text: formatted };
}

/** Every comment's text in source order: formatting may move a comment but never drop or alter one. */
function commentTexts(module: Module): string {
  return JSON.stringify(module.comments.map((c) => c.text.trimEnd()));
}

export { printModule } from "./printer.ts";
export { sameSyntax, syntaxShape } from "./syntax-shape.ts";
