// The emitted module's IR literal: any text survives single-quoting exactly (nothing in a spec's names or
// paths can end the literal), and span files become relative to the spec's directory.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { singleQuoted, spanFileMapper } from "../../src/compiler/emit/embed-ir.ts";

describe("embedded IR", () => {
  it("single-quoted literals evaluate to their text", () => {
    for (const text of ["", "plain", "it's", "back\\slash", "'); process.exit(1); ('", "a\nb\r\u2028\u2029", '{"k":"\\"x\\""}', "\\'"]) {
      expect(new Function(`return ${singleQuoted(text)};`)()).toBe(text);
    }
  });

  it("span files are relative to the spec's directory with / separators", () => {
    const map = spanFileMapper(join("/", "home", "u", "proj"));
    expect(map(join("/", "home", "u", "proj", "spec.hpol"))).toBe("spec.hpol");
    expect(map(join("/", "home", "u", "proj", "lib", "common.hpol"))).toBe("lib/common.hpol");
    expect(map(join("/", "home", "u", "shared", "x.hpol"))).toBe("../shared/x.hpol");
    expect(spanFileMapper(undefined)("/abs/spec.hpol")).toBe("/abs/spec.hpol");
  });
});
