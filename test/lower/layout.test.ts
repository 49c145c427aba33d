// The frame layout: every var of every region, in the documented order, densely packed.
import { describe, expect, it } from "vitest";
import { compile, HOST } from "./compile.ts";

describe("frame layout", () => {
  it("packs obs, out, state, channels, proposals, then layer and tree-instance state, without gaps", () => {
    const ir = compile(`${HOST}
message Cue {
  Left
  Right { by: float }
}
state {
  score: float = 1.5
}
tree step() {
  state { k: int = 3 }
  set state.k = 4
}
planner p every 1s emits Cue {
  state { phase: bool = true }
  sequence {
    call step()
    emit Right { by: 2.0 }
  }
}
executor a every 100ms writes move {
  state { hold: vec2 = vec2(0.5, 0.25) }
  set out.move = state.hold
}
executor b every 100ms writes move {
  sequence {
    call step()
    set out.move = obs.pos
  }
}
arbiter move: priority(a, b)
`);
    const rows = ir.layout.vars.map((v) => [v.name, v.region, v.offset, v.size]);
    expect(rows).toEqual([
      ["obs.x", "obs", 0, 1],
      ["obs.y", "obs", 1, 1],
      ["obs.flag", "obs", 2, 1],
      ["obs.pos", "obs", 3, 2],
      ["obs.items", "obs", 5, 5],
      ["out.move", "out", 10, 2],
      ["out.fire", "out", 12, 1],
      ["out.speed", "out", 13, 1],
      ["state.score", "state", 14, 1],
      ["msg.p.kind", "msg", 15, 1],
      ["msg.p.Left", "msg", 16, 0],
      ["msg.p.Right", "msg", 16, 1],
      ["proposal.a.move", "proposal", 17, 2],
      ["proposal.a.move.valid", "proposal", 19, 1],
      ["proposal.b.move", "proposal", 20, 2],
      ["proposal.b.move.valid", "proposal", 22, 1],
      ["p.state.phase", "state", 23, 1],
      ["step#1.state.k", "state", 24, 1],
      ["a.state.hold", "state", 25, 2],
      ["step#2.state.k", "state", 27, 1],
    ]);
    expect(ir.layout.frameSize).toBe(28);
    const init = (name: string) => ir.layout.vars.find((v) => v.name === name)!.init;
    expect([init("state.score"), init("p.state.phase"), init("a.state.hold"), init("step#2.state.k"), init("msg.p.kind")]).toEqual([[1.5], [1], [0.5, 0.25], [3], [-1]]);
    expect(init("obs.x")).toBeUndefined();
    expect(ir.layout.state.map((id) => ir.layout.vars[id]!.name)).toEqual(["state.score", "p.state.phase", "step#1.state.k", "a.state.hold", "step#2.state.k"]);
    expect(ir.layout.observation.map((id) => ir.layout.vars[id]!.field)).toEqual(["x", "y", "flag", "pos", "items"]);
    expect(ir.layout.output.map((id) => ir.layout.vars[id]!.field)).toEqual(["move", "fire", "speed"]);
    // Declared ranges stay on vars: the runtime checks observations against them.
    expect(ir.layout.vars[1]!.type).toEqual({ k: "float", min: 0, max: 10 });
    expect(ir.layout.vars[1]!.span).toMatchObject({ file: "/virtual/spec.hpol", line: 4, column: 3 });
  });
});
