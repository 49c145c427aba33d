// HP9xxx — internal compiler errors
import { defineCode } from "../diagnostic.ts";

export const internalCodes = {
  internalError: defineCode<{ what: string; detail: string }>({
    code: "HP9001",
    severity: "error",
    title: "internal compiler error",
    message: (p) => `internal error while ${p.what}: ${p.detail}`,
    explanation:
      "hpol itself failed: an unexpected exception escaped one of its phases. This is a bug in hpol, not in " +
      "your spec. The command stops with exit code 2 and prints the exception's message; set HPOL_DEBUG=1 " +
      "to also print its stack trace. Please report it with the spec that triggers it.",
    example: "(no spec produces this code on purpose; it reports a bug in hpol)",
  }),
  formatterChangedMeaning: defineCode<{ file: string }>({
    code: "HP9002",
    severity: "error",
    title: "formatter output does not parse to the same program",
    message: (p) => `hpol fmt would change the meaning of ${p.file}; the file was left untouched`,
    explanation:
      "Before writing anything, `hpol fmt` parses its own output and compares it with the original syntax " +
      "tree. When they differ, the formatter has a bug; it refuses to touch the file rather than change what " +
      "the spec means. Please report it with the file.",
    example: "(no spec produces this code on purpose; it reports a bug in hpol fmt)",
  }),
} as const;
