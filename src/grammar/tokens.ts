// Every token of the hpol surface syntax (docs/grammar.ebnf, "lexical"). The lexer is built once, at module load.
//
// Word classes (see CONTEXT.md for the user-facing list):
// - `Name` (category): anything that may stand where a *field name* is expected (`obs.type`, `state { count: … }`,
//   `emit Go { target: … }`). Every word token is in it, reserved or not.
// - `Ident`: a user identifier. Contextual keywords are in the `Ident` category, so they can name anything.
// - reserved keywords are in `Reserved` (and `Name`), not in `Ident`: they start declarations, tree nodes or
//   expressions, and the parser needs them to decide what comes next.
// - C-style operators (`&&`, `||`, `!`) and misspelt-but-recoverable forms are real tokens in the category of the
//   hpol token they stand for, so the parse goes on and the front end reports one precise, fixable diagnostic.
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.ts";

/** Category of every token, so error recovery can skip "anything". */
export const AnyToken = createToken({ name: "AnyToken", pattern: Lexer.NA });
/** Words that may name a field: identifiers and every keyword. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, categories: [AnyToken] });
/** Keywords that cannot be used as identifiers. */
export const Reserved = createToken({ name: "Reserved", pattern: Lexer.NA, categories: [Name, AnyToken] });

export const Ident = createToken({
  name: "Ident",
  label: "identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name, AnyToken],
});

const allTokens: TokenType[] = [];
/** Reserved word texts, in declaration order. */
export const reservedWords: string[] = [];
/** Contextual keyword texts, in declaration order. */
export const contextualWords: string[] = [];

function reserved(word: string, extraCategories: TokenType[] = []): TokenType {
  const t = createToken({
    name: kwName(word),
    label: `\`${word}\``,
    pattern: word,
    longer_alt: Ident,
    categories: [Reserved, Name, AnyToken, ...extraCategories],
  });
  reservedWords.push(word);
  allTokens.push(t);
  return t;
}

function contextual(word: string): TokenType {
  const t = createToken({
    name: kwName(word),
    label: `\`${word}\``,
    pattern: word,
    longer_alt: Ident,
    categories: [Ident, Name, AnyToken],
  });
  contextualWords.push(word);
  allTokens.push(t);
  return t;
}

function kwName(word: string): string {
  return "Kw_" + word;
}

// ---- declarations (reserved)
export const Module = reserved("module");
export const Import = reserved("import");
export const Type = reserved("type");
export const Enum = reserved("enum");
export const Record = reserved("record");
export const Message = reserved("message");
export const Const = reserved("const");
export const Observation = reserved("observation");
export const Extern = reserved("extern");
export const Event = reserved("event");
export const State = reserved("state");
export const Model = reserved("model");
export const Tree = reserved("tree");
export const Planner = reserved("planner");
export const Executor = reserved("executor");
export const Arbiter = reserved("arbiter");
export const Shield = reserved("shield");
export const Test = reserved("test");
// ---- tree nodes (reserved)
export const Reactive = reserved("reactive");
export const Sequence = reserved("sequence");
export const Selector = reserved("selector");
export const Parallel = reserved("parallel");
export const Race = reserved("race");
export const Invert = reserved("invert");
export const Repeat = reserved("repeat");
export const Retry = reserved("retry");
export const Timeout = reserved("timeout");
export const Cooldown = reserved("cooldown");
export const Delay = reserved("delay");
export const Once = reserved("once");
export const ForceSuccess = reserved("force_success");
export const ForceFailure = reserved("force_failure");
export const Guard = reserved("guard");
export const Check = reserved("check");
export const Do = reserved("do");
export const Set = reserved("set");
export const Emit = reserved("emit");
export const Call = reserved("call");
export const Wait = reserved("wait");
export const Succeed = reserved("succeed");
export const Fail = reserved("fail");
export const Running = reserved("running");
export const Infer = reserved("infer");
// ---- expressions (reserved)
export const If = reserved("if");
export const Then = reserved("then");
export const Else = reserved("else");
export const And = reserved("and");
export const Or = reserved("or");
export const Not = reserved("not");
export const In = reserved("in");
export const True = reserved("true");
export const False = reserved("false");
export const Match = reserved("match");
export const Obs = reserved("obs");
export const Out = reserved("out");
export const Msg = reserved("msg");

// ---- contextual keywords: meaningful only in one position, free to use as names elsewhere
export const Output = contextual("output");
export const Input = contextual("input");
export const From = contextual("from");
export const To = contextual("to");
export const Using = contextual("using");
export const Onnx = contextual("onnx");
export const Tfjs = contextual("tfjs");
export const Condition = contextual("condition");
export const Function = contextual("function");
export const Action = contextual("action");
export const Async = contextual("async");
export const Writes = contextual("writes");
export const When = contextual("when");
export const Success = contextual("success");
export const Failure = contextual("failure");
export const While = contextual("while");
export const Until = contextual("until");
export const Feed = contextual("feed");
export const Write = contextual("write");
export const Chunk = contextual("chunk");
export const Refine = contextual("refine");
export const Emits = contextual("emits");
export const Every = contextual("every");
export const At = contextual("at");
export const On = contextual("on");
export const Follows = contextual("follows");
export const Default = contextual("default");
export const Priority = contextual("priority");
export const Vote = contextual("vote");
export const Utility = contextual("utility");
export const Blend = contextual("blend");
export const Filter = contextual("filter");
export const Clamp = contextual("clamp");
export const Deny = contextual("deny");
export const Fallback = contextual("fallback");
export const Given = contextual("given");
export const Raise = contextual("raise");
export const Inject = contextual("inject");
export const Run = contextual("run");
export const Ticks = contextual("ticks");
export const Expect = contextual("expect");
export const Value = contextual("value");
// type words are contextual so that `vec2(1, 2)`, `float(x)` and `int(x)` stay ordinary calls in expressions
export const Bool = contextual("bool");
export const Int = contextual("int");
export const Float = contextual("float");
export const Vec2 = contextual("vec2");
export const Vec3 = contextual("vec3");
export const Vec4 = contextual("vec4");
export const Vec = contextual("vec");
export const List = contextual("list");
export const Tensor = contextual("tensor");
export const F32 = contextual("f32");
export const F64 = contextual("f64");
export const I32 = contextual("i32");
export const I64 = contextual("i64");
export const AggAny = contextual("any");
export const AggAll = contextual("all");
export const AggCount = contextual("count");
export const AggSum = contextual("sum");
export const AggMinBy = contextual("min_by");
export const AggMaxBy = contextual("max_by");
export const AggMinOf = contextual("min_of");
export const AggMaxOf = contextual("max_of");

// ---- literals. Order matters: the lexer takes the first pattern that matches, so units come before bare numbers.
const digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
export const TimeLit = createToken({
  name: "TimeLit",
  label: "duration",
  pattern: /[0-9]+(?:\.[0-9]+)?(?:ms|s)(?![A-Za-z0-9_])/,
  start_chars_hint: digits,
  categories: [AnyToken],
});
export const RateLit = createToken({
  name: "RateLit",
  label: "rate",
  pattern: /[0-9]+(?:\.[0-9]+)?hz(?![A-Za-z0-9_])/,
  start_chars_hint: digits,
  categories: [AnyToken],
});
export const NumberLit = createToken({
  name: "NumberLit",
  label: "number",
  pattern: /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![A-Za-z_])/,
  start_chars_hint: digits,
  categories: [AnyToken],
});
/** A number glued to letters that are not a unit (`2sec`, `30fps`): one token, so the diagnostic names it whole. */
export const BadUnitLit = createToken({
  name: "BadUnitLit",
  label: "number with an unknown unit",
  pattern: /[0-9]+(?:\.[0-9]+)?[A-Za-z_][A-Za-z0-9_]*/,
  start_chars_hint: digits,
  categories: [AnyToken],
});
export const StringLit = createToken({
  name: "StringLit",
  label: "string",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [AnyToken],
});
/** A string that reaches the end of its line: parsed as a string so the parse goes on; reported once. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  label: "string",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLit, AnyToken],
});

// ---- comments and layout
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments" });
/** `/*` without its `*\/`: swallowed to the end so nothing inside is parsed; reported once. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "comments",
});
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });

// ---- punctuation and operators (longest first where prefixes overlap)
function punct(name: string, text: string, extraCategories: TokenType[] = []): TokenType {
  const t = createToken({ name, label: `\`${text}\``, pattern: text, categories: [AnyToken, ...extraCategories] });
  return t;
}
/** Comparison operators: one category so CmpExpr consumes any of them. */
export const CmpOp = createToken({ name: "CmpOp", pattern: Lexer.NA, categories: [AnyToken] });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA, categories: [AnyToken] });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA, categories: [AnyToken] });

export const FatArrow = punct("FatArrow", "=>");
export const Arrow = punct("Arrow", "->");
export const EqEq = punct("EqEq", "==", [CmpOp]);
export const NotEq = punct("NotEq", "!=", [CmpOp]);
export const LtEq = punct("LtEq", "<=", [CmpOp]);
export const GtEq = punct("GtEq", ">=", [CmpOp]);
export const Lt = punct("Lt", "<", [CmpOp]);
export const Gt = punct("Gt", ">", [CmpOp]);
export const AmpAmp = punct("AmpAmp", "&&", [And]);
export const PipePipe = punct("PipePipe", "||", [Or]);
export const Bang = punct("Bang", "!", [Not]);
export const Eq = punct("Eq", "=");
export const Plus = punct("Plus", "+", [AddOp]);
export const Minus = punct("Minus", "-", [AddOp]);
export const Star = punct("Star", "*", [MulOp]);
export const Slash = punct("Slash", "/", [MulOp]);
export const Percent = punct("Percent", "%", [MulOp]);
export const Dot = punct("Dot", ".");
export const Comma = punct("Comma", ",");
export const Colon = punct("Colon", ":");
export const Question = punct("Question", "?");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const LBrace = punct("LBrace", "{");
export const RBrace = punct("RBrace", "}");
/** Statements need no separator; a `;` is reported (with a fix) and otherwise ignored. */
export const Semicolon = createToken({ name: "Semicolon", pattern: ";", group: "stray" });

// The order of this array is the lexer's priority order.
export const lexerTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLit,
  UnterminatedString,
  TimeLit,
  RateLit,
  NumberLit,
  BadUnitLit,
  FatArrow,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  AmpAmp,
  PipePipe,
  Lt,
  Gt,
  Bang,
  Eq,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Dot,
  Comma,
  Colon,
  Question,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Semicolon,
  // longest keyword first: with `longer_alt`, `in` would otherwise turn `int` into an identifier
  ...[...allTokens].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Ident,
];

/** Every token type the parser knows, including categories. */
export const parserTokens: TokenType[] = [AnyToken, Name, Reserved, CmpOp, AddOp, MulOp, ...lexerTokens];

export const hpolLexer = new Lexer(lexerTokens, {
  positionTracking: "full",
  ensureOptimizations: true,
});

/** Keywords that start a declaration: error recovery re-synchronises on them. */
export const declKeywords: readonly TokenType[] = [
  Module,
  Import,
  Type,
  Enum,
  Record,
  Message,
  Const,
  Observation,
  Output,
  Extern,
  Event,
  State,
  Model,
  Tree,
  Planner,
  Executor,
  Arbiter,
  Shield,
  Test,
];

/** Keywords that start a tree node. */
export const nodeKeywords: readonly TokenType[] = [
  Reactive,
  Sequence,
  Selector,
  Parallel,
  Race,
  Invert,
  Repeat,
  Retry,
  Timeout,
  Cooldown,
  Delay,
  Once,
  ForceSuccess,
  ForceFailure,
  Guard,
  Check,
  Do,
  Set,
  Emit,
  Call,
  Wait,
  Succeed,
  Fail,
  Running,
  Infer,
];

export const aggregateKeywords: readonly TokenType[] = [
  AggAny,
  AggAll,
  AggCount,
  AggSum,
  AggMinBy,
  AggMaxBy,
  AggMinOf,
  AggMaxOf,
];

/** The text a keyword token stands for (`Kw_sequence` → `sequence`). */
export function keywordText(t: TokenType): string | undefined {
  return t.name.startsWith("Kw_") ? t.name.slice(3) : undefined;
}

/** A word: an identifier or any keyword (what may name a field). */
export function isWordToken(t: TokenType): boolean {
  return t === Ident || keywordText(t) !== undefined;
}
