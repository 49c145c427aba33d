// Human wording for tokens and for what the parser expected, shared by the error converter and the visitor.
import type { IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.ts";
import * as T from "./tokens.ts";

const MAX_SHOWN = 24;

/** `tree`, `}`, identifier `foo`, number `2.5`, end of file. */
export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return "end of file";
  const image = t.image.length > MAX_SHOWN ? t.image.slice(0, MAX_SHOWN) + "…" : t.image;
  if (t.tokenType === T.Ident) return `identifier \`${image}\``;
  if (t.tokenType === T.StringLit || t.tokenType === T.UnterminatedString) return `string ${image}`;
  if (t.tokenType === T.NumberLit) return `number \`${image}\``;
  if (t.tokenType === T.TimeLit) return `duration \`${image}\``;
  if (t.tokenType === T.RateLit) return `rate \`${image}\``;
  return `\`${image}\``;
}

/** `}`, identifier, `onnx` … (the token's label). */
export function describeTokenType(t: TokenType): string {
  if (t === EOF) return "end of file";
  if (t === T.Name) return "a name";
  if (t === T.Ident) return "an identifier";
  if (t === T.NumberLit) return "a number";
  if (t === T.StringLit) return "a string";
  if (t === T.TimeLit) return "a duration such as `500ms`";
  if (t === T.RateLit) return "a rate such as `30hz`";
  if (t === T.CmpOp) return "a comparison operator";
  if (t === T.AddOp) return "`+` or `-`";
  if (t === T.MulOp) return "`*`, `/` or `%`";
  return t.LABEL ?? t.name;
}

/** What a rule stands for, when the parser could not tell which alternative applied. */
const ruleDescriptions: Record<string, string> = {
  decl: "a declaration",
  node: "a tree node",
  nodeList: "a tree node",
  type: "a type",
  dtype: "a tensor element type (`f32`, `f64`, `i32`, `i64`, `bool`)",
  dim: "a dimension (a number, a name or `?`)",
  duration: "a duration such as `500ms`",
  rate: "a rate such as `30hz`",
  trigger: "a trigger (`every <duration>`, `at <rate>` or `on <event>`)",
  strategy: "an arbiter strategy (`priority`, `vote`, `utility`, `blend` or `filter`)",
  testStep: "a test step (`given`, `raise`, `inject`, `run`, `expect`)",
  inferItem: "an infer item (`feed`, `write`, `chunk`, `refine`, `async`)",
  modelItem: "`input` or `output`",
  externDecl: "`condition`, `function` or `action`",
  lvalue: "`state` or `out`",
  pathSegment: "`.field` or `[index]`",
  statusNode: "`succeed`, `fail` or `running`",
  decoratorNode: "a decorator",
  parallelArg: "`success` or `failure`",
  handler: "`on` or `default`",
  expr: "an expression",
  binaryExpr: "an expression",
  operand: "an expression",
  primary: "an expression",
  shieldDecl: "`clamp` or `deny`",
  sequenceNode: "`sequence` or `selector`",
};

export function describeRule(rule: string): string | undefined {
  return ruleDescriptions[rule];
}

/** `a`, `a or b`, `a, b or c` (at most 6 shown). */
export function describeAlternatives(types: readonly TokenType[]): string {
  const names = [...new Set(types.map(describeTokenType))];
  const shown = names.slice(0, 6);
  if (names.length > 6) return shown.join(", ") + ", …";
  if (shown.length <= 1) return shown[0] ?? "something else";
  return shown.slice(0, -1).join(", ") + " or " + shown[shown.length - 1];
}
