// The generated host types: a host program that implements the generated extern interface and feeds typed
// observations type-checks and runs; hosts that implement it wrongly (wrong parameter type, missing extern,
// wrong result type, misspelt observation field) fail to type-check.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { emitPolicy } from "../../src/compiler/emit/emit.ts";
import { OUT_DIR, typecheck, writeEmitted } from "./support/harness.ts";
import { randomPolicy } from "./support/random-policy.ts";

const ir = randomPolicy(7);
const policyFile = writeEmitted(ir, "host_policy");

const GOOD_EXTERNS = `{
  near: (d: number) => d < 5,
  score: (v: number, armed: boolean, ctx: ExternContext) => (armed ? v + ctx.agent : 0),
  a0: (x: number) => (x > 0 ? "success" : "failure"),
  a1: () => "running",
  a2: (ctx: ExternContext) => ctx.phase !== "halt",
}`;
const GOOD_OBS = `{ f0: true, f1: false, f2: true, dist: 3, hp: 40, mode: "alert", pos: [1, 2] }`;

function host(name: string, externs: string, obs: string): string {
  const file = join(OUT_DIR, `${name}.ts`);
  writeFileSync(
    file,
    `import { createPolicyPool } from "./host_policy.ts";
import type { ExternContext, Observation } from "./host_policy.ts";
export function run(): { speed: number; fire: boolean } {
  const pool = createPolicyPool({ agents: 2, externs: ${externs} });
  const obs: Observation = ${obs};
  pool.setObservation(0, obs);
  pool.setObservation(1, obs);
  pool.runSync(5);
  const out = pool.getOutput(0);
  return { speed: out.speed, fire: out.fire };
}
`,
  );
  return file;
}

describe("generated host types", () => {
  mkdirSync(OUT_DIR, { recursive: true });
  // ExternContext is re-exported for hosts through the module's own type imports.
  it("the module exports the extern context type hosts need", () => {
    expect(emitPolicy(ir).ts).toContain("export type { ExternContext }");
  });

  it("a correct host type-checks and runs", async () => {
    const file = host("host_good", GOOD_EXTERNS, GOOD_OBS);
    expect(typecheck([file])).toEqual([]);
    const mod = (await import(pathToFileURL(file).href)) as { run(): { speed: number; fire: boolean } };
    const r = mod.run();
    expect(typeof r.speed).toBe("number");
    expect(typeof r.fire).toBe("boolean");
  });

  it("wrong hosts fail to type-check", () => {
    const cases = {
      host_bad_param: [GOOD_EXTERNS.replace("near: (d: number)", "near: (d: string)"), GOOD_OBS],
      host_missing: [GOOD_EXTERNS.replace("near: (d: number) => d < 5,", ""), GOOD_OBS],
      host_bad_result: [GOOD_EXTERNS.replace("near: (d: number) => d < 5", 'near: (d: number) => "yes"'), GOOD_OBS],
      host_bad_obs: [GOOD_EXTERNS, GOOD_OBS.replace("dist: 3", "distance: 3")],
      host_bad_enum: [GOOD_EXTERNS, GOOD_OBS.replace('"alert"', '"alarmed"')],
    };
    for (const [name, [externs, obs]] of Object.entries(cases)) {
      const errors = typecheck([host(name, externs!, obs!)]);
      expect({ name, failed: errors.length > 0 }).toEqual({ name, failed: true });
    }
  });
  void policyFile;
});
