// Every example without infer nodes: the emitted module type-checks under --strict and produces the same trace
// as the interpreter over randomized observation streams (several seeds, several agents).
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import type { PolicyIR } from "../../src/runtime/index.ts";
import { drive, driveAsync, interpreterFor, loadEmitted, typecheck, writeDeclarations, writeEmitted } from "./support/harness.ts";
import { FakeNeuralHost } from "../runtime/support/fake-neural.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

function compileExample(file: string): PolicyIR {
  const result = checkFiles([file]);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.message)).toEqual([]);
  return lower(result.program!, result.sources);
}

const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith(".hpol"))
  .map((f) => ({ name: f.replace(/\.hpol$/, ""), ir: compileExample(join(EXAMPLES, f)) }));
const plain = examples.filter((e) => !e.ir.nodes.some((n) => n.k === "infer"));

describe("emitted examples", () => {
  const files = plain.map((e) => ({ ...e, file: writeEmitted(e.ir, `example_${e.name}`) }));

  it("covers the examples without infer nodes", () => {
    expect(plain.length).toBeGreaterThanOrEqual(3);
  });

  it("type-check with tsc --strict --noEmit (modules and their .d.ts, every example)", () => {
    // Examples with infer nodes emit too: their infer roots stay with the interpreter.
    const withInfer = examples.filter((e) => !plain.includes(e)).map((e) => writeEmitted(e.ir, `example_${e.name}`));
    const decls = examples.map((e) => writeDeclarations(e.ir, `decl_example_${e.name}`));
    expect(typecheck([...files.map((f) => f.file), ...withInfer, ...decls])).toEqual([]);
  });

  for (const { name, ir, file } of files) {
    it(`${name}: identical traces to the interpreter`, async () => {
      const emitted = await loadEmitted(file);
      for (const seed of [1, 2, 3, 4]) {
        const o = { seed, steps: 150, agents: 3, badRate: seed === 4 ? 0.02 : 0 };
        const reference = drive(ir, interpreterFor(ir), o);
        expect(drive(ir, emitted, o)).toBe(reference);
      }
    });
  }
});

// Examples with infer nodes run mixed: infer roots in the interpreter, every other root generated, one pool.
describe("emitted examples with infer nodes", () => {
  const withInfer = examples.filter((e) => !plain.includes(e));
  const fakeHost = (ir: PolicyIR): FakeNeuralHost =>
    new FakeNeuralHost(
      ir.models.map((m) => (inputs: readonly Float32Array[]) => {
        let sum = 0;
        for (const x of inputs) for (const v of x) sum += v;
        return m.outputs.map((p, o) => Float32Array.from({ length: p.size }, (_, k) => Math.abs(Math.sin(sum * 0.37 + k * 0.11 + o))));
      }),
    );
  let batches = 0;
  for (const { name, ir } of withInfer) {
    it(`${name}: identical traces to the interpreter`, async () => {
      const emitted = await loadEmitted(writeEmitted(ir, `example_${name}`));
      for (const seed of [1, 2]) {
        const o = { seed, steps: 120, agents: 3 };
        const refHost = fakeHost(ir);
        const reference = await driveAsync(ir, interpreterFor(ir), o, refHost);
        const host = fakeHost(ir);
        expect(await driveAsync(ir, emitted, o, host)).toBe(reference);
        // The same model batches in both.
        expect(host.batches).toEqual(refHost.batches);
        batches += refHost.batches.length;
      }
    });
  }
  // Random observations reach some of these models (pick_and_place's infer branch is gated by its task state).
  it("the inputs reached the models", () => {
    expect(batches).toBeGreaterThan(0);
  });
});
