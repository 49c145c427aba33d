// A fake backend for host tests: doubles its input, and holds each batch until the test opens the gate.
import type { DenseTensor, InferenceBackend } from "../../src/runtime/neural/backend.ts";

/** A doubling model whose batches finish only when the test says so (or at once when `gated` is false). */
export class GatedBackend implements InferenceBackend {
  readonly kind = "onnx" as const;
  readonly info = {
    inputs: [{ name: "x", dtype: "f32", shape: ["batch", 1] }],
    outputs: [{ name: "y", dtype: "f32", shape: ["batch", 1] }],
  };
  readonly gates: (() => void)[] = [];
  readonly batchSizes: number[] = [];
  /** The input buffer of every batch, to check whether rows were copied. */
  readonly batchBuffers: ArrayBufferLike[] = [];
  gated = true;

  async run(inputs: readonly DenseTensor[]): Promise<DenseTensor[]> {
    this.batchSizes.push(inputs[0].dims[0]);
    this.batchBuffers.push(inputs[0].data.buffer);
    if (this.gated) await new Promise<void>((resolve) => this.gates.push(resolve));
    return [{ data: inputs[0].data.map((v) => v * 2), dims: inputs[0].dims }];
  }

  async close(): Promise<void> {}

  open(): void {
    for (const g of this.gates.splice(0)) g();
  }
}
