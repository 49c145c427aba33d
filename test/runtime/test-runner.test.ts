// runTests: test blocks over IR, with expected vs actual, tick and node paths on failure.
import { describe, expect, it } from "vitest";
import { IRBuilder, FLOAT, INT, act, check, emit, rsel, seq, set } from "./support/builder.ts";
import { runTests, formatTestResult } from "../../src/runtime/test-runner.ts";

function spec() {
  const b = new IRBuilder("t");
  const hp = b.obs("hp", INT);
  const speed = b.out("speed", FLOAT);
  const flee = b.action("flee", [], { async: true });
  const msg = b.message("Intent", [
    { name: "fight", fields: [] },
    { name: "run", fields: [{ name: "pace", type: FLOAT }] },
  ]);
  const planner = b.planner("Mind", { periodMs: 500, message: msg, root: rsel(seq(check(b.bin("<", b.read(hp), b.num(30))), emit(0, 1, b.num(4.0, FLOAT))), emit(0, 0)) });
  const pace = b.field(b.read(b.payloadVar(planner, 1)), "pace");
  b.executor("Body", {
    periodMs: 100,
    follows: planner,
    writes: [speed],
    handlers: [
      { kind: 0, root: set(b.read(speed), b.num(1.0, FLOAT)) },
      { kind: 1, root: seq(set(b.read(speed), pace), act(flee)) },
    ],
  });
  const obsHp = b.read(hp);
  const outSpeed = () => b.read(speed);
  b.test("fights when healthy", [
    { k: "given", assigns: [{ target: obsHp, value: b.num(80) }], span: null },
    { k: "run", ticks: 3, ms: null, span: null },
    { k: "expect", expr: b.bin("==", outSpeed(), b.num(1.0, FLOAT)), text: "out.speed == 1.0", span: null },
  ]);
  b.test("runs when hurt", [
    { k: "given", assigns: [{ target: b.read(hp), value: b.num(10) }], span: null },
    { k: "run", ticks: null, ms: 300, span: null },
    { k: "expect", expr: b.bin("==", outSpeed(), b.num(9.0, FLOAT)), text: "out.speed == 9.0", span: { file: "t.hpol", start: 0, end: 1, line: 12, column: 5 } },
  ]);
  b.test("injected correction", [
    { k: "given", assigns: [{ target: b.read(hp), value: b.num(80) }], span: null },
    { k: "run", ticks: 1, ms: null, span: null },
    { k: "inject", planner: 0, kind: 1, values: [b.num(2.5, FLOAT)], span: null },
    { k: "run", ticks: 1, ms: null, span: null },
    { k: "expect", expr: b.bin("==", outSpeed(), b.num(2.5, FLOAT)), text: "out.speed == 2.5", span: null },
  ]);
  return b.build();
}

describe("runTests", () => {
  it("passes and fails test blocks, reporting expected vs actual, the tick and the running node path", async () => {
    const result = await runTests(spec(), { externs: { flee: () => "running" } });
    expect(result.passed).toBe(2);
    expect(result.failed).toBe(1);
    const failed = result.tests.find((t) => !t.passed)!;
    expect(failed.name).toBe("runs when hurt");
    const f = failed.failures[0]!;
    expect(f.expected).toBe("out.speed == 9.0");
    expect(f.actual).toBe("out.speed = 4");
    expect(f.tick).toBe(2);
    expect(f.nodePaths).toEqual([expect.stringMatching(/^Mind: reactive_selector#0/), expect.stringMatching(/^Body: sequence#\d+ > do#\d+$/)]);
    const text = formatTestResult(result);
    expect(text).toContain("✗ runs when hurt");
    expect(text).toContain("expected out.speed == 9.0 (t.hpol:12:5)");
    expect(text).toContain("2 passed, 1 failed");
  });

  it("uses host bindings when given and filters by name", async () => {
    const result = await runTests(spec(), { filter: "hurt", externs: { flee: () => "running" } });
    expect(result.tests.map((t) => t.name)).toEqual(["runs when hurt"]);
  });
});
