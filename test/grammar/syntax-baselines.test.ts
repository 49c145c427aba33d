// Baselines for syntax errors: test/cases/syntax/*.hpol → *.errors.txt (see test/support/baselines.ts).
import { describe } from "vitest";
import { parse } from "../../src/grammar/index.ts";
import { baselineSuite } from "../support/baselines.ts";

describe("syntax baselines", () => {
  baselineSuite("syntax", (file, text) => ({ diagnostics: parse(text, file).diagnostics, sources: new Map([[file, text]]) }));
});
