// Generated models shared by the neural tests: written once per test file into a fresh temporary directory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MlpDefinition } from "../../src/runtime/neural/mlp.ts";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import type { FaultKind } from "../../src/runtime/neural/onnx-writer.ts";
import { faultyOnnx, mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import { Xoshiro128 } from "../../src/runtime/rng.ts";

export interface OnnxModelSet {
  readonly dir: string;
  readonly mlp: MlpDefinition;
  /** The MLP with a dynamic "batch" dimension. */
  readonly mlpPath: string;
  /** The same MLP with a fixed batch of 1. */
  readonly fixedBatchPath: string;
  readonly fault: (kind: FaultKind) => string;
  readonly garbagePath: string;
  readonly cleanup: () => void;
}

export const FEATURES = 6;

export function writeOnnxModels(dims: readonly number[] = [FEATURES, 16, 16, 4]): OnnxModelSet {
  const dir = mkdtempSync(join(tmpdir(), "hpol-neural-"));
  const mlp = seededMlp(dims, 11);
  const mlpPath = join(dir, "mlp.onnx");
  writeFileSync(mlpPath, mlpOnnx(mlp));
  const fixedBatchPath = join(dir, "mlp-fixed.onnx");
  writeFileSync(fixedBatchPath, mlpOnnx(mlp, { batch: 1 }));
  const garbagePath = join(dir, "garbage.onnx");
  writeFileSync(garbagePath, "definitely not protobuf");
  const fault = (kind: FaultKind): string => {
    const path = join(dir, `${kind}.onnx`);
    writeFileSync(path, faultyOnnx(kind, FEATURES));
    return path;
  };
  return { dir, mlp, mlpPath, fixedBatchPath, fault, garbagePath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `count` rows of `size` values in [-2, 2), deterministic per seed. */
export function randomRows(count: number, size: number, seed: number): Float32Array[] {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, () => rng.next() * 4 - 2));
}
