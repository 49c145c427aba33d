// W4's model, written by the project's own ONNX writer (nothing downloaded): issue 6's 32→128→128→8 ReLU MLP
// with seeded weights, its ports named as combat-neural.hpol declares them. The spec's checker reads the file,
// so it is written before the spec is compiled.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MlpDefinition } from "../../src/runtime/neural/mlp.ts";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import { mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";

export const W4_DIMS = [32, 128, 128, 8] as const;
export const W4_SPEC = join(dirname(fileURLToPath(import.meta.url)), "combat-neural.hpol");
/** Where combat-neural.hpol's `model aim_net from "out/aim.onnx"` points. */
export const W4_MODEL = join(dirname(W4_SPEC), "out", "aim.onnx");

export function aimMlp(): MlpDefinition {
  return seededMlp(W4_DIMS, 4);
}

export function writeAimModel(path = W4_MODEL): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, mlpOnnx(aimMlp(), { inputName: "features", outputName: "scores" }));
  return path;
}
