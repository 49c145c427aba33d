import { describe, expect, it } from "vitest";
import { editDistance, suggest } from "../../src/compiler/diagnostics/suggest.ts";
import { LineMap } from "../../src/compiler/diagnostics/source.ts";
import { Xoshiro128 } from "../../src/runtime/rng.ts";

describe("suggest", () => {
  it("measures transpositions as one edit", () => {
    expect(editDistance("patrol", "ptarol")).toBe(1);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
  it("proposes close names only", () => {
    expect(suggest("sequnce", ["selector", "sequence", "race"])).toBe("sequence");
    expect(suggest("Patrol", ["patrol", "attack"])).toBe("patrol");
    expect(suggest("zzz", ["patrol", "attack"])).toBeUndefined();
  });
});

describe("LineMap", () => {
  it("maps offsets to 1-based lines and columns across LF and CRLF", () => {
    const map = new LineMap("ab\r\ncd\nef");
    expect(map.position(0)).toEqual({ line: 1, column: 1 });
    expect(map.position(4)).toEqual({ line: 2, column: 1 });
    expect(map.position(8)).toEqual({ line: 3, column: 2 });
    expect(map.lineText(1)).toBe("ab");
    expect(map.offset({ line: 3, column: 2 })).toBe(8);
  });
});

describe("Xoshiro128", () => {
  it("is deterministic per seed and stream and stays in [0, 1)", () => {
    const a = new Xoshiro128(42, 3);
    const b = new Xoshiro128(42, 3);
    const c = new Xoshiro128(42, 4);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs.slice(0, 5));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
