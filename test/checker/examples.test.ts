// Every example checks clean: no errors and no warnings, with their imports and model files read from disk.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/compiler/program.ts";

const dir = join(import.meta.dirname, "../../examples");
const examples = readdirSync(dir).filter((f) => f.endsWith(".hpol")).sort();

describe("examples check clean", () => {
  it("there are examples", () => expect(examples.length).toBeGreaterThanOrEqual(3));
  it.each(examples)("%s", (name) => {
    const result = checkFiles([join(dir, name)]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.program).toBeDefined();
  });
});
