// Test blocks: given / raise / inject / run / expect, with `emitted(planner)` read from the planner's channel.
import { describe, expect, it } from "vitest";
import { printExpr } from "../../src/runtime/ir-print.ts";
import { compile, HOST } from "./compile.ts";

describe("lowering test blocks", () => {
  it("lowers every step kind against vars, events and channels", () => {
    const text = `${HOST}
message Order {
  Go { target: vec2 }
  Hold
}
event hit
state {
  alarms: int = 0
}
planner boss every 500ms on hit emits Order {
  selector {
    sequence {
      check obs.flag
      emit Go { target: obs.pos }
    }
    emit Hold
  }
}
executor body every 100ms follows boss writes move {
  on Go set out.move = msg.target
  default set out.move = vec2(0.0, 0.0)
}
test "goes where it is told" {
  given obs { flag: true, pos: vec2(3.0, 4.0) }
  given state { alarms: 2 }
  raise hit
  inject boss Go { target: vec2(1.0, 1.0) }
  run 3 ticks
  run 1s
  expect emitted(boss) == Order.Go and out.move.x > 0.5
}
`;
    const ir = compile(text);
    const [test] = ir.tests;
    expect(test!.name).toBe("goes where it is told");
    const steps = test!.steps.map((s) => {
      switch (s.k) {
        case "given":
          return ["given", ...s.assigns.map((a) => `${printExpr(ir, a.target)}=${printExpr(ir, a.value)}`)];
        case "raise":
          return ["raise", ir.events[s.event]!.name];
        case "inject":
          return ["inject", ir.planners[s.planner]!.name, s.kind, ...s.values.map((v) => printExpr(ir, v))];
        case "run":
          return ["run", s.ticks, s.ms];
        case "expect":
          return ["expect", printExpr(ir, s.expr), s.text];
      }
    });
    expect(steps).toEqual([
      ["given", "obs.flag=true", "obs.pos=[3 4]"],
      ["given", "state.alarms=2"],
      ["raise", "hit"],
      ["inject", "boss", 0, "[1 1]"],
      ["run", 3, null],
      ["run", null, 1000],
      ["expect", "(and (== msg.boss.kind Order.Go) (> out.move.x 0.5))", "emitted(boss) == Order.Go and out.move.x > 0.5"],
    ]);
    expect(test!.span).toMatchObject({ line: text.split("\n").indexOf(`test "goes where it is told" {`) + 1, column: 6 });
  });
});
