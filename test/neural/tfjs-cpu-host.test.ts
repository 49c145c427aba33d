// The batching contract on TF.js's pure-JavaScript cpu backend, the last fallback when neither tfjs-node nor
// the wasm backend can be loaded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededMlp } from "../../src/runtime/neural/mlp.ts";
import type { TfjsPlatform } from "../../src/runtime/neural/tfjs-platform.ts";
import { loadTfjs } from "../../src/runtime/neural/tfjs-platform.ts";
import { saveMlpTfjs } from "../../src/runtime/neural/tfjs-writer.ts";
import { describeBatchingContract } from "./batching-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "hpol-tfjs-cpu-"));
const mlp = seededMlp([5, 9, 3], 4, { hiddenActivation: "tanh" });
const otherMlp = seededMlp([2, 4], 8, { outputActivation: "relu" });
let platform: TfjsPlatform;

beforeAll(async () => {
  platform = await loadTfjs({ prefer: "cpu" });
  await saveMlpTfjs(platform.tf, mlp, join(dir, "mlp"));
  await saveMlpTfjs(platform.tf, otherMlp, join(dir, "other"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("TF.js cpu fallback", () => {
  it("runs on the cpu backend when asked to", () => {
    expect(platform.backend).toBe("cpu");
    expect(platform.tf.getBackend()).toBe("cpu");
  });
});

describeBatchingContract("tfjs cpu", () => ({
  mlp,
  config: () => ({ name: "Policy", path: join(dir, "mlp"), backend: "tfjs" }),
  other: () => ({ config: { name: "Other", path: join(dir, "other"), backend: "tfjs" }, mlp: otherMlp }),
  options: { tfjs: { prefer: "cpu" } },
}));
