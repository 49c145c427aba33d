// `hpol test <files...>`: check each spec, lower it, and run its test blocks through the reference runtime.
// A spec that does not check is not run: its diagnostics are printed (exit 1). A failing expectation prints
// what was expected, the actual values, the tick and the running node path of every layer (exit 1).
import { dirname, resolve } from "node:path";
import { createNeuralHost } from "../../runtime/neural/batching-host.ts";
import { formatTestResult, runTests } from "../../runtime/test-runner.ts";
import type { CliIO } from "../io.ts";
import { ExitCode } from "../exit-codes.ts";
import { compileSpec } from "../compile-spec.ts";
import { expandInputs } from "../inputs.ts";
import { checkOptionsOf, modelRootsOf, type SpecFlags } from "../spec-options.ts";

export interface TestCommandOptions extends SpecFlags {
  readonly filter?: string;
  readonly seed?: number;
}

export async function runTestCommand(paths: readonly string[], options: TestCommandOptions, io: CliIO): Promise<number> {
  const files = expandInputs(paths);
  let passed = 0;
  let failed = 0;
  let worst: number = ExitCode.ok;
  for (const file of files) {
    const compiled = compileSpec(file, io, "run", checkOptionsOf(options));
    if (!compiled.ok) {
      worst = Math.max(worst, compiled.exit);
      continue;
    }
    const ir = compiled.ir;
    if (ir.tests.length === 0) continue;
    // Specs with models get the real batching host; model paths resolve against the declaring file.
    const specDir = dirname(resolve(file));
    const neural = ir.models.length > 0 ? () => createNeuralHost(ir, specDir, { modelRoots: modelRootsOf(file, options) }) : undefined;
    const result = await runTests(ir, {
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(neural ? { neural } : {}),
    });
    io.stdout(`${file}\n${formatTestResult(result)}\n`);
    passed += result.passed;
    failed += result.failed;
  }
  io.stdout(`${passed} passed, ${failed} failed in ${files.length} file${files.length === 1 ? "" : "s"}\n`);
  if (failed > 0) worst = Math.max(worst, ExitCode.userError);
  return worst;
}
