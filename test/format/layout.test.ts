import { describe, expect, it } from "vitest";
import type { Comment } from "../../src/grammar/ast.ts";
import { Layout } from "../../src/compiler/format/layout.ts";

/** The comments of `source` found by a naive scan (enough for these hand-written sources). */
function commentsOf(source: string): Comment[] {
  const out: Comment[] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    out.push({ span: { start: m.index, end: m.index + m[0].length }, text: m[0], block: m[0].startsWith("/*") });
  }
  return out;
}

const at = (source: string, needle: string) => source.indexOf(needle);

describe("Layout comment placement", () => {
  it("puts own-line comments before the item that follows them and trailing ones after the line they ended", () => {
    const src = "// head\nsequence { // opens\n  check a // after a\n  /* before b */\n  check b\n  // last\n}\n";
    const out = new Layout(src, commentsOf(src));
    out.item(at(src, "sequence"), "sequence");
    const block = out.open();
    out.item(at(src, "check a"), "check a");
    out.item(at(src, "check b"), "check b");
    out.close(block, src.lastIndexOf("}"));
    expect(out.finish()).toBe("// head\nsequence { // opens\n  check a // after a\n  /* before b */\n  check b\n  // last\n}\n");
  });
  it("keeps one blank line where the source had several and none at the start of a block", () => {
    const src = "sequence {\n\n\n  check a\n\n\n  check b\n}\n";
    const out = new Layout(src, []);
    out.item(0, "sequence");
    const block = out.open();
    out.item(at(src, "check a"), "check a");
    out.item(at(src, "check b"), "check b");
    out.close(block, src.lastIndexOf("}"));
    expect(out.finish()).toBe("sequence {\n  check a\n\n  check b\n}\n");
  });
  it("collapses an empty block and keeps a comment inside one", () => {
    const empty = "race {}";
    const a = new Layout(empty, []);
    a.item(0, "race");
    a.close(a.open(), empty.length - 1);
    expect(a.finish()).toBe("race {}\n");
    const commented = "race {\n// todo\n}";
    const b = new Layout(commented, commentsOf(commented));
    b.item(0, "race");
    b.close(b.open(), commented.length - 1);
    expect(b.finish()).toBe("race {\n  // todo\n}\n");
  });
  it("never appends after a line comment", () => {
    const src = "check a and // why\n  /* note */ b\ncheck c";
    const out = new Layout(src, commentsOf(src));
    out.item(0, "check a and b");
    out.item(at(src, "check c"), "check c");
    // `/* note */` has code before it on its source line only if it follows `// why` on the same line; it does
    // not, so it gets its own line; nothing is glued after `// why`.
    expect(out.finish()).toBe("check a and b // why\n/* note */\ncheck c\n");
  });
  it("requires exactly one blank line between top-level declarations", () => {
    const src = "type A = int\ntype B = int\n// about C\ntype C = int";
    const out = new Layout(src, commentsOf(src));
    for (const name of ["A", "B", "C"]) {
      out.item(at(src, `type ${name}`), `type ${name} = int`);
      out.requireBlankLine();
    }
    expect(out.finish()).toBe("type A = int\n\ntype B = int\n\n// about C\ntype C = int\n");
  });
});
