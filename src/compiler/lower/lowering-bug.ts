// Lowering runs only on programs the checker accepted, so anything it cannot lower is a bug in hpol (a checker
// gap or a lowering gap), never a user mistake. It is thrown as LoweringBug, which the driver turns into an
// HP9001 internal-error diagnostic located at `file`/`span`.
import type { Span } from "../../grammar/ast.ts";

export class LoweringBug extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly span?: Span,
  ) {
    super(file !== undefined && span !== undefined ? `${message} (${file}@${span.start}..${span.end})` : message);
    this.name = "LoweringBug";
  }
}
