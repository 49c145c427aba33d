import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "./capture.ts";

const SPEC = `observation {
  hp: float
}

output {
  fire: bool
}

executor gun at 10hz writes fire {
  set out.fire = obs.hp > 50.0
}

test "fires when healthy" {
  given obs { hp: 80.0 }
  run 2 ticks
  expect out.fire == true
}

test "holds fire when hurt" {
  given obs { hp: 10.0 }
  run 2 ticks
  expect out.fire == true
}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hpol-test-cmd-"));
  writeFileSync(join(dir, "gun.hpol"), SPEC);
  writeFileSync(join(dir, "bad.hpol"), SPEC.replace("obs.hp > 50.0", "obs.hpp > 50.0"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const io = captureIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe("hpol test", () => {
  it("runs every test block; a failure shows expected, actual, tick and node path, and exits 1", async () => {
    const r = await run(["test", join(dir, "gun.hpol")]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("✓ fires when healthy");
    expect(r.out).toContain("✗ holds fire when hurt");
    expect(r.out).toContain("expected out.fire == true");
    expect(r.out).toContain("actual   out.fire = false");
    expect(r.out).toMatch(/at tick \d+/);
    expect(r.out).toMatch(/running +gun: /);
    expect(r.out).toMatch(/1 passed, 1 failed in 1 file\n$/);
  });
  it("--filter runs only matching tests", async () => {
    const r = await run(["test", "--filter", "healthy", join(dir, "gun.hpol")]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("hurt");
    expect(r.out).toMatch(/1 passed, 0 failed in 1 file\n$/);
  });
  it("does not run a spec with errors and prints its diagnostics", async () => {
    const r = await run(["test", join(dir, "bad.hpol")]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error\[HP2\d{3}\]/);
    expect(r.out).toContain("not run");
  });
  it("rejects a malformed --seed as a usage error", async () => {
    const r = await run(["test", "--seed", "x", join(dir, "gun.hpol")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("non-negative integer");
  });
});
