// Every HP2xxx–HP5xxx code defined by the checker has an example that produces exactly that code: the
// example is written to a scratch directory (next to the files examples refer to: aim.onnx, broken.onnx,
// lib.hpol, the import chain chain/c1.hpol … c40.hpol) and checked through the real driver and model reader.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFiles } from "../../src/compiler/program.ts";
import { namesCodes } from "../../src/compiler/diagnostics/codes/names.ts";
import { typesCodes } from "../../src/compiler/diagnostics/codes/types.ts";
import { structureCodes } from "../../src/compiler/diagnostics/codes/structure.ts";
import { projectCodes } from "../../src/compiler/diagnostics/codes/project.ts";
import { lookupCode } from "../../src/compiler/diagnostics/catalog.ts";
import type { CodeEntry } from "../../src/compiler/diagnostics/diagnostic.ts";
import { runExplain } from "../../src/cli/commands/explain.ts";
import type { CliIO } from "../../src/cli/io.ts";
import { writeOnnxFixtures } from "./model-fixtures.ts";

function explain(code: string): { status: number; out: string } {
  let out = "";
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), color: false, env: {}, readFile: () => undefined, writeFile: () => undefined };
  const status = runExplain(code, false, io);
  return { status, out };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const entries: CodeEntry<any>[] = [namesCodes, typesCodes, structureCodes, projectCodes].flatMap((g) => Object.values(g));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hpol-catalog-"));
  writeOnnxFixtures(dir);
  writeFileSync(join(dir, "broken.onnx"), "not a model");
  writeFileSync(join(dir, "lib.hpol"), "enum Color { Red, Green }\n");
  // An import chain longer than the default importDepth (HP5014): chain/c1.hpol imports c2.hpol, … c40.hpol.
  mkdirSync(join(dir, "chain"));
  for (let i = 1; i <= 40; i++) {
    writeFileSync(join(dir, "chain", `c${i}.hpol`), i < 40 ? `import { C${i + 1} } from "c${i + 1}.hpol"\nconst C${i}: int = C${i + 1}\n` : "const C40: int = 1\n");
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("checker diagnostic catalog", () => {
  it("has unique codes in the right ranges", () => {
    const codes = entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of entries) expect(e.code).toMatch(/^HP[2-5]\d{3}$/);
  });

  it.each(entries.map((e) => [e.code, e] as const))("%s: its example produces exactly that code", (code, entry) => {
    const file = join(dir, "example.hpol");
    writeFileSync(file, entry.example);
    const result = checkFiles([file]);
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes.length).toBeGreaterThan(0);
    expect([...new Set(codes)]).toEqual([code]);
    expect(result.diagnostics.every((d) => d.severity === entry.severity)).toBe(true);
    // `hpol explain` shows the entry: code, title, explanation and this very example.
    expect(lookupCode(code)?.title).toBe(entry.title);
    const shown = explain(code);
    expect(shown.status).toBe(0);
    expect(shown.out).toContain(`${code} ${entry.severity}: ${entry.title}`);
    expect(shown.out).toContain(entry.example.trim().split("\n")[0]);
  });
});
