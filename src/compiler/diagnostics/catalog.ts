// The catalog of every diagnostic code, assembled from one file per category. Codes are stable: a code is
// never reused for a different problem. HP8xxx (runtime) entries live with the runtime, which cannot import
// the compiler; they are listed here so `hpol explain` covers them.
import type { CodeEntry } from "./diagnostic.ts";
import { syntaxCodes } from "./codes/syntax.ts";
import { namesCodes } from "./codes/names.ts";
import { typesCodes } from "./codes/types.ts";
import { structureCodes } from "./codes/structure.ts";
import { projectCodes } from "./codes/project.ts";
import { commandCodes } from "./codes/command.ts";
import { internalCodes } from "./codes/internal.ts";
import { runtimeCodes } from "../../runtime/errors.ts";
import { neuralCodes } from "../../runtime/neural/errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEntry = CodeEntry<any>;

export function allCodes(): AnyEntry[] {
  // Runtime entries have the same shape as CodeEntry (with a narrower severity), so they list alongside.
  const groups: Record<string, AnyEntry>[] = [
    syntaxCodes,
    namesCodes,
    typesCodes,
    structureCodes,
    projectCodes,
    commandCodes,
    runtimeCodes,
    neuralCodes,
    internalCodes,
  ];
  const entries = groups.flatMap((g) => Object.values(g));
  return entries.sort((a, b) => (a.code < b.code ? -1 : 1));
}

export function lookupCode(code: string): AnyEntry | undefined {
  const wanted = code.toUpperCase();
  return allCodes().find((e) => e.code === wanted);
}
