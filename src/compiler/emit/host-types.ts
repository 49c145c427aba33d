// The host-facing TypeScript types of a policy, printed from IR types. They describe exactly what the runtime
// accepts and returns (src/runtime/values.ts and the extern calling convention of expr-compiler.ts / tree.ts):
// observations in (enums by member name or ordinal, vectors as number arrays), outputs out (enums by member
// name), extern arguments as the runtime passes them (bools as booleans, other scalars as numbers, blocks as a
// reused Float64Array).
import type { IRExtern, IRType, PolicyIR } from "../../runtime/ir.ts";
import { commentText, stringLiteral } from "./safe-text.ts";

const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : stringLiteral(name));

const members = (t: IRType & { k: "enum" }): string => t.members.map((m) => stringLiteral(m)).join(" | ") || "never";

/** A value the host passes in (observations, extern function results, message payloads). */
export function inputType(t: IRType): string {
  switch (t.k) {
    case "bool":
      return "boolean";
    case "int":
    case "float":
      return "number";
    case "enum":
      return `${members(t)} | number`;
    case "vec":
    case "tensor":
      return "ArrayLike<number>";
    case "record":
      return `{ ${t.fields.map((f) => `readonly ${key(f.name)}: ${inputType(f.type)};`).join(" ")} }`;
    case "list":
      return `readonly (${inputType(t.element)})[]`;
  }
}

/** A value the runtime hands out (decoded outputs). */
export function outputType(t: IRType): string {
  switch (t.k) {
    case "bool":
      return "boolean";
    case "int":
    case "float":
      return "number";
    case "enum":
      return members(t);
    case "vec":
    case "tensor":
      return "number[]";
    case "record":
      return `{ ${t.fields.map((f) => `${key(f.name)}: ${outputType(f.type)};`).join(" ")} }`;
    case "list":
      return `(${outputType(t.element)})[]`;
  }
}

/** An argument as an extern receives it. */
function argumentType(t: IRType): string {
  if (t.k === "bool") return "boolean";
  if (t.k === "int" || t.k === "float" || t.k === "enum") return "number";
  return "Float64Array";
}

/** Words that cannot name a parameter in strict-mode JavaScript or TypeScript (many are identifiers in .hpol). */
const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval")
    .split(" "),
);

/** A parameter name for an extern's parameter: its own name when JavaScript allows it, else positional. */
const paramName = (name: string, index: number): string => (/^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name) ? name : `arg${index}`);

function externType(x: IRExtern): string {
  const params = x.params.map((p, i) => `${paramName(p.name, i)}: ${argumentType(p.type)}`);
  params.push("ctx: ExternContext");
  const result = x.kind === "condition" ? "boolean" : x.kind === "action" ? "ActionResult | void" : x.returns ? inputType(x.returns) : "void";
  return `(${params.join(", ")}) => ${result}`;
}

/** Type alias declarations (name → type text) shared by the module and its .d.ts. */
export function hostTypeAliases(ir: PolicyIR): { name: string; type: string; doc: string }[] {
  const field = (id: number, t: (x: IRType) => string, readonly: boolean): string => {
    const v = ir.layout.vars[id]!;
    return `${readonly ? "readonly " : ""}${key(v.field)}: ${t(v.type)};`;
  };
  const obs = ir.layout.observation.map((id) => field(id, inputType, true));
  const out = ir.layout.output.map((id) => field(id, outputType, false));
  const ext = ir.externs.map((x) => `readonly ${key(x.name)}: ${externType(x)};`);
  const aliases = [
    { name: "Observation", type: `{ ${obs.join(" ")} }`, doc: "One agent's observation, as passed to setObservation." },
    { name: "Output", type: `{ ${out.join(" ")} }`, doc: "One agent's outputs, as returned by getOutput." },
    { name: "Externs", type: `{ ${ext.join(" ")} }`, doc: "The host implementations the policy calls (the last argument is the call context)." },
  ];
  for (const m of ir.messages) {
    const kinds = m.kinds.map((k) => `{ readonly kind: ${stringLiteral(k.name)}; readonly payload: { ${k.fields.map((f) => `readonly ${key(f.name)}: ${inputType(f.type)};`).join(" ")} } }`);
    aliases.push({ name: `${tsName(m.name)}Message`, type: kinds.join(" | ") || "never", doc: `Messages of type ${commentText(m.name)} (kind and payload, as inject takes them).` });
  }
  return aliases;
}

/** A TypeScript identifier for an .hpol name. */
export function tsName(name: string): string {
  const s = name.replace(/[^\w$]/g, "_");
  return /^\d/.test(s) ? `_${s}` : s;
}
