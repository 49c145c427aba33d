// src/grammar/chevrotain.ts loads chevrotain's single-file build from beside the package entry (the entry's ~300
// modules cost the CLI about 0.7 s per start). If a chevrotain upgrade moves that file, the grammar silently falls
// back to the slow entry; this test says so instead.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as used from "../../src/grammar/chevrotain.ts";

describe("chevrotain's single-file build", () => {
  const entry = createRequire(import.meta.url).resolve("chevrotain");
  const bundled = join(dirname(entry), "..", "chevrotain.mjs");

  it("sits beside the package entry, where the grammar looks for it", () => {
    expect(existsSync(bundled)).toBe(true);
  });

  it("exports every value the grammar takes from chevrotain", async () => {
    const lib = (await import(pathToFileURL(bundled).href)) as Record<string, unknown>;
    for (const name of Object.keys(used)) expect(typeof lib[name], name).not.toBe("undefined");
  });
});
