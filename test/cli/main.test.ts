import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { processIO } from "../../src/cli/io.ts";
import { captureIO } from "./capture.ts";

// A small clean spec and one with a syntax error, written to a temporary folder so paths are real.
const CLEAN = `output {
  fire: bool
}

executor gun at 10hz writes fire {
  set out.fire = true
}
`;
const BROKEN = `output {
  fire: bool
}

executor gun at 10hz writes fire {
  set out.fire = = true
}
`;
const UNFORMATTED = `output { fire: bool }
executor gun at 10hz writes fire { // shoots
  set out.fire=true }
`;

/** A stack trace line as Node prints it: "    at fn (file:line:col)". */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

let dir: string;
const path = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hpol-cli-"));
  writeFileSync(path("clean.hpol"), CLEAN);
  writeFileSync(path("broken.hpol"), BROKEN);
  writeFileSync(path("unformatted.hpol"), UNFORMATTED);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], options: Parameters<typeof captureIO>[0] = {}) {
  const io = captureIO(options);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err, written: io.written };
}

describe("hpol (in-process)", () => {
  it("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(pkg.version);
  });

  it("--help lists every command, and each command has its own help", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["check", "fmt", "explain", "test", "build", "run", "graph"]) expect(r.out).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    const check = await run(["check", "--help"]);
    expect(check.code).toBe(0);
    expect(check.out).toContain("--format <format>");
    expect(check.out).toContain("Exit codes");
    const fmt = await run(["fmt", "--help"]);
    expect(fmt.out).toContain("--check");
    expect(fmt.out).toContain("--write");
  });

  it("reports usage mistakes with exit 1 and no stack trace", async () => {
    const unknown = await run(["chek", "x.hpol"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown command 'chek'");
    expect(unknown.err).toContain("check");
    expect(unknown.err).not.toMatch(STACK_LINE);
    const badFormat = await run(["check", "--format", "xml", path("clean.hpol")]);
    expect(badFormat.code).toBe(1);
    expect(badFormat.err).toContain("xml");
    const both = await run(["fmt", "--check", "--write", path("clean.hpol")]);
    expect(both.code).toBe(1);
  });

  it("check: a clean file exits 0 with a summary", async () => {
    const r = await run(["check", path("clean.hpol")]);
    expect(r.err).toBe("");
    expect(r.out).toBe("no problems in 1 file\n");
    expect(r.code).toBe(0);
  });

  it("check: a syntax error exits 1 with a code frame and a summary, never a stack trace", async () => {
    const r = await run(["check", path("broken.hpol"), path("clean.hpol")]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error\[HP1\d{3}\]/);
    expect(r.out).toContain(`${path("broken.hpol")}:6:`);
    expect(r.out).toContain("set out.fire = = true");
    expect(r.out).toMatch(/\^/);
    expect(r.out).toMatch(/\n1 error in 2 files\n$/);
    expect(r.out).not.toMatch(STACK_LINE);
    expect(r.out).not.toContain("\u001b[");
  });

  it("check: colour only when the IO says so", async () => {
    const r = await run(["check", path("broken.hpol")], { color: true });
    expect(r.out).toContain("\u001b[");
  });

  it("check --format json prints one JSON document with 1-based positions", async () => {
    const r = await run(["check", "--format", "json", path("broken.hpol")]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    const records = Array.isArray(doc) ? doc : doc.diagnostics;
    expect(records.length).toBeGreaterThan(0);
    const first = records[0];
    expect(first).toMatchObject({ severity: "error", file: path("broken.hpol"), line: 6 });
    expect(first.code).toMatch(/^HP1\d{3}$/);
    for (const key of ["message", "column", "endLine", "endColumn", "notes"]) expect(first).toHaveProperty(key);
    expect(first.column).toBeGreaterThanOrEqual(1);
  });

  it("check: a missing file is a coded error, not a crash", async () => {
    const r = await run(["check", path("nope.hpol")]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error\[HP5\d{3}\]/);
    expect(r.out).toContain("nope.hpol");
  });

  it("an unexpected exception becomes HP9001 with exit 2 and no stack trace", async () => {
    const io = captureIO();
    io.readFile = () => {
      throw new Error("disk on fire");
    };
    const code = await main(["check", path("clean.hpol")], io);
    expect(code).toBe(2);
    expect(io.out).toContain("HP9001");
    expect(io.out).toContain("disk on fire");
    expect(io.out + io.err).not.toMatch(STACK_LINE);
    const debug = captureIO({ env: { HPOL_DEBUG: "1" } });
    debug.readFile = io.readFile;
    expect(await main(["check", path("clean.hpol")], debug)).toBe(2);
    expect(debug.err).toMatch(STACK_LINE);
  });

  it("fmt prints the canonical text, and --check/--write act on files that would change", async () => {
    const printed = await run(["fmt", path("unformatted.hpol")]);
    expect(printed.code).toBe(0);
    expect(printed.out).toBe("output {\n  fire: bool\n}\n\nexecutor gun at 10hz writes fire { // shoots\n  set out.fire = true\n}\n");

    const check = await run(["fmt", "--check", path("unformatted.hpol"), path("clean.hpol")]);
    expect(check.code).toBe(1);
    expect(check.out).toBe(`${path("unformatted.hpol")}\n`);
    expect(check.written.size).toBe(0);

    const cleanCheck = await run(["fmt", "--check", path("clean.hpol")]);
    expect(cleanCheck.code).toBe(0);
    expect(cleanCheck.out).toBe("");

    const write = await run(["fmt", "--write", path("unformatted.hpol"), path("clean.hpol")]);
    expect(write.code).toBe(0);
    expect([...write.written.keys()]).toEqual([path("unformatted.hpol")]);
    expect(write.written.get(path("unformatted.hpol"))).toBe(printed.out);
  });

  it("fmt refuses a file with syntax errors and prints them", async () => {
    const r = await run(["fmt", "--write", path("broken.hpol")]);
    expect(r.code).toBe(1);
    expect(r.written.size).toBe(0);
    expect(r.err).toMatch(/error\[HP1\d{3}\]/);
    expect(r.err).toContain("not formatted");
  });

  it("explain prints an entry; --list lists codes", async () => {
    const one = await run(["explain", "HP9001"]);
    expect(one.code).toBe(0);
    expect(one.out).toContain("internal compiler error");
    const list = await run(["explain", "--list"]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^HP9001 +error +internal compiler error$/m);
    const none = await run(["explain"]);
    expect(none.code).toBe(1);
  });
});

describe("processIO colour", () => {
  it("is off when NO_COLOR is set, whatever the terminal", () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = "1";
    try {
      expect(processIO().color).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});
