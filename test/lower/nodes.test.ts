// Tree nodes: every composite, decorator and leaf, parallel defaults, subtree inlining.
import { describe, expect, it } from "vitest";
import { printPolicy } from "../../src/runtime/ir-print.ts";
import { nodeChildren } from "../../src/runtime/ir.ts";
import { compile, HOST, SPEC, varNamed } from "./compile.ts";

describe("lowering tree nodes", () => {
  it("lowers every composite, decorator and leaf, filling a defaulted action argument", () => {
    const ir = compile(`${HOST}
extern action shoot(power: float = 1.0) writes fire
extern condition ready()
executor main every 100ms writes fire, speed {
  sequence "root" {
    reactive sequence { check obs.flag succeed }
    selector { fail running }
    reactive selector { check ready() wait 200ms }
    race { wait 1s do shoot() }
    invert check obs.x > 1.0
    repeat(3) succeed
    retry(2) fail
    timeout(500ms) running
    cooldown(1s) succeed
    delay(250ms) succeed
    once set out.speed = obs.x
    force_success fail
    force_failure succeed
    guard while obs.flag running
    guard until obs.y > 5.0 running
    do shoot(2.0)
  }
}
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (rseq (check obs.flag) (success)) (sel (failure) (running)) (rsel (check (ready)) (wait 200))" +
        " (race (wait 1000) (do shoot 1)) (invert (check (> obs.x 1))) (repeat 3 (success)) (retry 2 (failure))" +
        " (timeout 500 (running)) (cooldown 1000 (success)) (delay 250 (success)) (once (set out.speed obs.x))" +
        " (force_success (failure)) (force_failure (success)) (guard_while obs.flag (running))" +
        " (guard_until (> obs.y 5) (running)) (do shoot 2))",
    );
    const root = ir.executors[0]!.default!;
    expect(ir.nodes[root]!.label).toBe("root");
    expect(ir.externs.map((x) => [x.name, x.kind, x.writes.map((w) => ir.layout.vars[w]!.name)])).toEqual([
      ["shoot", "action", ["out.fire"]],
      ["ready", "condition", []],
    ]);
  });

  it("fills parallel thresholds: success = every child, failure = 1", () => {
    const ir = compile(`${HOST}
executor main every 100ms {
  sequence {
    parallel { succeed running fail }
    parallel(success: 1) { succeed running }
    parallel(failure: 2, success: 2) "both" { succeed running }
  }
}
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (par 3 1 (success) (running) (failure)) (par 1 1 (success) (running)) (par 2 2 (success) (running)))",
    );
  });

  it("inlines each call with its own state copy, parameters bound to arguments and defaults filled", () => {
    const text = `${HOST}
tree counter(limit: int, step: int = 1) {
  state { n: int[0, 100] = 5 }
  sequence {
    check state.n < limit
    set state.n = clamp(state.n + step, 0, 100)
  }
}
executor main every 100ms {
  sequence {
    call counter(10)
    call counter(limit: 20, step: 3)
  }
}
`;
    const ir = compile(text);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq" +
        " (seq (check (< counter#1.state.n 10)) (set counter#1.state.n (clamp (+ counter#1.state.n 1) 0 100)))" +
        " (seq (check (< counter#2.state.n 20)) (set counter#2.state.n (clamp (+ counter#2.state.n 3) 0 100))))",
    );
    const a = varNamed(ir, "counter#1.state.n");
    const b = varNamed(ir, "counter#2.state.n");
    expect([a.init, b.init, a.region, b.region]).toEqual([[5], [5], "state", "state"]);
    expect(a.offset).not.toBe(b.offset);
    expect(ir.layout.state).toEqual(expect.arrayContaining([a.id, b.id]));
    // Two instances: two distinct sets of node ids, both mapped back to the tree's source lines.
    const [first, second] = nodeChildren(ir.nodes[ir.executors[0]!.default!]!);
    expect(first).not.toBe(second);
    expect(ir.spans.nodes[first!]).toEqual(ir.spans.nodes[second!]);
    const line = text.split("\n").indexOf("  sequence {") + 1;
    expect(ir.spans.nodes[first!]).toMatchObject({ file: SPEC, line, column: 3, start: text.indexOf("  sequence {") + 2 });
  });

  it("lowers an argument in the caller's scope, through nested calls and the caller's own state", () => {
    const ir = compile(`${HOST}
tree near(p: vec2, r: float) {
  check distance(p, obs.pos) < r
}
tree patrol(goal: vec2) {
  state { legs: int = 0 }
  selector {
    call near(goal, 2.0)
    set state.legs = state.legs + 1
  }
}
executor main every 100ms {
  state { home: vec2 = vec2(1.0, 2.0) }
  sequence {
    call patrol(main_home())
  }
}
extern function main_home() -> vec2
`);
    expect(printPolicy(ir)).toBe(
      "executor main: (seq (sel (check (< (distance (main_home) obs.pos) 2)) (set patrol#1.state.legs (+ patrol#1.state.legs 1))))",
    );
    expect(varNamed(ir, "main.state.home").init).toEqual([1, 2]);
  });
});
