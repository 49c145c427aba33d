// loadIR validation and the s-expression printer.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, INT, act, check, emit, par, rsel, seq, set, timeout, wait } from "./support/builder.ts";
import { loadIR, printNode, printPolicy, HpolRuntimeError } from "../../src/runtime/index.ts";
import type { PolicyIR } from "../../src/runtime/index.ts";

function sample(): PolicyIR {
  const b = new IRBuilder("sample");
  const hp = b.obs("health", INT);
  const n = b.stateVar("n", INT, [0]);
  const flee = b.action("flee");
  const msg = b.message("Intent", [{ name: "go", fields: [{ name: "speed", type: INT }] }]);
  b.planner("Boss", { periodMs: 500, message: msg, root: emit(0, 0, b.num(3)) });
  b.executor("Body", {
    periodMs: 100,
    follows: 0,
    default: rsel(seq(check(b.bin("<", b.read(hp), b.num(30))), act(flee)), par(1, 1, timeout(500, wait(200)), set(b.read(n), b.num(1)))),
  });
  void BOOL;
  return b.build();
}

function expectCode(json: unknown, code: string, pattern: RegExp): void {
  try {
    loadIR(json);
    expect.unreachable("loadIR accepted malformed IR");
  } catch (e) {
    expect(e).toBeInstanceOf(HpolRuntimeError);
    expect((e as HpolRuntimeError).code).toBe(code);
    expect((e as Error).message).toMatch(pattern);
  }
}

describe("loadIR", () => {
  it("accepts builder IR and its JSON text", () => {
    const ir = sample();
    expect(loadIR(ir)).toBe(ir);
    expect(loadIR(JSON.stringify(ir))).toEqual(ir);
  });

  it("rejects a version mismatch with HP8002", () => {
    expectCode({ ...sample(), irVersion: 2 }, "HP8002", /version 2 is not supported/);
  });

  it("rejects malformed IR with HP8001 and the path of the problem", () => {
    const ir = JSON.parse(JSON.stringify(sample())) as Record<string, any>;
    const bad1 = structuredClone(ir);
    const rselId = bad1.nodes.findIndex((n: { k: string }) => n.k === "reactive_selector");
    bad1.nodes[rselId].children[1] = 99;
    expectCode(bad1, "HP8001", new RegExp(`\\$\\.nodes\\[${rselId}\\]\\.children\\[1\\]: node id 99 does not exist`));

    const bad2 = structuredClone(ir);
    bad2.nodes[2].id = 5;
    expectCode(bad2, "HP8001", /\$\.nodes\[2\]\.id: expected id 2/);

    const bad3 = structuredClone(ir);
    bad3.layout.vars[1].offset = 0;
    expectCode(bad3, "HP8001", /overlaps another var/);

    const bad4 = structuredClone(ir);
    bad4.exprs[0].k = "lambda";
    expectCode(bad4, "HP8001", /unknown expression kind "lambda"/);

    const bad5 = structuredClone(ir);
    delete bad5.spans;
    expectCode(bad5, "HP8001", /\$\.spans: expected an object/);

    const bad6 = structuredClone(ir);
    const setNode = bad6.nodes.find((n: { k: string }) => n.k === "set");
    setNode.target = bad6.exprs.findIndex((x: { k: string }) => x.k === "const");
    expectCode(bad6, "HP8001", /is not an assignable location/);

    expectCode("{not json", "HP8001", /not JSON/);
    expectCode([], "HP8001", /\$: expected an object/);
  });
});

describe("printer", () => {
  it("prints trees as compact s-expressions", () => {
    const ir = sample();
    expect(printPolicy(ir)).toBe(
      [
        "planner Boss: (emit go speed=3)",
        "executor Body: (rsel (seq (check (< obs.health 30)) (do flee)) (par 1 1 (timeout 500 (wait 200)) (set state.n 1)))",
      ].join("\n"),
    );
    expect(printNode(ir, ir.planners[0]!.root)).toBe("(emit go speed=3)");
  });
});
