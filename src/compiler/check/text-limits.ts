// Identifier and string-literal lengths (limits identifierLength, stringLength; HP5015), checked on each parsed
// module before resolution. Names reach generated code, traces and messages, and nothing legitimate needs them
// long; one diagnostic per over-long token.
import type { Module } from "../../grammar/ast.ts";
import type { Span } from "../../grammar/ast.ts";
import { limitHelp, type Limits } from "../../runtime/limits.ts";
import { projectCodes } from "../diagnostics/codes/project.ts";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { forEachSyntaxNode } from "./limits.ts";

export function checkTextLimits(module: Module, file: string, limits: Limits): Diagnostic[] {
  const out: Diagnostic[] = [];
  forEachSyntaxNode(module, (n) => {
    const node = n as { readonly kind: string; readonly name?: unknown; readonly value?: unknown; readonly span: Span };
    if ((node.kind === "Ident" || node.kind === "NameRef") && typeof node.name === "string" && node.name.length > limits.identifierLength) {
      out.push(diag(projectCodes.textTooLong, file, node.span, { what: "identifier", length: node.name.length, max: limits.identifierLength, limit: "identifierLength" }, { help: limitHelp("identifierLength") }));
    } else if (node.kind === "StringLit" && typeof node.value === "string" && node.value.length > limits.stringLength) {
      out.push(diag(projectCodes.textTooLong, file, node.span, { what: "string", length: node.value.length, max: limits.stringLength, limit: "stringLength" }, { help: limitHelp("stringLength") }));
    }
  });
  return out.sort((a, b) => a.span.start - b.span.start);
}
