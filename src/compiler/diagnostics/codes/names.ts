// HP2xxx — name resolution, imports
import { defineCode } from "../diagnostic.ts";

export const namesCodes = {
  unknownName: defineCode<{ what: string; name: string }>({
    code: "HP2001",
    severity: "error",
    title: "unknown name",
    message: (p) => `cannot find ${p.what} \`${p.name}\``,
    explanation:
      "A name used in the spec is not declared in this module and is not imported. Names are module-scoped: a " +
      "declaration in another file must be imported with `import { name } from \"./file.hpol\"`. When a " +
      "declared name is close in spelling, the diagnostic suggests it and carries a mechanical fix.",
    example: `output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = top_speed
}
`,
  }),
  unknownField: defineCode<{ owner: string; name: string }>({
    code: "HP2002",
    severity: "error",
    title: "unknown field",
    message: (p) => `${p.owner} has no field \`${p.name}\``,
    explanation:
      "A field access names a field that the record, observation, output, state block or message payload does " +
      "not declare. Vectors have the fields x, y, z, w (as many as their size).",
    example: `observation { hp: float }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = obs.health
}
`,
  }),
  unknownMember: defineCode<{ owner: string; name: string }>({
    code: "HP2003",
    severity: "error",
    title: "unknown enum member or message kind",
    message: (p) => `${p.owner} has no member \`${p.name}\``,
    explanation:
      "An enum member, match arm, message kind (in `emit`, an `on` handler or a test `inject`) names a member " +
      "that the enum or message type does not declare.",
    example: `enum Mode { Idle, Run }
output { mode: Mode }
executor drive at 10hz writes mode {
  set out.mode = Mode.Walk
}
`,
  }),
  duplicate: defineCode<{ name: string; where: string }>({
    code: "HP2004",
    severity: "error",
    title: "duplicate declaration",
    message: (p) => `\`${p.name}\` is declared twice in ${p.where}`,
    explanation:
      "Two declarations share a name in one scope: module declarations, fields of a record or block, enum " +
      "members, message kinds, parameters, payload fields, match arms or handlers. The program-wide " +
      "`observation`, `output` and top-level `state` blocks may each appear once in a program.",
    example: `output { speed: float, speed: float }
executor drive at 10hz writes speed {
  set out.speed = 1.0
}
`,
  }),
  importCycle: defineCode<{ cycle: string }>({
    code: "HP2005",
    severity: "error",
    title: "import cycle",
    message: (p) => `import cycle: ${p.cycle}`,
    explanation:
      "Modules import each other in a cycle. Imports must form a directed acyclic graph; move the shared " +
      "declarations into a module that both import.",
    example: `import { Mode } from "./example.hpol"
enum Mode { Idle, Run }
output { mode: Mode }
executor drive at 10hz writes mode {
  set out.mode = Mode.Run
}
`,
  }),
  notExported: defineCode<{ path: string; name: string }>({
    code: "HP2006",
    severity: "error",
    title: "imported name not declared",
    message: (p) => `module "${p.path}" does not declare \`${p.name}\``,
    explanation:
      "An import names a declaration that the imported module does not contain. (In this example, lib.hpol " +
      "declares `enum Color { Red, Green }`.)",
    example: `import { Colour } from "./lib.hpol"
`,
  }),
  wrongKind: defineCode<{ name: string; actual: string; expected: string }>({
    code: "HP2007",
    severity: "error",
    title: "name denotes the wrong kind of thing",
    message: (p) => `\`${p.name}\` is ${article(p.actual)} ${p.actual}, not ${article(p.expected)} ${p.expected}`,
    explanation:
      "A name resolves, but to a declaration of the wrong kind: `do` needs an extern action, `call` a tree, " +
      "`infer` a model, `follows` a planner, a type position a type, and so on.",
    example: `tree attack() { succeed }
output { speed: float }
executor drive at 10hz writes speed {
  sequence { do attack() call attack() set out.speed = 1.0 }
}
`,
  }),
  unknownArgument: defineCode<{ name: string; callee: string }>({
    code: "HP2008",
    severity: "error",
    title: "unknown named argument",
    message: (p) => `\`${p.callee}\` has no parameter \`${p.name}\``,
    explanation: "A named argument does not match any parameter of the called tree, action or function.",
    example: `extern action move_to(x: float)
output { speed: float }
executor drive at 10hz writes speed {
  sequence { do move_to(y: 1.0) set out.speed = 1.0 }
}
`,
  }),
  unknownPort: defineCode<{ model: string; direction: string; name: string }>({
    code: "HP2009",
    severity: "error",
    title: "unknown model port",
    message: (p) => `model \`${p.model}\` has no ${p.direction} \`${p.name}\``,
    explanation: "A `feed` names an input, and `refine … from … to …` an output and an input, that the model declaration does not declare.",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  feed goal = obs.pos  write out.act = act }
}
`,
  }),
  rootUnavailable: defineCode<{ root: string; where: string }>({
    code: "HP2010",
    severity: "error",
    title: "root not available here",
    message: (p) => `\`${p.root}\` is not available ${p.where}`,
    explanation:
      "The roots `obs`, `state`, `out`, `msg` and `value` are in scope only in some places: `msg` inside an " +
      "executor's `on Kind` handler (it is that kind's payload); `value` inside arbiter and shield " +
      "expressions (it is the proposed output value); `out` is not readable in shields, events or constants; " +
      "`state` and `obs` are not available in constants.",
    example: `output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = msg.speed
}
`,
  }),
  unused: defineCode<{ what: string; name: string }>({
    code: "HP2012",
    severity: "warning",
    title: "unused declaration",
    message: (p) => `${p.what} \`${p.name}\` is never used`,
    explanation:
      "A declaration (type, constant, extern, event, model, tree, or state field) is never referenced. " +
      "Remove it or use it; unused declarations usually mean a typo elsewhere.",
    example: `const max_speed = 2.0
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = 1.0
}
`,
  }),
} as const;

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? "an" : "a";
}
