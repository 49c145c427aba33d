// A spec reaches only the externs the host registered, by their own names: an extern named like a member every
// object inherits (`toString`, `constructor`, `__proto__`, …) is not bound by that inherited member, a binding
// the policy did not declare is refused, and the pool calls exactly the registered functions.
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { createPool, type PolicyIR } from "../../src/runtime/index.ts";
import { HOSTILE_NAMES, runtimeCodeOf } from "./untrusted-spec.ts";

function policy(externName: string): PolicyIR {
  const text = `observation { x: float }
output { o: bool }
extern condition ${externName}(x: float)
executor e at 10hz writes o {
  selector {
    sequence { check ${externName}(obs.x)  set out.o = true }
    set out.o = false
  }
}
`;
  const result = checkSource(text, "/virtual/externs.hpol");
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return lower(result.program!, result.sources);
}

describe("extern binding by own name only", () => {
  it.each(HOSTILE_NAMES)("`%s` is not bound by a member the host object inherits (HP8010)", (name) => {
    const ir = policy(name);
    expect(runtimeCodeOf(() => createPool(ir, { externs: {} }))).toBe("HP8010");
    // A class instance's methods live on its prototype: they are not registrations either.
    class Host {
      [name](): boolean {
        return true;
      }
    }
    expect(runtimeCodeOf(() => createPool(ir, { externs: new Host() as never }))).toBe("HP8010");
  });

  it.each(HOSTILE_NAMES)("`%s` registered as an own property is the function the pool calls", (name) => {
    const ir = policy(name);
    const calls: number[] = [];
    const externs: Record<string, unknown> = {};
    Object.defineProperty(externs, name, { value: (x: number) => (calls.push(x), x > 0), enumerable: true });
    const pool = createPool(ir, { agents: 2, externs: externs as never });
    pool.setObservation(0, { x: 1 });
    pool.setObservation(1, { x: -1 });
    pool.stepSync();
    expect(calls).toEqual([1, -1]);
    expect([pool.getOutput(0)["o"], pool.getOutput(1)["o"]]).toEqual([true, false]);
    expect(pool.drainErrors()).toEqual([]);
  });

  it("refuses a binding the policy does not declare (HP8011), so nothing else is reachable by name", () => {
    const ir = policy("visible");
    expect(runtimeCodeOf(() => createPool(ir, { externs: { visible: () => true, readFile: () => true } as never }))).toBe("HP8011");
  });
});
