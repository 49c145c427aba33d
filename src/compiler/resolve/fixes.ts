// Mechanical fixes shared by the resolver and the checker.
import type { Span } from "../../grammar/ast.ts";
import type { Fix } from "../diagnostics/diagnostic.ts";

/** Replace a misspelt name with the suggested one. */
export function renameFix(file: string, span: Span, replacement: string): Fix {
  return { file, span, replacement, description: `replace with \`${replacement}\`` };
}
