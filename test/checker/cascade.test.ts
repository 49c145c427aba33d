// Poisoning: one mistake gives one diagnostic per use, never follow-on errors.
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/compiler/program.ts";

const host = { readFile: () => undefined };

describe("cascade control", () => {
  it("a misspelt constant used in five places gives exactly five diagnostics", () => {
    const text = `const max_speed: float[0, 1] = 0.8
observation { hp: float[0, 100], pos: vec2 }
output { speed: float[0, 1], aim: vec2, run: bool }
tree go(throttle: float[0, 1]) { set out.speed = throttle }
executor drive at 10hz writes speed, aim, run {
  sequence {
    check max_sped > 0.1
    set out.speed = clamp(max_sped * 2.0, 0.0, 1.0)
    set out.aim = obs.pos * max_sped
    set out.run = max_sped > 0.5 and obs.hp > 50.0
    call go(max_sped)
  }
}
`;
    const result = checkSource(text, "/virtual/five.hpol", host);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HP2001", "HP2001", "HP2001", "HP2001", "HP2001"]);
    for (const d of result.diagnostics) {
      expect(text.slice(d.span.start, d.span.end)).toBe("max_sped");
      expect(d.fix?.replacement).toBe("max_speed");
    }
  });

  it("a field of a broken type is silent at every use", () => {
    const text = `observation { target: Targt }
record Target { pos: vec2 }
output { aim: vec2, near: bool }
executor drive at 10hz writes aim, near {
  sequence {
    set out.aim = obs.target.pos
    set out.near = length(obs.target.pos - obs.target.pos) < 1.0
  }
}
`;
    const result = checkSource(text, "/virtual/type.hpol", host);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HP2001"]);
  });

  it("a broken import poisons its names instead of reporting every use", () => {
    const text = `import { Color } from "./nowhere.hpol"
output { paint: Color }
executor brush at 10hz writes paint { set out.paint = Color.Red }
`;
    const result = checkSource(text, "/virtual/imp.hpol", host);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HP5001"]);
  });

  it("no typed program is produced when there are errors, one is when there are only warnings", () => {
    const bad = checkSource("output { speed: float }\nexecutor e at 10hz writes speed { set out.speed = nope }\n", "/virtual/a.hpol", host);
    expect(bad.program).toBeUndefined();
    const warn = checkSource("const spare = 1\noutput { speed: float }\nexecutor e at 10hz writes speed { set out.speed = 1.0 }\n", "/virtual/b.hpol", host);
    expect(warn.diagnostics.map((d) => d.code)).toEqual(["HP2012"]);
    expect(warn.program).toBeDefined();
  });
});
