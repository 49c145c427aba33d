// The example specs are what users copy. Every one must parse and check with no diagnostics and pass its own
// test blocks through the reference runtime (with the real model files); together they must exercise every
// construct of the language, i.e. every node kind and variant of the AST contract (src/grammar/ast.ts). The
// language reference is held to the same sources: its grammar excerpts, keyword lists and complete specs.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/grammar/index.ts";
import type { Module } from "../../src/grammar/ast.ts";
import { contextualWords, reservedWords } from "../../src/grammar/tokens.ts";
import { checkFiles, checkSource } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { runTests, formatTestResult } from "../../src/runtime/test-runner.ts";
import { createNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { allVariants, coveredVariants, readAstShapes } from "./ast-shapes.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const examplesDir = join(root, "examples");

function hpolFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...hpolFiles(path));
    else if (entry.name.endsWith(".hpol")) out.push(path);
  }
  return out.sort();
}

const files = hpolFiles(examplesDir);
const parsed = new Map<string, Module>();

/**
 * Variants that are not constructs of their own: a file without a `module` header is the same module minus an
 * optional name; `ErrorExpr` is what the parser produces for broken input, which no example may contain; and
 * tensor dtypes other than `f32` are data of a model signature (the checker's model tests cover each against
 * real files), not syntax an example policy needs to show.
 */
const NOT_CONSTRUCTS = new Set([
  "Module.name:absent",
  "ErrorExpr",
  "TensorType.dtype=f64",
  "TensorType.dtype=i32",
  "TensorType.dtype=i64",
  "TensorType.dtype=bool",
]);

describe("examples", () => {
  it("include the required policies and a shared library", () => {
    const names = files.map((f) => relative(examplesDir, f));
    const required = ["shooter.hpol", "pick_and_place.hpol", "cooperative.hpol", "strategist.hpol", "guarded.hpol"];
    expect(names).toEqual(expect.arrayContaining([...required, "lib/common.hpol"]));
  });

  for (const file of files) {
    it(`${relative(root, file)} parses with no diagnostics`, () => {
      const result = parse(readFileSync(file, "utf8"), file);
      const rendered = result.diagnostics.map((d) => `${d.code} at ${d.span.start}: ${d.message}`);
      expect(rendered).toEqual([]);
      parsed.set(file, result.module);
    });
  }

  it("include the complete specs of docs/language.md, which parse with no diagnostics", () => {
    const specs = completeDocSpecs();
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) {
      const result = parse(spec, "docs/language.md");
      expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    }
  });

  const policies = files.filter((f) => !f.includes(`${join("examples", "lib")}`));

  for (const file of policies) {
    it(`${relative(root, file)} checks with no diagnostics`, () => {
      const result = checkFiles([file]);
      const rendered = result.diagnostics.map((d) => `${d.severity} ${d.code} ${relative(root, d.file)}@${d.span.start}: ${d.message}`);
      expect(rendered).toEqual([]);
      expect(result.program).toBeDefined();
    });

    it(`${relative(root, file)} passes its own test blocks`, async () => {
      const checked = checkFiles([file]);
      expect(checked.program).toBeDefined();
      const ir = lower(checked.program!, checked.sources);
      expect(ir.tests.length).toBeGreaterThan(0);
      const neural = createNeuralHost(ir, dirname(file));
      try {
        const result = await runTests(ir, neural ? { neural } : {});
        const errors = result.tests.flatMap((t) => t.errors.map((e) => `${t.name}: ${e.code} ${e.message}`));
        expect(errors).toEqual([]);
        expect(result.failed, formatTestResult(result)).toBe(0);
      } finally {
        await neural?.close();
      }
    });
  }

  it("the complete specs of docs/language.md check with no diagnostics", () => {
    for (const spec of completeDocSpecs()) {
      const result = checkSource(spec, join(root, "docs", "language-spec.hpol"));
      expect(result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    }
  });

  it("quote docs/grammar.ebnf faithfully in docs/language.md", () => {
    const grammar = new Set(readFileSync(join(root, "docs/grammar.ebnf"), "utf8").split("\n").map((l) => l.trimEnd()));
    const doc = readFileSync(join(root, "docs/language.md"), "utf8");
    const quoted = [...doc.matchAll(/```ebnf\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
    expect(quoted.length).toBeGreaterThan(50);
    expect(quoted.filter((l) => l.trim() !== "" && !grammar.has(l.trimEnd()))).toEqual([]);
  });

  it("list exactly the lexer's reserved and contextual keywords in docs/language.md", () => {
    const doc = readFileSync(join(root, "docs/language.md"), "utf8");
    const listAfter = (marker: string): string[] => {
      const at = doc.indexOf(marker);
      expect(at).toBeGreaterThan(0);
      const block = /```\n([\s\S]*?)```/.exec(doc.slice(at));
      return (block?.[1] ?? "").split(/\s+/).filter((w) => w !== "").sort();
    };
    expect(listAfter("**Reserved keywords**")).toEqual([...reservedWords].sort());
    expect(listAfter("**Contextual keywords**")).toEqual([...contextualWords].sort());
  });

  it("exercise every construct of the AST contract", () => {
    const modules = files.map((file) => parsed.get(file) ?? parse(readFileSync(file, "utf8"), file).module);
    const shapes = readAstShapes(join(root, "src/grammar/ast.ts"));
    const covered = new Set<string>();
    for (const module of modules) coveredVariants(module, shapes, covered);
    const missing = [...allVariants(shapes)].filter((v) => !covered.has(v) && !NOT_CONSTRUCTS.has(v)).sort();
    expect(missing).toEqual([]);
  });

  it("write through an indexed state path and import from the shared library", () => {
    const modules = files.map((file) => parsed.get(file) ?? parse(readFileSync(file, "utf8"), file).module);
    expect(modules.some(hasIndexedLValue)).toBe(true);
    const importers = modules.filter((m) => m.imports.some((i) => i.from.value.endsWith("lib/common.hpol")));
    expect(importers.length).toBeGreaterThanOrEqual(3);
  });
});

/** An LValue path element that is an expression rather than a field name: `state.visits[state.leg]`. */
function hasIndexedLValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIndexedLValue);
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  if (record.kind === "LValue" && Array.isArray(record.path)) {
    if ((record.path as { kind?: string }[]).some((p) => p.kind !== "Ident")) return true;
  }
  return Object.values(record).some(hasIndexedLValue);
}

/** The ```hpol blocks of the language reference that are whole modules (they start with `module`). */
function completeDocSpecs(): string[] {
  const doc = readFileSync(join(root, "docs/language.md"), "utf8");
  const blocks = [...doc.matchAll(/```hpol\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.filter((b) => b.trimStart().startsWith("module "));
}
