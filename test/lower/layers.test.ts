// Layers: planners and their message channels, executors with handlers and default, events, arbiters with
// per-executor proposals, shields.
import { describe, expect, it } from "vitest";
import { printExpr, printPolicy } from "../../src/runtime/ir-print.ts";
import { compile, HOST, varNamed } from "./compile.ts";

const LAYERED = `${HOST}
message Order {
  Go { target: vec2, hurry: bool }
  Hold
  Strafe { side: float[-1.0, 1.0] }
}
event seen when obs.flag
event hit
planner boss every 500ms on seen, hit emits Order {
  selector {
    sequence {
      check obs.flag
      emit Go { hurry: true, target: obs.pos }
    }
    emit Hold
  }
}
executor body at 20hz follows boss writes move, fire {
  on Strafe set out.move = vec2(msg.side, 0.0)
  on Go sequence {
    set out.move = msg.target
    set out.fire = msg.hurry
  }
  default set out.fire = false
}
`;

describe("lowering layers", () => {
  it("lowers a planner's emits in payload field order and an executor's handlers against the kind's payload var", () => {
    const ir = compile(LAYERED);
    expect(printPolicy(ir)).toBe(
      [
        "planner boss: (sel (seq (check obs.flag) (emit Go target=obs.pos hurry=true)) (emit Hold))",
        "executor body on Strafe: (set out.move (vec2 msg.boss.Strafe.side 0))",
        "executor body on Go: (seq (set out.move msg.boss.Go.target) (set out.fire msg.boss.Go.hurry))",
        "executor body default: (set out.fire false)",
      ].join("\n"),
    );
    const [planner] = ir.planners;
    const [executor] = ir.executors;
    expect(planner).toMatchObject({ name: "boss", periodMs: 500, events: [0, 1], message: 0 });
    expect(ir.messages[0]!.kinds.map((k) => [k.name, k.fields.map((f) => f.name)])).toEqual([
      ["Go", ["target", "hurry"]],
      ["Hold", []],
      ["Strafe", ["side"]],
    ]);
    const kind = ir.layout.vars[planner!.kindVar]!;
    expect(kind).toMatchObject({ name: "msg.boss.kind", region: "msg", init: [-1], size: 1 });
    expect(planner!.payloadVars.map((v) => [ir.layout.vars[v]!.name, ir.layout.vars[v]!.size])).toEqual([
      ["msg.boss.Go", 3],
      ["msg.boss.Hold", 0],
      ["msg.boss.Strafe", 1],
    ]);
    expect(executor).toMatchObject({ name: "body", periodMs: 50, follows: 0 });
    expect(executor!.handlers.map((h) => h.kind)).toEqual([2, 0]);
    expect(executor!.writes.map((w) => ir.layout.vars[w]!.name)).toEqual(["out.move", "out.fire"]);
  });

  it("lowers edge-triggered events to a condition and leaves host events without one", () => {
    const ir = compile(LAYERED);
    expect(ir.events.map((e) => [e.name, e.when === undefined ? null : printExpr(ir, e.when)])).toEqual([
      ["seen", "obs.flag"],
      ["hit", null],
    ]);
  });

  it("redirects each executor's writes to an arbitrated output into its own proposal var", () => {
    const ir = compile(`${HOST}
executor a every 100ms writes move, fire {
  sequence {
    set out.move = vec2(1.0, 0.0)
    set out.fire = true
  }
}
executor b every 50ms writes move {
  set out.move = obs.pos
}
arbiter move: priority(b, a)
`);
    expect(printPolicy(ir)).toBe(["executor a: (seq (set proposal.a.move [1 0]) (set out.fire true))", "executor b: (set proposal.b.move obs.pos)"].join("\n"));
    const [arbiter] = ir.arbiters;
    expect(ir.layout.vars[arbiter!.output]!.name).toBe("out.move");
    expect(arbiter!.strategy).toEqual({ k: "priority", executors: [1, 0] });
    expect(arbiter!.proposals.map((p) => [p.executor, ir.layout.vars[p.var]!.name, ir.layout.vars[p.validVar]!.name])).toEqual([
      [0, "proposal.a.move", "proposal.a.move.valid"],
      [1, "proposal.b.move", "proposal.b.move.valid"],
    ]);
    const proposal = varNamed(ir, "proposal.a.move");
    expect([proposal.region, proposal.type, varNamed(ir, "proposal.a.move.valid").type]).toEqual(["proposal", { k: "vec", size: 2 }, { k: "bool" }]);
  });

  it("lowers utility, blend, vote and filter strategies with `value` in scope", () => {
    const ir = compile(`${HOST}
executor a every 100ms writes move, fire, speed {
  sequence {
    set out.move = vec2(1.0, 0.0)
    set out.fire = true
    set out.speed = 1.0
  }
}
executor b every 100ms writes move, fire, speed {
  sequence {
    set out.move = obs.pos
    set out.fire = obs.flag
    set out.speed = obs.x
  }
}
arbiter move: utility {
  a => 1.0
  b => if obs.flag then length(value) else 0.5
}
arbiter fire: vote(a, b)
arbiter speed: filter(value > 0.0) then blend { a => 2.0, b => obs.y }
`);
    const byOutput = new Map(ir.arbiters.map((a) => [ir.layout.vars[a.output]!.field, a.strategy]));
    const move = byOutput.get("move")!;
    expect(move.k).toBe("utility");
    if (move.k === "utility") expect(move.entries.map((e) => [e.executor, printExpr(ir, e.expr)])).toEqual([[0, "1"], [1, "(if obs.flag (length value) 0.5)"]]);
    expect(byOutput.get("fire")).toEqual({ k: "vote", executors: [0, 1] });
    const speed = byOutput.get("speed")!;
    if (speed.k !== "filter" || speed.then.k !== "blend") throw new Error(`unexpected ${speed.k}`);
    expect(printExpr(ir, speed.predicate)).toBe("(> value 0)");
    expect(speed.then.entries.map((e) => [e.executor, printExpr(ir, e.expr)])).toEqual([[0, "2"], [1, "obs.y"]]);
    expect(ir.arbiters.every((a) => a.proposals.length === 2)).toBe(true);
  });

  it("lowers clamp and deny shields against the final output", () => {
    const ir = compile(`${HOST}
executor a every 100ms writes move, fire {
  sequence {
    set out.move = obs.pos
    set out.fire = obs.flag
  }
}
shield move: clamp(vec2(-1.0, -1.0), vec2(1.0, 1.0))
shield fire: deny when value and length(out.move) > 0.5 fallback false
`);
    const rules = ir.shields.map((s) => [ir.layout.vars[s.output]!.name, s.rule]);
    expect(rules.map(([name, r]) => {
      const rule = r as (typeof ir.shields)[number]["rule"];
      return rule.k === "clamp"
        ? [name, "clamp", printExpr(ir, rule.min), printExpr(ir, rule.max)]
        : [name, "deny", printExpr(ir, rule.when), printExpr(ir, rule.fallback)];
    })).toEqual([
      ["out.move", "clamp", "[-1 -1]", "[1 1]"],
      ["out.fire", "deny", "(and value (> (length out.move) 0.5))", "false"],
    ]);
  });
});
