// Neural nodes: feeds in model input order, writes reading `port`s of their own node, chunk, refine, async.
import { describe, expect, it } from "vitest";
import { printPolicy } from "../../src/runtime/ir-print.ts";
import type { ModelInfo } from "../../src/runtime/neural/host.ts";
import { compile, HOST } from "./compile.ts";

const POLICY: ModelInfo = {
  inputs: [
    { name: "features", dtype: "f32", shape: [null, 3] },
    { name: "noise", dtype: "f32", shape: [null, 2] },
  ],
  outputs: [{ name: "act", dtype: "f32", shape: [null, 2] }],
};
const CHUNKED: ModelInfo = {
  inputs: [{ name: "features", dtype: "f32", shape: [null, 2] }],
  outputs: [{ name: "plan", dtype: "f32", shape: [null, 4, 2] }],
};

describe("lowering infer nodes", () => {
  it("orders feeds by model input, reads outputs through ports of the node, and keeps refine and async", () => {
    const ir = compile(
      `${HOST}
model policy from "policy.onnx" using onnx {
  input features: tensor<f32, [batch, 3]>
  input noise: tensor<f32, [batch, 2]>
  output act: tensor<f32, [batch, 2]>
}
executor main every 100ms writes move {
  infer policy {
    feed noise = [0.0, 0.0]
    feed features = [obs.x, obs.y, 1.0]
    write out.move = vec2(act[0], act[1])
    refine 3 from act to noise
    async timeout 200ms
  }
}
`,
      { models: { "/virtual/policy.onnx": POLICY } },
    );
    expect(printPolicy(ir)).toBe(
      "executor main: (infer policy (feed features [obs.x obs.y 1]) (feed noise [0 0]) (write out.move (vec2 port.act[0] port.act[1])) (refine 3 noise act) (async 200))",
    );
    const [model] = ir.models;
    expect(model).toMatchObject({ name: "policy", path: "policy.onnx", backend: "onnx" });
    expect(model!.inputs.map((p) => [p.name, p.dtype, p.shape, p.size])).toEqual([
      ["features", "f32", ["batch", 3], 3],
      ["noise", "f32", ["batch", 2], 2],
    ]);
    const node = ir.nodes[ir.executors[0]!.default!]!;
    const port = ir.exprs.find((x) => x.k === "port")!;
    expect(port).toMatchObject({ node: node.id, output: 0 });
  });

  it("keeps the chunk length and types a write's port as one step", () => {
    const ir = compile(
      `${HOST}
model planner_net from "plan.onnx" using onnx {
  input features: tensor<f32, [batch, 2]>
  output plan: tensor<f32, [batch, 4, 2]>
}
executor main every 100ms writes move {
  infer planner_net {
    feed features = obs.pos
    chunk 4
    write out.move = vec2(plan[0], plan[1])
  }
}
`,
      { models: { "/virtual/plan.onnx": CHUNKED } },
    );
    expect(printPolicy(ir)).toBe("executor main: (infer planner_net (feed features obs.pos) (write out.move (vec2 port.plan[0] port.plan[1])) (chunk 4))");
    expect(ir.models[0]!.outputs[0]!.size).toBe(8);
    const port = ir.exprs.find((x) => x.k === "port")!;
    expect(port.type).toEqual({ k: "tensor", dtype: "f32", shape: [2] });
  });
});
