// Model files for the checker's tests, produced by the project's own writers (no downloads). The semantic
// baselines use a committed copy under test/cases/semantic/models/; models.test.ts regenerates them and checks
// the committed copy is byte-identical, so the fixtures are provably what this code writes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildOnnxModel, mlpOnnx, writeOnnxFile } from "../../src/runtime/neural/onnx-writer.ts";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import { saveMlpTfjs } from "../../src/runtime/neural/tfjs-writer.ts";
import { loadTfjs } from "../../src/runtime/neural/tfjs-platform.ts";

/** A 4 → 2 MLP: input `obs` f32[batch, 4], output `act` f32[batch, 2]. */
export const aimMlp = () => seededMlp([4, 2], 7);

export function writeOnnxFixtures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeOnnxFile(join(dir, "aim.onnx"), mlpOnnx(aimMlp(), { inputName: "obs", outputName: "act" }));
  writeOnnxFile(join(dir, "aim_fixed_batch.onnx"), mlpOnnx(aimMlp(), { inputName: "obs", outputName: "act", batch: 1 }));
  // Unnamed dynamic batch dimension (no dim_param), as some exporters write it.
  writeOnnxFile(join(dir, "aim_unnamed_batch.onnx"), mlpOnnx(aimMlp(), { inputName: "obs", outputName: "act", batch: null }));
  // Two inputs and a 3-D output: a chunked action plan refined from a noisy plan.
  writeOnnxFile(
    join(dir, "planner.onnx"),
    buildOnnxModel({
      inputs: [
        { name: "features", shape: ["batch", 6] },
        { name: "plan", shape: ["batch", 4, 2] },
      ],
      outputs: [{ name: "denoised", shape: ["batch", 4, 2] }],
      nodes: [{ op: "Identity", inputs: ["plan"], outputs: ["denoised"] }],
    }),
  );
  writeFileSync(join(dir, "garbage.onnx"), "this is not a protobuf\n");
}

/** TF.js layers model of the same MLP: input `layer0_input` f32[?, 4], output `layer0` f32[?, 2]. */
export async function writeTfjsFixtures(dir: string): Promise<void> {
  const { tf } = await loadTfjs({ prefer: "cpu" });
  await saveMlpTfjs(tf, aimMlp(), join(dir, "aim_tfjs"));
}
