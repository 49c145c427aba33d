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
} as const;
