import { describe, expect, it } from "vitest";
import { allCodes } from "../../src/compiler/diagnostics/catalog.ts";
import { runExplain } from "../../src/cli/commands/explain.ts";
import { captureIO } from "./capture.ts";

describe("hpol explain", () => {
  it("prints the title, severity, explanation and example of a code", () => {
    const io = captureIO();
    expect(runExplain("HP9001", false, io)).toBe(0);
    expect(io.out).toContain("HP9001 error: internal compiler error");
    expect(io.out).toContain("an unexpected exception escaped");
    expect(io.out).toContain("Example:");
    expect(io.err).toBe("");
  });
  it("accepts lower case and a bare number", () => {
    const a = captureIO();
    const b = captureIO();
    runExplain("hp9001", false, a);
    runExplain("9001", false, b);
    expect(a.out).toContain("HP9001 error");
    expect(b.out).toBe(a.out);
  });
  it("suggests a close code for an unknown one and exits 1", () => {
    const io = captureIO();
    expect(runExplain("HP9003", false, io)).toBe(1);
    expect(io.err).toMatch(/unknown diagnostic code `HP9003`; did you mean `HP900[12]`\?/);
    expect(io.out).toBe("");
  });
  it("--list prints every catalog code with its severity and title, in order", () => {
    const io = captureIO();
    expect(runExplain(undefined, true, io)).toBe(0);
    const lines = io.out.trimEnd().split("\n");
    const codes = allCodes();
    expect(lines).toHaveLength(codes.length);
    codes.forEach((entry, i) => {
      expect(lines[i].startsWith(entry.code)).toBe(true);
      expect(lines[i]).toContain(entry.severity);
      expect(lines[i].endsWith(entry.title)).toBe(true);
    });
  });
  it("shows every catalog entry: title, severity, explanation and example", () => {
    for (const entry of allCodes()) {
      const io = captureIO();
      expect(runExplain(entry.code, false, io)).toBe(0);
      expect(io.out.startsWith(`${entry.code} ${entry.severity}: ${entry.title}\n`)).toBe(true);
      expect(io.out).toContain(entry.explanation);
      for (const line of entry.example.trimEnd().split("\n")) if (line.trim() !== "") expect(io.out).toContain(`    ${line}`);
    }
  });
  it("lists the runtime's HP8xxx codes too", () => {
    const io = captureIO();
    runExplain(undefined, true, io);
    expect(io.out).toMatch(/^HP8001 /m);
  });
  it("colours only when asked", () => {
    const plain = captureIO({ color: false });
    const coloured = captureIO({ color: true });
    runExplain("HP9001", false, plain);
    runExplain("HP9001", false, coloured);
    expect(plain.out).not.toContain("\u001b[");
    expect(coloured.out).toContain("\u001b[");
  });
});
