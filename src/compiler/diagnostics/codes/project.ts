// HP5xxx — project, files, models
import { defineCode } from "../diagnostic.ts";

export const projectCodes = {
  fileNotFound: defineCode<{ path: string }>({
    code: "HP5001",
    severity: "error",
    title: "file not found",
    message: (p) => `cannot read \`${p.path}\``,
    explanation: "A spec file given on the command line, or imported by another spec, does not exist or cannot be read. Import paths are relative to the importing file.",
    example: `import { Mode } from "./nowhere.hpol"
`,
  }),
  modelMissing: defineCode<{ path: string }>({
    code: "HP5002",
    severity: "error",
    title: "model file not found",
    message: (p) => `model file \`${p.path}\` does not exist`,
    explanation: "The file of a model declaration is opened at check time to verify its signature. Paths are relative to the spec file.",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "missing.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
  modelUnreadable: defineCode<{ path: string; reason: string }>({
    code: "HP5003",
    severity: "error",
    title: "model file unreadable",
    message: (p) => `cannot read model \`${p.path}\`: ${p.reason}`,
    explanation: "The model file exists but is not a valid model for the declared backend (an ONNX protobuf, or a TF.js model.json). (In this example, broken.onnx contains text.)",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "broken.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
  // ---- limits (src/runtime/limits.ts; `--limit name=value` on the command line, `limits` in CheckOptions)
  tooManyNodes: defineCode<{ where: string; size: string; max: number }>({
    code: "HP5010",
    severity: "error",
    title: "policy too large after inlining subtree calls",
    message: (p) => `${p.where} expands to ${p.size} tree and expression nodes once subtree calls are inlined, more than the limit of ${p.max}`,
    explanation:
      "Lowering inlines every `call` with its own copy of the called tree, so a tree that calls another twice, which " +
      "calls another twice, and so on, doubles in size at every level: twenty levels are a million copies. The " +
      "checker measures the inlined size before lowering and stops here instead of exhausting memory. Share work " +
      "between branches instead of calling the same subtree many times, or raise the limit (`--limit nodes=N`) " +
      "for a spec you trust.",
    example: `observation { x: float }
output { y: float }
tree t20() { set out.y = obs.x + obs.x * obs.x }
tree t19() { sequence { call t20()  call t20() } }
tree t18() { sequence { call t19()  call t19() } }
tree t17() { sequence { call t18()  call t18() } }
tree t16() { sequence { call t17()  call t17() } }
tree t15() { sequence { call t16()  call t16() } }
tree t14() { sequence { call t15()  call t15() } }
tree t13() { sequence { call t14()  call t14() } }
tree t12() { sequence { call t13()  call t13() } }
tree t11() { sequence { call t12()  call t12() } }
tree t10() { sequence { call t11()  call t11() } }
tree t9() { sequence { call t10()  call t10() } }
tree t8() { sequence { call t9()  call t9() } }
tree t7() { sequence { call t8()  call t8() } }
tree t6() { sequence { call t7()  call t7() } }
tree t5() { sequence { call t6()  call t6() } }
tree t4() { sequence { call t5()  call t5() } }
tree t3() { sequence { call t4()  call t4() } }
tree t2() { sequence { call t3()  call t3() } }
tree t1() { sequence { call t2()  call t2() } }
executor run at 10hz writes y { call t1() }
`,
  }),
  valueTooLarge: defineCode<{ what: string; size: string; max: number }>({
    code: "HP5011",
    severity: "error",
    title: "value type too large",
    message: (p) => `${p.what} holds ${p.size} numbers, more than the limit of ${p.max} per value`,
    explanation:
      "Every value lives in the agent's frame of numbers: a vector of N components takes N slots, a list its " +
      "capacity times its element's size, a tensor the product of its dimensions, a record the sum of its fields. " +
      "One value may take at most `valueSlots` slots (default 65,536), so a spec cannot make every agent allocate " +
      "gigabytes. Use a smaller type, or raise the limit (`--limit valueSlots=N`) for a spec you trust.",
    example: `observation { big: list<vec<1000>, 1000> }
output { y: float }
executor run at 10hz writes y { set out.y = len(obs.big) }
`,
  }),
  listTooLong: defineCode<{ capacity: number; max: number }>({
    code: "HP5012",
    severity: "error",
    title: "list capacity too large",
    message: (p) => `a list capacity of ${p.capacity} is more than the limit of ${p.max}`,
    explanation:
      "Lists have a fixed capacity, and aggregates (`count`, `min_by`, `any`, …) visit every element on every tick " +
      "they run, so the capacity bounds both memory and time per tick. The limit is `listCapacity` (default 4,096); " +
      "raise it (`--limit listCapacity=N`) for a spec you trust.",
    example: `observation { hits: list<bool, 5000> }
output { y: float }
executor run at 10hz writes y { set out.y = count(h in obs.hits : h) }
`,
  }),
  frameTooLarge: defineCode<{ size: string; max: number }>({
    code: "HP5013",
    severity: "error",
    title: "agent frame too large",
    message: (p) => `each agent needs ${p.size} number slots, more than the limit of ${p.max} per agent`,
    explanation:
      "An agent's frame holds its observation, outputs, state (including the state of every inlined tree instance), " +
      "message channels and arbiter proposals; a pool allocates one frame per agent. The frame may take at most " +
      "`frameSlots` slots (default 262,144: 2 MiB per agent). The diagnostic points at the declaration where the " +
      "running total crosses the limit. Use smaller types, or raise the limit (`--limit frameSlots=N`).",
    example: `observation {
  a: vec<60000>
  b: vec<60000>
  c: vec<60000>
  d: vec<60000>
  e: vec<60000>
}
output { y: float }
executor run at 10hz writes y { set out.y = obs.a[0] + obs.b[0] + obs.c[0] + obs.d[0] + obs.e[0] }
`,
  }),
  tooManyImports: defineCode<{ problem: string }>({
    code: "HP5014",
    severity: "error",
    title: "import chain too deep or too many modules",
    message: (p) => p.problem,
    explanation:
      "A program is its entry spec and every module it imports, transitively. The chain of imports from the entry " +
      "may be at most `importDepth` long (default 32) and the program at most `imports` modules (default 256). " +
      "The import that goes past a limit is reported and not read. (In this example, chain/c1.hpol imports " +
      "chain/c2.hpol, which imports chain/c3.hpol, and so on for 40 files.)",
    example: `import { C1 } from "chain/c1.hpol"
`,
  }),
  textTooLong: defineCode<{ what: string; length: number; max: number; limit: string }>({
    code: "HP5015",
    severity: "error",
    title: "identifier or string too long",
    message: (p) => `this ${p.what} is ${p.length} characters long, more than the limit ${p.limit} = ${p.max}`,
    explanation:
      "Identifiers reach generated code, traces and diagnostics, and strings are labels, test names and paths; " +
      "neither needs to be long. Identifiers may have at most `identifierLength` characters (default 256) and " +
      "string literals at most `stringLength` (default 4,096).",
    example: `observation { ${"x".repeat(300)}: float }
output { y: float }
executor run at 10hz writes y { set out.y = 1.0 }
`,
  }),
  tensorTooLarge: defineCode<{ tensor: string; where: string; size: string; max: number }>({
    code: "HP5016",
    severity: "error",
    title: "model tensor too large",
    message: (p) => `tensor \`${p.tensor}\` ${p.where} has ${p.size} elements per agent, more than the limit of ${p.max}`,
    explanation:
      "The runtime allocates every model input and output once per agent in a batch, so one tensor may hold at most " +
      "`tensorElements` elements per agent (default 1,048,576), both as declared and as read from the model file " +
      "(outputs the spec does not declare included). Raise the limit (`--limit tensorElements=N`) for models you trust.",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 2000000]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
  typeTooDeep: defineCode<{ max: number }>({
    code: "HP5017",
    severity: "error",
    title: "types nest too deeply",
    message: (p) => `this type nests more than ${p.max} levels of records, messages, aliases and lists`,
    explanation:
      "Types are resolved by following each named type to its declaration, so a record holding a record holding a " +
      "record … thousands deep would exhaust the compiler's stack. Types may nest at most `typeDepth` levels " +
      "(default 32); the type expression at the limit is reported. Flatten the records, or raise the limit " +
      "(`--limit typeDepth=N`).",
    example: `observation { r: R1 }
output { y: float }
executor run at 10hz writes y { set out.y = 1.0 }
${Array.from({ length: 40 }, (_, i) => `record R${i + 1} { next: R${i + 2} }`).join("\n")}
record R41 { x: float }
`,
  }),
  importOutsideProject: defineCode<{ path: string; root: string }>({
    code: "HP5021",
    severity: "error",
    title: "import outside the project",
    message: (p) => `\`${p.path}\` is outside the project directory \`${p.root}\``,
    explanation:
      "Imports are resolved against the importing file and must stay inside the project directory: the directory " +
      "of the entry spec, or the project root the host declares (`--project-root DIR`, projectRoot in the compiler " +
      "options). Otherwise an untrusted spec could make the compiler read any file — and show its lines in " +
      "syntax-error code frames. A path through `..`, an absolute path or a symbolic link that leads outside is " +
      "refused without reading the file.",
    example: `import { Color } from "../lib.hpol"
`,
  }),
  modelOutsideProject: defineCode<{ path: string; root: string }>({
    code: "HP5020",
    severity: "error",
    title: "model path outside the project",
    message: (p) => `model file \`${p.path}\` is outside the project directory \`${p.root}\``,
    explanation:
      "Model paths are resolved against the spec's file and must stay inside the project directory: the directory " +
      "of the entry spec, or the project root the host declares. An absolute path, a path through `..` or a " +
      "symbolic link that leads outside is refused, so an untrusted spec cannot make the compiler or the runtime " +
      "open arbitrary files. Move the model into the project, or allow its directory explicitly " +
      "(`--allow-model-path DIR`, or `modelRoots` in CheckOptions and createNeuralHost).",
    example: `observation { pos: vec4 }
output { act: vec2 }
model aim from "../aim.onnx" using onnx {
  input obs: tensor<f32, [batch, 4]>
  output act: tensor<f32, [batch, 2]>
}
executor drive at 10hz writes act {
  infer aim { feed obs = obs.pos  write out.act = act }
}
`,
  }),
} as const;
