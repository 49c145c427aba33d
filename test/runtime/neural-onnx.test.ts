// The interpreter's infer nodes against the real batching host and an ONNX MLP written by the project's code:
// one engine call serves every agent in the frame, and each agent's result equals the reference forward pass.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IRBuilder, BOOL, INT, vec, infer, guardWhile, sel, seq, set } from "./support/builder.ts";
import { createPool } from "../../src/runtime/index.ts";
import { BatchingNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { mlpForward, seededMlp } from "../../src/runtime/neural/mlp.ts";
import { mlpOnnx } from "../../src/runtime/neural/onnx-writer.ts";
import { FEATURES, writeOnnxModels } from "../neural/models.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-runtime-onnx-"));
const faultModels = writeOnnxModels();
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  faultModels.cleanup();
});

describe("infer nodes with the ONNX batching host", () => {
  it("batches every agent of a frame into one call and matches the reference MLP per agent", async () => {
    const mlp = seededMlp([4, 8, 3], 5);
    const path = join(dir, "mlp.onnx");
    writeFileSync(path, mlpOnnx(mlp));
    const b = new IRBuilder("onnx");
    const x = b.obs("x", vec(4));
    const go = b.obs("go", BOOL);
    const y = b.stateVar("y", vec(3));
    const m = b.model("mlp", [4], [3]);
    const node = infer(m, { feeds: [{ input: 0, value: b.read(x) }] });
    node.spec["writes"] = [{ target: b.read(y), value: b.port(node, 0, vec(3)) }];
    b.executor("E", { periodMs: 100, default: guardWhile(b.read(go), seq(node, set(b.read(y), b.port(node, 0, vec(3))))) });
    const ir = b.build();
    const host = new BatchingNeuralHost([{ name: "mlp", path, backend: "onnx" }]);
    const agents = 16;
    const pool = createPool(ir, { agents, stepMs: 100, neural: host });
    const inputs = Array.from({ length: agents }, (_, a) => [a / 8 - 1, Math.sin(a), 0.5, -a / 16]);
    for (let a = 0; a < agents; a++) pool.setObservation(a, { x: inputs[a]!, go: a % 5 !== 0 });
    await pool.stepOnce();
    await pool.close();
    expect(host.stats.batches).toBe(1);
    expect(host.stats.rows).toBe(agents - 4);
    for (let a = 0; a < agents; a++) {
      const got = pool.read(a, "state.y") as number[];
      if (a % 5 === 0) expect(got).toEqual([0, 0, 0]);
      else {
        const want = Array.from(mlpForward(mlp, Float32Array.from(inputs[a]!), 1));
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      }
    }
  });

  it("untraced, takes each result from the batch in place (no result object) and acts exactly as a traced pool", async () => {
    const mlp = seededMlp([4, 8, 3], 9);
    const path = join(dir, "mlp-take.onnx");
    writeFileSync(path, mlpOnnx(mlp));
    const b = new IRBuilder("take");
    const x = b.obs("x", vec(4));
    const y = b.stateVar("y", vec(3));
    const act = b.out("act", INT);
    const m = b.model("mlp", [4], [3]);
    const node = infer(m, { feeds: [{ input: 0, value: b.read(x) }] });
    node.spec["writes"] = [
      { target: b.read(y), value: b.port(node, 0, vec(3)) },
      { target: b.read(act), value: b.call("argmax", [b.port(node, 0, vec(3))], INT) },
    ];
    b.executor("E", { periodMs: 100, default: node });
    const ir = b.build();
    const agents = 40;
    const run = async (traced: boolean) => {
      const host = new BatchingNeuralHost([{ name: "mlp", path, backend: "onnx" }], { reuseResults: true });
      let objects = 0;
      const result = host.result.bind(host);
      host.result = (ticket) => {
        objects++;
        return result(ticket);
      };
      const lines: string[] = [];
      const pool = createPool(ir, { agents, stepMs: 100, neural: host, ...(traced ? { trace: { write: (l: string) => lines.push(l) } } : {}) });
      const states: number[][] = [];
      for (let step = 0; step < 3; step++) {
        for (let a = 0; a < agents; a++) pool.setObservation(a, { x: [Math.sin(a + step), a / 20 - 1, step / 3, Math.cos(a * step)] });
        await pool.stepOnce();
        for (let a = 0; a < agents; a++) states.push([...(pool.read(a, "state.y") as number[]), pool.getOutput(a)["act"] as number]);
      }
      await pool.close();
      return { states, objects, batches: host.stats.batches };
    };
    const untraced = await run(false);
    const traced = await run(true);
    expect(untraced.batches).toBe(3);
    expect(untraced.objects).toBe(0);
    expect(traced.objects).toBeGreaterThan(0);
    expect(untraced.states).toEqual(traced.states);
  });

  it("a NaN or infinite row fails only its agent, through the host's check (the tree trusts a validating host)", async () => {
    const b = new IRBuilder("log");
    const x = b.obs("x", vec(FEATURES));
    const y = b.stateVar("y", vec(FEATURES));
    const used = b.out("used", INT);
    const m = b.model("log", [FEATURES], [FEATURES]);
    const node = infer(m, { feeds: [{ input: 0, value: b.read(x) }] });
    node.spec["writes"] = [{ target: b.read(y), value: b.port(node, 0, vec(FEATURES)) }];
    b.executor("E", { periodMs: 100, default: sel(seq(node, set(b.read(used), b.num(1))), set(b.read(used), b.num(2))) });
    const host = new BatchingNeuralHost([{ name: "log", path: faultModels.fault("log"), backend: "onnx" }], { reuseResults: true });
    expect(host.validatesResults).toBe(true);
    const pool = createPool(b.build(), { agents: 4, stepMs: 100, neural: host });
    const good = Array.from({ length: FEATURES }, (_v, i) => i + 1);
    // log of a negative value is NaN, log 0 is -Infinity.
    const rows = [good, good.map((v, i) => (i === 2 ? -v : v)), good, good.map((v, i) => (i === 4 ? 0 : v))];
    rows.forEach((row, a) => pool.setObservation(a, { x: row }));
    for (let step = 0; step < 2; step++) {
      await pool.stepOnce();
      expect([0, 1, 2, 3].map((a) => pool.getOutput(a)["used"])).toEqual([1, 2, 1, 2]);
      const errors = pool.drainErrors();
      expect(errors.map((e) => [e.agent, e.code, e.node])).toEqual([
        [1, "HP8030", node.id],
        [3, "HP8030", node.id],
      ]);
      expect(errors.map((e) => e.message.match(/HP8102/) !== null)).toEqual([true, true]);
      for (const a of [0, 2]) {
        const got = pool.read(a, "state.y") as number[];
        got.forEach((v, i) => expect(v).toBeCloseTo(Math.log(i + 1), 5));
      }
    }
    await pool.close();
  });
});
