import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The real binary, as users run it: bin/hpol.mjs through node, with exit code and output streams observed.
const root = fileURLToPath(new URL("../..", import.meta.url));
const SPEC_WITH_ERROR = `output {
  fire: bool
}

executor gun at 10hz writes fire {
  set out.fire = = true
}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hpol-bin-"));
  writeFileSync(join(dir, "gun.hpol"), SPEC_WITH_ERROR);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hpol(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "" };
  delete env.HPOL_DEBUG;
  return spawnSync(process.execPath, [join(root, "bin/hpol.mjs"), ...args], { cwd: dir, encoding: "utf8", env, timeout: 60_000 });
}

describe("bin/hpol.mjs", () => {
  it("check: exit 1, a rendered frame on stdout, no stack trace", () => {
    const r = hpol("check", "gun.hpol");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error\[HP1\d{3}\]/);
    expect(r.stdout).toContain("gun.hpol:6:");
    expect(r.stdout).toContain("set out.fire = = true");
    expect(r.stdout).toContain("1 error in 1 file");
    // Piped output is never coloured.
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
  it("check --format json: one JSON document whose records carry 1-based positions", () => {
    const r = hpol("check", "--format", "json", "gun.hpol");
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    const records = Array.isArray(doc) ? doc : doc.diagnostics;
    expect(records[0]).toMatchObject({ severity: "error", file: "gun.hpol", line: 6 });
    expect(typeof records[0].column).toBe("number");
    expect(typeof records[0].endColumn).toBe("number");
  });
  it("explain exits 0 and --version prints a version", () => {
    expect(hpol("explain", "HP9001").status).toBe(0);
    const v = hpol("--version");
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
