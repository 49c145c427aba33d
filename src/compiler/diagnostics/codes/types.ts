// HP3xxx — types, tensors, ports
import { defineCode } from "../diagnostic.ts";

const driveWith = (expr: string, outType = "float") => `observation { hp: float[0, 100], pos: vec2 }
output { speed: ${outType} }
executor drive at 10hz writes speed {
  set out.speed = ${expr}
}
`;

export const typesCodes = {
  mismatch: defineCode<{ expected: string; found: string }>({
    code: "HP3001",
    severity: "error",
    title: "type mismatch",
    message: (p) => `expected ${p.expected}, found ${p.found}`,
    explanation:
      "An expression has a type that does not fit where it is used. int widens to float implicitly; nothing " +
      "else converts implicitly. Enums, records and message types match only themselves.",
    example: driveWith("obs.pos"),
  }),
  notBool: defineCode<{ found: string }>({
    code: "HP3002",
    severity: "error",
    title: "condition is not bool",
    message: (p) => `condition must be bool, found ${p.found}`,
    explanation:
      "`check`, `guard`, `if`, event `when`, shield `deny when`, arbiter `filter` and test `expect` need a " +
      "bool. Numbers are not truthy: compare explicitly (`obs.hp > 0`).",
    example: `observation { hp: float }
output { speed: float }
executor drive at 10hz writes speed {
  sequence { check obs.hp set out.speed = 1.0 }
}
`,
  }),
  badOperands: defineCode<{ op: string; operands: string }>({
    code: "HP3003",
    severity: "error",
    title: "operator not applicable",
    message: (p) => `operator \`${p.op}\` cannot be applied to ${p.operands}`,
    explanation:
      "Arithmetic works on numbers and vectors (vector ± vector of the same size, vector * number, vector / " +
      "number); ordering comparisons on numbers; `==`/`!=` on numbers, bools, enums, vectors and message kinds.",
    example: `enum Mode { Idle, Run }
observation { mode: Mode }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = if obs.mode < Mode.Run then 1.0 else 0.0
}
`,
  }),
  literalOutOfRange: defineCode<{ value: string; target: string; range: string }>({
    code: "HP3004",
    severity: "error",
    title: "constant out of range",
    message: (p) => `${p.value} is outside the range ${p.range} of ${p.target}`,
    explanation:
      "A constant value is stored where a ranged int or float is declared, and the value lies outside the " +
      "declared inclusive range.",
    example: driveWith("1.5", "float[0, 1]"),
  }),
  mayBeOutOfRange: defineCode<{ found: string; target: string }>({
    code: "HP3005",
    severity: "error",
    title: "value may be out of range",
    message: (p) => `a value in ${p.found} may not fit ${p.target}`,
    explanation:
      "The range rule: every numeric expression has an inferred range (declared ranges of fields, interval " +
      "arithmetic on operators, clamp/min/max narrow it). Storing into a ranged field requires the inferred " +
      "range to lie inside the declared one. Otherwise wrap the value in `clamp(value, lo, hi)` — the " +
      "mechanical fix does exactly that — so saturation is explicit and visible in the spec.",
    example: driveWith("obs.hp / 50.0", "float[0, 1]"),
  }),
  floatToInt: defineCode<{ target: string }>({
    code: "HP3006",
    severity: "error",
    title: "float where int expected",
    message: (p) => `a float cannot be stored in ${p.target} without rounding`,
    explanation: "Floats never narrow to ints implicitly. Use `round`, `floor` or `ceil`; the fix wraps the value in round().",
    example: driveWith("obs.hp", "int"),
  }),
  nonExhaustive: defineCode<{ type: string; missing: string }>({
    code: "HP3007",
    severity: "error",
    title: "non-exhaustive match",
    message: (p) => `match over ${p.type} does not cover ${p.missing}`,
    explanation: "A `match` must have exactly one arm for every member of the enum (or kind of the message type).",
    example: `enum Mode { Idle, Walk, Run }
observation { mode: Mode }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = match obs.mode { Idle => 0.0, Run => 2.0 }
}
`,
  }),
  matchNotEnum: defineCode<{ found: string }>({
    code: "HP3008",
    severity: "error",
    title: "match over a non-enum",
    message: (p) => `match needs an enum or message value, found ${p.found}`,
    explanation: "`match` dispatches on enum members (or message kinds). Use `if … then … else` for other values.",
    example: `observation { hp: float }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = match obs.hp { Low => 0.0 }
}
`,
  }),
  argCount: defineCode<{ callee: string; expected: number | string; found: number }>({
    code: "HP3009",
    severity: "error",
    title: "wrong number of arguments",
    message: (p) => `\`${p.callee}\` takes ${p.expected} argument${p.expected === 1 || p.expected === "1" ? "" : "s"}, found ${p.found}`,
    explanation: "A builtin, extern or tree was given more positional arguments than it has parameters (or a builtin too few).",
    example: driveWith("clamp(obs.hp, 0.0)"),
  }),
  vecSize: defineCode<{ expected: number; found: number }>({
    code: "HP3010",
    severity: "error",
    title: "vector size mismatch",
    message: (p) => `expected a vector of size ${p.expected}, found size ${p.found}`,
    explanation: "Vector operations and assignments need vectors of the same size.",
    example: driveWith("[1.0, 2.0, 3.0]", "vec2"),
  }),
  tensorMismatch: defineCode<{ expected: string; found: string }>({
    code: "HP3011",
    severity: "error",
    title: "tensor type mismatch",
    message: (p) => `expected ${p.expected}, found ${p.found}`,
    explanation:
      "A value fed to a model input (or moved between tensors) must have the port's dtype and as many elements " +
      "as its per-agent shape (the shape without the batch dimension). A vecN or list of N numbers fits a " +
      "float tensor of N elements.",
    example: `observation { pos: vec3 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
  badIndex: defineCode<{ reason: string }>({
    code: "HP3012",
    severity: "error",
    title: "invalid index",
    message: (p) => p.reason,
    explanation:
      "Only lists, vectors and tensors can be indexed, with an int. A constant index must lie inside the " +
      "capacity. (A dynamic index past a list's current length reads the element type's zero value.)",
    example: `observation { enemies: list<vec2, 4> }
output { target: vec2 }
executor drive at 10hz writes target {
  set out.target = obs.enemies[4]
}
`,
  }),
  notAList: defineCode<{ aggregate: string; found: string }>({
    code: "HP3013",
    severity: "error",
    title: "aggregate over a non-list",
    message: (p) => `\`${p.aggregate}\` ranges over a list, found ${p.found}`,
    explanation: "Aggregates (any, all, count, sum, min_by, max_by, min_of, max_of) run over fixed-capacity lists only, so every tick is bounded.",
    example: `observation { pos: vec2 }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = sum(c in obs.pos: c)
}
`,
  }),
  initNotAllowed: defineCode<{ where: string }>({
    code: "HP3014",
    severity: "error",
    title: "initial value not allowed",
    message: (p) => `fields of ${p.where} cannot have an initial value`,
    explanation: "Only fields of `state` blocks have initial values; records, messages, the observation and the output describe data that comes from elsewhere.",
    example: `observation { hp: float = 100.0 }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = obs.hp
}
`,
  }),
  missingFields: defineCode<{ owner: string; missing: string }>({
    code: "HP3015",
    severity: "error",
    title: "missing payload fields",
    message: (p) => `${p.owner} needs ${p.missing}`,
    explanation: "An `emit` (or test `inject`) must give every field of the message kind's payload.",
    example: `message Intent { Go { target: vec2 }, Stop }
output { target: vec2 }
planner brain every 500ms emits Intent {
  emit Go {}
}
executor legs at 30hz follows brain writes target {
  on Go set out.target = msg.target
  on Stop set out.target = [0.0, 0.0]
}
`,
  }),
  notConstant: defineCode<{ name: string; reason: string }>({
    code: "HP3016",
    severity: "error",
    title: "not a constant",
    message: (p) => `\`${p.name}\` is not a constant: ${p.reason}`,
    explanation:
      "Constants, parameter defaults and state initial values are evaluated before any tick: they may use " +
      "literals, other constants, enum members and pure builtins, but not the RNG, externs, or themselves.",
    example: `const a = a + 1
output { n: int }
executor count at 10hz writes n {
  set out.n = a
}
`,
  }),
  badType: defineCode<{ reason: string }>({
    code: "HP3017",
    severity: "error",
    title: "invalid type",
    message: (p) => `invalid type: ${p.reason}`,
    explanation: "A range must not be empty and an int range needs integer bounds; vectors and lists need a positive size.",
    example: driveWith("1.0", "float[1, 0]"),
  }),
  missingArgs: defineCode<{ callee: string; missing: string }>({
    code: "HP3018",
    severity: "error",
    title: "missing arguments",
    message: (p) => `call to \`${p.callee}\` is missing ${p.missing}`,
    explanation: "Every parameter without a default value needs an argument.",
    example: `extern action move_to(x: float, y: float)
output { speed: float }
executor drive at 10hz writes speed {
  sequence { do move_to(1.0) set out.speed = 1.0 }
}
`,
  }),
  badPort: defineCode<{ port: string; reason: string }>({
    code: "HP3019",
    severity: "error",
    title: "invalid model port",
    message: (p) => `model port \`${p.port}\`: ${p.reason}`,
    explanation: "Model inputs and outputs are tensors; only the leading (batch) dimension may be symbolic or `?`.",
    example: `output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: vec4
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = [0.0, 0.0, 0.0, 0.0]  write out.act = act }
}
`,
  }),
  inputNotFed: defineCode<{ model: string; missing: string }>({
    code: "HP3020",
    severity: "error",
    title: "model input not fed",
    message: (p) => `infer \`${p.model}\` does not feed ${p.missing}`,
    explanation: "Every input of the model needs exactly one `feed` in each infer node.",
    example: `output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { write out.act = act }
}
`,
  }),
  recursiveType: defineCode<{ name: string }>({
    code: "HP3021",
    severity: "error",
    title: "recursive type",
    message: (p) => `type \`${p.name}\` contains itself`,
    explanation: "Records and aliases must have a finite, fixed layout; a type cannot contain itself, even through a list.",
    example: `record Node { children: list<Node, 4> }
observation { root: Node }
output { speed: float }
executor drive at 10hz writes speed {
  set out.speed = 1.0
}
`,
  }),
  chunkMismatch: defineCode<{ steps: number; output: string; shape: string }>({
    code: "HP3022",
    severity: "error",
    title: "chunk does not match the model output",
    message: (p) => `\`chunk ${p.steps}\` needs output \`${p.output}\` to start with ${p.steps} steps, its per-agent shape is ${p.shape}`,
    explanation: "With `chunk H`, every model output's per-agent shape must start with H; the executor plays one step per tick.",
    example: `observation { pos: vec4 }
output { act: vec2 }
model plan from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer plan { feed obs = obs.pos  chunk 3  write out.act = act }
}
`,
  }),
  cannotInfer: defineCode<{ what: string }>({
    code: "HP3023",
    severity: "error",
    title: "cannot infer a type",
    message: (p) => `cannot infer ${p.what}`,
    explanation: "An empty list literal needs an expected type from its context (a typed field, parameter or constant).",
    example: driveWith("float(len([]))"),
  }),
  tooManyElements: defineCode<{ found: number; capacity: number }>({
    code: "HP3024",
    severity: "error",
    title: "list exceeds capacity",
    message: (p) => `${p.found} elements do not fit a list of capacity ${p.capacity}`,
    explanation: "A list value may not have more elements than the capacity of the list it is stored in.",
    example: `state { path: list<int, 2> = [1, 2, 3] }
output { n: int }
executor drive at 10hz writes n {
  set out.n = state.path[0]
}
`,
  }),
  divByZero: defineCode({
    code: "HP3025",
    severity: "error",
    title: "division by constant zero",
    message: () => "division by zero",
    explanation: "The divisor is a constant zero. (A divisor that is zero only at run time yields 0, so ticks stay total.)",
    example: driveWith("obs.hp / 0"),
  }),
  portNotInModel: defineCode<{ direction: string; name: string; model: string; available: string }>({
    code: "HP3030",
    severity: "error",
    title: "declared port not in the model file",
    message: (p) => `the file of model \`${p.model}\` has no ${p.direction} \`${p.name}\` (it has ${p.available})`,
    explanation: "Every declared input and output must exist in the model file under the same name. (In this example, aim.onnx has input `obs` f32[batch, 4] and output `act` f32[batch, 2].)",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output action: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = action }
}
`,
  }),
  portDtype: defineCode<{ tensor: string; expected: string; actual: string }>({
    code: "HP3031",
    severity: "error",
    title: "tensor dtype differs from the model file",
    message: (p) => `tensor \`${p.tensor}\` is declared ${p.expected} but the model file has ${p.actual}`,
    explanation: "The declared dtype of a port must be the dtype in the model file.",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f64, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
  portShape: defineCode<{ tensor: string; expected: string; actual: string }>({
    code: "HP3032",
    severity: "error",
    title: "tensor shape differs from the model file",
    message: (p) => `tensor \`${p.tensor}\` is declared with shape ${p.expected} but the model file has ${p.actual}`,
    explanation:
      "Declared shapes must describe the file: same rank, equal fixed dimensions, and a symbolic or `?` " +
      "dimension (the batch) only where the file's dimension is dynamic too, so agents can be batched.",
    example: `observation { pos: vec3 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 3]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
  undeclaredModelInput: defineCode<{ model: string; names: string }>({
    code: "HP3033",
    severity: "error",
    title: "model input not declared",
    message: (p) => `model \`${p.model}\` needs input ${p.names}, which the declaration does not list`,
    explanation: "The model file has an input the declaration omits; it could never be fed. Declare it and feed it.",
    example: `output { act: vec2 }
model aim from "aim.onnx" using onnx {
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { write out.act = act }
}
`,
  }),
} as const;
