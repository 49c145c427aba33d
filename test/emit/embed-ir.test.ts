// The emitted module's IR literal: any text survives single-quoting exactly (nothing in a spec's names or
// paths can end the literal), and span files become relative to the spec's directory.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { irJson, singleQuoted, spanFileMapper } from "../../src/compiler/emit/embed-ir.ts";
import { IRBuilder, check } from "../runtime/support/builder.ts";
import type { PolicyIR } from "../../src/runtime/index.ts";

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

  it("irJson maps the file of every span, declarations included, whatever characters paths hold", () => {
    const b = new IRBuilder("p");
    const c = b.condition("ready");
    b.executor("E", { periodMs: 100, default: check(b.ext(c)) });
    const built = b.build();
    const root = join("/", "w", 'odd "dir"\\x');
    const at = (file: string) => ({ file, start: 0, end: 1, line: 1, column: 1 });
    const ir: PolicyIR = {
      ...built,
      externs: built.externs.map((x) => ({ ...x, span: at(join(root, "lib", "ext.hpol")) })),
      spans: { nodes: built.spans.nodes.map(() => at(join(root, "main.hpol"))), exprs: built.spans.exprs },
    };
    const out = JSON.parse(irJson(ir, root)) as PolicyIR;
    expect(out.externs[0]!.span!.file).toBe("lib/ext.hpol");
    expect(out.spans.nodes.every((s) => s!.file === "main.hpol")).toBe(true);
    expect({ ...out, externs: ir.externs, spans: ir.spans }).toEqual(ir);
  });
});
