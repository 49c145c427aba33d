// One number per agent is a scalar however the model spells it: `[batch]`, `[batch, 1]` (or unbatched `[]`,
// `[1]`). The checker's signature check and port types, and the batching host's output check, agree on it.
import { describe, expect, it } from "vitest";
import type { DenseTensor, InferenceBackend } from "../../src/runtime/neural/backend.ts";
import { BatchingNeuralHost, createNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { createPool } from "../../src/runtime/index.ts";
import type { ModelInfo } from "../../src/runtime/neural/host.ts";
import { checkFiles, type CompilerHost } from "../../src/compiler/program.ts";
import { compile, SPEC } from "../lower/compile.ts";

const spec = (declared: string) => `
observation {
  x: float
}
output {
  speed: float
}
model value_net from "value.onnx" using onnx {
  input obs: tensor<f32, [batch, 1]>
  output v: ${declared}
}
executor main every 100ms writes speed {
  infer value_net {
    feed obs = obs.x
    write out.speed = v
  }
}
`;
const file = (output: (number | string | null)[]): ModelInfo => ({
  inputs: [{ name: "obs", dtype: "f32", shape: [null, 1] }],
  outputs: [{ name: "v", dtype: "f32", shape: output }],
});

function errorsOf(text: string, info: ModelInfo): string[] {
  const host: CompilerHost = { readFile: (p) => (p === SPEC ? text : undefined), readModel: () => ({ ok: true, info }) };
  return checkFiles([SPEC], host).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
}

describe("a per-agent single-element model output is a scalar", () => {
  it.each([
    ["tensor<f32, [batch, 1]>", [null, 1]],
    ["tensor<f32, [batch]>", [null, 1]],
    ["tensor<f32, [batch, 1]>", [null]],
    ["tensor<f32, [batch, 1, 1]>", ["batch", 1, 1]],
  ] as const)("declared %s, file %j: checks, and the port is one float", (declared, shape) => {
    const ir = compile(spec(declared), { models: { "/virtual/value.onnx": file([...shape]) } });
    const port = ir.exprs.find((x) => x.k === "port")!;
    expect(port.type).toEqual({ k: "float" });
    expect(ir.models[0]!.outputs[0]!.size).toBe(1);
  });

  it("more than one element per agent is still a tensor, and a rank change that is not about one element is still HP3032", () => {
    expect(errorsOf(spec("tensor<f32, [batch, 2]>"), file([null, 2]))).toEqual([expect.stringMatching(/^HP3001 expected float, found tensor<f32, \[2\]>/)]);
    expect(errorsOf(spec("tensor<f32, [batch]>"), file([null, 2]))).toEqual([expect.stringMatching(/^HP3032 /)]);
    expect(errorsOf(spec("tensor<f32, [batch, 1]>"), file([1]))).toEqual([expect.stringMatching(/^HP3032 /)]);
  });

  it("the batching host accepts [N, 1] for a declared [batch] output and [N] for a declared [batch, 1] one", async () => {
    const engine = (declaredRow: (number | null)[], dims: (count: number) => number[]): { host: BatchingNeuralHost; backend: InferenceBackend } => {
      const backend: InferenceBackend = {
        kind: "onnx",
        info: { inputs: [{ name: "obs", dtype: "f32", shape: ["batch", 1] }], outputs: [{ name: "v", dtype: "f32", shape: ["batch", ...declaredRow] }] },
        // Doubles each agent's input: row r's value is 2·x_r.
        run: async (inputs: readonly DenseTensor[]) => {
          const count = inputs[0]!.dims[0]!;
          return [{ data: inputs[0]!.data.map((x) => 2 * x), dims: dims(count) }];
        },
        close: async () => undefined,
      };
      const host = new BatchingNeuralHost([{ name: "V", path: "/virtual/v", backend: "onnx", outputShapes: [declaredRow] }], { open: async () => backend });
      return { host, backend };
    };
    for (const [declared, dims] of [
      [[], (n: number) => [n, 1]],
      [[1], (n: number) => [n]],
      [[1], (n: number) => [n, 1]],
      [[], (n: number) => [n]],
    ] as const) {
      const { host } = engine([...declared], dims);
      const tickets = [1, 2, 3].map((x) => host.submit(0, [new Float32Array([x])]));
      await host.flush();
      const results = tickets.map((t) => host.result(t));
      expect(results.map((r) => (r?.ok ? Array.from(r.outputs[0]!) : r?.code)), JSON.stringify(declared)).toEqual([[2], [4], [6]]);
      await host.close();
    }
    // Two values per agent where one is declared is still the model's fault.
    const { host } = engine([], (n) => [n, 2]);
    const t = host.submit(0, [new Float32Array([1])]);
    await host.flush();
    expect(host.result(t)).toMatchObject({ ok: false, code: "HP8103" });
    await host.close();
  });

  it("end to end: a spec declaring [batch] over an engine answering [N, 1] writes one float per agent", async () => {
    const ir = compile(spec("tensor<f32, [batch]>"), { models: { "/virtual/value.onnx": file([null, 1]) } });
    const backend: InferenceBackend = {
      kind: "onnx",
      info: file([null, 1]),
      run: async (inputs: readonly DenseTensor[]) => [{ data: inputs[0]!.data.map((x) => 2 * x), dims: [inputs[0]!.dims[0]!, 1] }],
      close: async () => undefined,
    };
    const neural = createNeuralHost(ir, "/virtual", { open: async () => backend })!;
    const pool = createPool(ir, { agents: 3, neural });
    [1.5, -2, 4].forEach((x, a) => expect(pool.setObservation(a, { x })).toBe(true));
    await pool.stepAsync();
    expect(pool.drainErrors()).toEqual([]);
    expect([0, 1, 2].map((a) => pool.getOutput(a)["speed"])).toEqual([3, -4, 8]);
    await neural.close();
  });
});
