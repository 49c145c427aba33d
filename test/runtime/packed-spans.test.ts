// Packed spans (emitted modules) unpack to exactly the spans table they were made from.
import { describe, expect, it } from "vitest";
import { packSpans, unpackSpans } from "../../src/runtime/index.ts";
import type { IRSpan } from "../../src/runtime/index.ts";

describe("packed spans", () => {
  it("round-trip nulls, several files and large offsets", () => {
    const s = (file: string, start: number, line: number): IRSpan => ({ file, start, end: start + 17, line, column: 3 + (line % 7) });
    const spans = {
      nodes: [s("a.hpol", 0, 1), null, s("lib/b.hpol", 123456, 9000), s("a.hpol", 40, 2), null],
      exprs: [null, s("c d/it's.hpol", 7, 1), s("a.hpol", 99, 4)],
    };
    const packed = packSpans(spans);
    expect(packed.files).toEqual(["a.hpol", "lib/b.hpol", "c d/it's.hpol"]);
    expect(unpackSpans(JSON.parse(JSON.stringify(packed)))).toEqual(spans);
    expect(unpackSpans(packSpans({ nodes: [], exprs: [] }))).toEqual({ nodes: [], exprs: [] });
  });

  it("reject a file index outside the table", () => {
    expect(() => unpackSpans({ files: [], nodes: [0, 1, 2, 3, 4], exprs: [] })).toThrow(/file index 0/);
  });
});
