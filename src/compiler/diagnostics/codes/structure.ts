// HP4xxx — graph structure: layers, rates, authority, arbiters, shields
import { defineCode } from "../diagnostic.ts";

export const structureCodes = {
  emitOutsidePlanner: defineCode({
    code: "HP4001",
    severity: "error",
    title: "emit outside a planner",
    message: () => "`emit` is only allowed in the body of a planner",
    explanation:
      "Messages are emitted by planners, into the channel their executors follow. Trees and executors cannot " +
      "emit (a tree is reusable and has no message type of its own).",
    example: `message Intent { Go }
output { speed: float }
planner brain every 500ms emits Intent { emit Go }
executor legs at 30hz follows brain writes speed {
  sequence { emit Go set out.speed = 1.0 }
}
`,
  }),
  unhandledKinds: defineCode<{ executor: string; message: string; missing: string }>({
    code: "HP4004",
    severity: "error",
    title: "message kinds not handled",
    message: (p) => `executor \`${p.executor}\` does not handle ${p.missing} of ${p.message}`,
    explanation: "An executor with `on` handlers must handle every kind of its planner's message type, or declare a `default` handler.",
    example: `message Intent { Go, Stop }
output { speed: float }
planner brain every 500ms emits Intent { emit Go }
executor legs at 30hz follows brain writes speed {
  on Go set out.speed = 1.0
}
`,
  }),
  handlersWithoutPlanner: defineCode<{ executor: string }>({
    code: "HP4005",
    severity: "error",
    title: "handlers without a planner",
    message: (p) => `executor \`${p.executor}\` has \`on\` handlers but follows no planner`,
    explanation: "Message handlers need a message channel: add `follows <planner>` to the executor.",
    example: `output { speed: float }
executor legs at 30hz writes speed {
  default set out.speed = 1.0
}
`,
  }),
  executorTooSlow: defineCode<{ executor: string; planner: string; executorPeriod: string; plannerPeriod: string }>({
    code: "HP4006",
    severity: "error",
    title: "executor slower than its planner",
    message: (p) =>
      `executor \`${p.executor}\` ticks every ${p.executorPeriod} ms, slower than planner \`${p.planner}\` (every ${p.plannerPeriod} ms)`,
    explanation: "An executor plays out its planner's messages; ticking slower than the planner would drop messages unseen.",
    example: `message Intent { Go }
output { speed: float }
planner brain at 10hz emits Intent { emit Go }
executor legs every 500ms follows brain writes speed {
  on Go set out.speed = 1.0
}
`,
  }),
  writeConflict: defineCode<{ field: string; first: string; second: string }>({
    code: "HP4007",
    severity: "error",
    title: "write-write conflict",
    message: (p) => `output \`${p.field}\` is written by both \`${p.first}\` and \`${p.second}\` and no arbiter is declared for it`,
    explanation: "Every output field is written by at most one executor, unless an arbiter for that field decides between the proposals.",
    example: `output { speed: float }
executor a at 10hz writes speed { set out.speed = 1.0 }
executor b at 10hz writes speed { set out.speed = 2.0 }
`,
  }),
  writesUndeclared: defineCode<{ layer: string; field: string }>({
    code: "HP4008",
    severity: "error",
    title: "write outside the layer's authority",
    message: (p) => `\`${p.layer}\` writes \`out.${p.field}\` but \`${p.field}\` is not in its \`writes\` list`,
    explanation: "A layer may write only the outputs it declares in `writes` — directly, through an infer node, or through the trees it calls.",
    example: `output { speed: float, turn: float }
executor drive at 10hz writes speed {
  sequence { set out.speed = 1.0 set out.turn = 0.5 }
}
`,
  }),
  actionWritesUndeclared: defineCode<{ action: string; field: string; layer: string }>({
    code: "HP4009",
    severity: "error",
    title: "action writes outside the layer's authority",
    message: (p) => `action \`${p.action}\` writes \`${p.field}\`, which \`${p.layer}\` does not declare in \`writes\``,
    explanation: "An extern action may write only the outputs it declares, and the layer running it must hold authority over each of them.",
    example: `extern action shoot() writes fire
output { speed: float, fire: bool }
executor drive at 10hz writes speed {
  sequence { do shoot() set out.speed = 1.0 }
}
executor gun at 10hz writes fire { set out.fire = false }
`,
  }),
  plannerWritesOutput: defineCode<{ planner: string; field: string }>({
    code: "HP4010",
    severity: "error",
    title: "planner writes an output",
    message: (p) => `planner \`${p.planner}\` cannot write output \`${p.field}\``,
    explanation: "Planners decide by emitting messages; only executors write outputs (directly, by actions, or through trees they call).",
    example: `message Intent { Go }
output { speed: float }
planner brain every 500ms emits Intent {
  sequence { set out.speed = 1.0 emit Go }
}
executor legs at 30hz follows brain writes speed {
  on Go set out.speed = 1.0
}
`,
  }),
  recursion: defineCode<{ cycle: string }>({
    code: "HP4011",
    severity: "error",
    title: "recursive subtrees",
    message: (p) => `subtrees call each other recursively: ${p.cycle}`,
    explanation: "Subtree calls must form an acyclic graph, so every tick finishes. Replace the recursion with `repeat`/`retry` or a bounded structure.",
    example: `output { speed: float }
tree a() { sequence { set out.speed = 1.0 call b() } }
tree b() { call a() }
executor drive at 10hz writes speed { call a() }
`,
  }),
  unreachable: defineCode<{ composite: string }>({
    code: "HP4012",
    severity: "warning",
    title: "unreachable node",
    message: (p) => `this node is never reached: the ${p.composite} stops at an earlier child`,
    explanation:
      "In a selector, a child that never fails (e.g. `succeed`, `set`, `force_success`) ends the selector, so " +
      "later children never run; in a sequence, a child that never succeeds does the same.",
    example: `output { speed: float }
executor drive at 10hz writes speed {
  selector { set out.speed = 1.0 set out.speed = 2.0 }
}
`,
  }),
  outputNeverWritten: defineCode<{ field: string }>({
    code: "HP4013",
    severity: "warning",
    title: "output never written",
    message: (p) => `output \`${p.field}\` is never written`,
    explanation: "No executor writes this output field (directly, by an action, or through a tree); the host always sees its zero value.",
    example: `output { speed: float, turn: float }
executor drive at 10hz writes speed { set out.speed = 1.0 }
`,
  }),
  readBeforeWrite: defineCode<{ name: string }>({
    code: "HP4014",
    severity: "warning",
    title: "state read before any write",
    message: (p) => `state field \`${p.name}\` is read before it is ever written`,
    explanation: "A state field without an initial value starts at its type's zero value; reading it before the first write usually means a missing initial value.",
    example: `state { target: float }
output { speed: float }
executor drive at 10hz writes speed {
  sequence { set out.speed = state.target set state.target = 1.0 }
}
`,
  }),
  arbiterEntryNotWriter: defineCode<{ executor: string; field: string }>({
    code: "HP4015",
    severity: "error",
    title: "arbiter lists a non-writer",
    message: (p) => `arbiter for \`${p.field}\` lists \`${p.executor}\`, which does not write \`${p.field}\``,
    explanation: "An arbiter decides between the executors that write its output; each executor it names must list the output in `writes`.",
    example: `output { speed: float, turn: float }
executor a at 10hz writes speed { set out.speed = 1.0 }
executor b at 10hz writes turn { set out.turn = 1.0 }
arbiter speed: priority(a, b)
`,
  }),
  writerNotArbitrated: defineCode<{ executor: string; field: string }>({
    code: "HP4016",
    severity: "error",
    title: "writer missing from arbiter",
    message: (p) => `executor \`${p.executor}\` writes \`${p.field}\` but its arbiter does not list it`,
    explanation: "An arbiter must name every executor that writes its output; otherwise that executor's proposal would have no place in the decision.",
    example: `output { speed: float }
executor a at 10hz writes speed { set out.speed = 1.0 }
executor b at 10hz writes speed { set out.speed = 2.0 }
arbiter speed: priority(a)
`,
  }),
  strategyType: defineCode<{ strategy: string; field: string; type: string; needs: string }>({
    code: "HP4017",
    severity: "error",
    title: "strategy does not fit the output type",
    message: (p) => `\`${p.strategy}\` cannot combine \`${p.field}\` of type ${p.type}: it needs ${p.needs}`,
    explanation: "blend and clamp need numbers or vectors; vote needs values that can be counted as equal (bool, int, enum).",
    example: `enum Mode { Idle, Run }
output { mode: Mode }
executor a at 10hz writes mode { set out.mode = Mode.Idle }
executor b at 10hz writes mode { set out.mode = Mode.Run }
arbiter mode: blend { a => 1.0, b => 1.0 }
`,
  }),
  duplicateArbiterOrShield: defineCode<{ what: string; field: string }>({
    code: "HP4018",
    severity: "error",
    title: "second arbiter or shield for an output",
    message: (p) => `output \`${p.field}\` already has ${p.what === "arbiter" ? "an" : "a"} ${p.what}`,
    explanation: "Each output has at most one arbiter and one shield; their order is fixed (executors → arbiter → shield), so a second one would be ambiguous.",
    example: `output { speed: float }
executor a at 10hz writes speed { set out.speed = 1.0 }
shield speed: clamp(0.0, 1.0)
shield speed: clamp(0.0, 2.0)
`,
  }),
  raiseEdgeEvent: defineCode<{ event: string }>({
    code: "HP4020",
    severity: "error",
    title: "raising an edge-triggered event",
    message: (p) => `event \`${p.event}\` is raised by its \`when\` condition and cannot be raised by the host`,
    explanation: "Only events declared without `when` are host events; a test raises them with `raise`. Drive edge-triggered events through observations.",
    example: `observation { hp: float }
event hurt when obs.hp < 50.0
message Intent { Go }
output { speed: float }
planner brain on hurt emits Intent { emit Go }
executor legs at 30hz follows brain writes speed { on Go set out.speed = 1.0 }
test "hurt" { raise hurt run 1 ticks expect out.speed == 1.0 }
`,
  }),
  eventBeforeDeclaration: defineCode<{ event: string }>({
    code: "HP4021",
    severity: "error",
    title: "event used before its declaration",
    message: (p) => `event \`${p.event}\` is used before it is declared`,
    explanation:
      "Events are declared before the planners that trigger on them (or imported), so a reader sees every " +
      "event a layer can react to before the layer itself. Move the `event` declaration above its first use.",
    example: `message Intent { Go }
output { speed: float }
planner brain on alarm emits Intent { emit Go }
event alarm
executor legs at 30hz follows brain writes speed { on Go set out.speed = 1.0 }
test "alarm" { raise alarm run 1 ticks expect out.speed == 1.0 }
`,
  }),
  badCount: defineCode<{ what: string; reason: string }>({
    code: "HP4022",
    severity: "error",
    title: "invalid count, duration or threshold",
    message: (p) => `${p.what} ${p.reason}`,
    explanation: "repeat/retry counts, chunk and refine counts, durations, rates and parallel thresholds must be positive (thresholds at most the number of children).",
    example: `output { speed: float }
executor drive at 10hz writes speed {
  repeat(0) set out.speed = 1.0
}
`,
  }),
} as const;
