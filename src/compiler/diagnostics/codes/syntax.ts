// HP1xxx — syntax (lexer, parser). Every entry's `example` is a whole .hpol file that produces exactly that code
// and nothing else (test/grammar/catalog.test.ts parses each one).
import { defineCode } from "../diagnostic.ts";

export const syntaxCodes = {
  unknownCharacter: defineCode<{ char: string }>({
    code: "HP1001",
    severity: "error",
    title: "unknown character",
    message: (p) => `unknown character \`${p.char}\``,
    explanation:
      "The lexer met a character that is not part of hpol's syntax. Identifiers use ASCII letters, digits and `_`; " +
      "operators are `+ - * / % == != < <= > >= = => -> . , : ? ( ) [ ] { }`. Remove the character or put it inside a string.",
    example: "const speed = 2 # 3\n",
  }),
  unterminatedString: defineCode({
    code: "HP1002",
    severity: "error",
    title: "unterminated string",
    message: () => "unterminated string: a string must close with `\"` on the same line",
    explanation: 'Strings are written on one line between double quotes, e.g. `"models/policy.onnx"`. Use `\\n` for a line break inside a string.',
    example: 'test "reaches the goal {\n  run 10 ticks\n}\n',
  }),
  invalidEscape: defineCode<{ escape: string }>({
    code: "HP1003",
    severity: "error",
    title: "invalid escape in string",
    message: (p) => `invalid escape \`${p.escape}\` in a string`,
    explanation: 'Inside a string, `\\` may only start `\\"`, `\\\\`, `\\n` or `\\t`. Write `\\\\` for a literal backslash.',
    example: 'model Policy from "models\\policy.onnx" using onnx {\n  input obs: tensor<f32, [1, 4]>\n}\n',
  }),
  unexpectedToken: defineCode<{ expected: string; found: string }>({
    code: "HP1004",
    severity: "error",
    title: "unexpected token",
    message: (p) => `expected ${p.expected}, found ${p.found}`,
    explanation:
      "The parser expected something else at this point. The message names what would have been accepted; " +
      "the grammar is in docs/grammar.ebnf and every construct is described in docs/language.md.",
    example: "tree Patrol() {\n  do move_to(1, 2\n}\n",
  }),
  unclosedBlock: defineCode({
    code: "HP1005",
    severity: "error",
    title: "unclosed block",
    message: () => "this `{` is never closed",
    explanation:
      "Every `{` needs a matching `}`. The block opened here runs into the end of the file or into the next " +
      "declaration. Add the `}` where the block should end.",
    example: "tree Patrol() {\n  sequence {\n    succeed\n}\n",
  }),
  unknownKeyword: defineCode<{ what: string; word: string }>({
    code: "HP1006",
    severity: "error",
    title: "unknown keyword",
    message: (p) => `expected ${p.what}, found \`${p.word}\``,
    explanation:
      "A statement starts with a keyword that says what it is (`sequence`, `check`, `do`, … in a tree; `given`, " +
      "`run`, `expect`, … in a test). This word is none of them; when it is close to one, the help line names it " +
      "and the fix replaces it.",
    example: "tree Patrol() {\n  sequnce {\n    succeed\n  }\n}\n",
  }),
  cStyleOperator: defineCode<{ op: string; replacement: string }>({
    code: "HP1007",
    severity: "error",
    title: "C-style operator",
    message: (p) => `\`${p.op}\` is not an hpol operator; write \`${p.replacement}\``,
    explanation: "hpol spells the boolean operators as words: `and`, `or`, `not`.",
    example: "const ready = true && false\n",
  }),
  missingTimeUnit: defineCode<{ number: string }>({
    code: "HP1008",
    severity: "error",
    title: "duration without a unit",
    message: (p) => `a duration needs a unit: \`${p.number}ms\` or \`${p.number}s\``,
    explanation: "Durations are written with their unit and no space: `500ms`, `2s`, `1.5s`. A bare number is not a duration.",
    example: "tree Pause() {\n  wait 500\n}\n",
  }),
  missingRateUnit: defineCode<{ number: string }>({
    code: "HP1009",
    severity: "error",
    title: "rate without a unit",
    message: (p) => `a rate needs the unit \`hz\`: \`${p.number}hz\``,
    explanation: "Rates are written as a number followed by `hz` with no space, e.g. `at 30hz`.",
    example:
      "output { speed: float }\nexecutor Drive at 30 writes speed {\n  set out.speed = 1.0\n}\n",
  }),
  unknownUnit: defineCode<{ text: string; unit: string }>({
    code: "HP1010",
    severity: "error",
    title: "unknown unit",
    message: (p) => `unknown unit \`${p.unit}\` in \`${p.text}\``,
    explanation:
      "A number may only be followed directly by a unit: `ms` or `s` for durations, `hz` for rates. Anything else " +
      "glued to a number is an error; put a space or an operator between a number and a name.",
    example: "tree Pause() {\n  wait 2sec\n}\n",
  }),
  missingEquals: defineCode({
    code: "HP1011",
    severity: "error",
    title: "missing `=` before a value",
    message: () => "missing `=` before the initial value",
    explanation: "A field's initial value (in a `state` block) or default follows an `=`: `hp: int = 100`.",
    example: "tree Count() {\n  state { n: int 0 }\n  set state.n = state.n + 1\n}\n",
  }),
  chainedComparison: defineCode({
    code: "HP1012",
    severity: "error",
    title: "chained comparison",
    message: () => "comparisons do not chain",
    explanation: "`a < b < c` is not allowed: comparison operators are non-associative. Write `a < b and b < c`.",
    example: "const ok = 1 < 2 < 3\n",
  }),
  assignInExpression: defineCode({
    code: "HP1013",
    severity: "error",
    title: "`=` in an expression",
    message: () => "`=` assigns; compare with `==`",
    explanation: "Inside an expression, equality is `==`. A single `=` only appears in declarations and in `set`.",
    example: "const ok = 1 = 1\n",
  }),
  expectedInteger: defineCode<{ found: string }>({
    code: "HP1014",
    severity: "error",
    title: "integer expected",
    message: (p) => `expected an integer, found \`${p.found}\``,
    explanation: "Counts, sizes and capacities (`repeat(3)`, `vec<5>`, `list<T, 8>`, `chunk 4`) are whole numbers.",
    example: "tree Again() {\n  repeat(2.5) succeed\n}\n",
  }),
  nestingTooDeep: defineCode<{ limit: number }>({
    code: "HP1015",
    severity: "error",
    title: "nesting too deep",
    message: (p) => `nesting is too deep (more than ${p.limit} levels)`,
    explanation:
      "Blocks, brackets and prefix operators may nest only so deep; deeper input is almost certainly generated by " +
      "mistake. Split the logic into subtrees (`tree` + `call`) or constants.",
    example: `const deep = ${"(".repeat(300)}1${")".repeat(300)}\n`,
  }),
  straySemicolon: defineCode({
    code: "HP1016",
    severity: "error",
    title: "stray semicolon",
    message: () => "hpol needs no `;` between statements",
    explanation: "Every statement starts with a keyword, so statements are not separated. Remove the `;`.",
    example: "tree Idle() {\n  succeed;\n}\n",
  }),
  reservedWord: defineCode<{ word: string; expected: string }>({
    code: "HP1017",
    severity: "error",
    title: "reserved word used as a name",
    message: (p) => `expected ${p.expected}, found the reserved word \`${p.word}\``,
    explanation:
      "Reserved words (see docs/language.md, lexical structure) cannot name declarations, parameters or variables. " +
      "They may still be used as field names. Pick another name, e.g. with a suffix `_`.",
    example: "tree check() {\n  succeed\n}\n",
  }),
  unmatchedClosingBrace: defineCode({
    code: "HP1018",
    severity: "error",
    title: "unmatched `}`",
    message: () => "unexpected `}`: no block is open here",
    explanation: "This `}` closes nothing: a block before it was closed already. Remove it, or find the `{` it was meant for.",
    example: "tree Idle() {\n  succeed\n}\n}\n",
  }),
  bodyNodeCount: defineCode<{ what: string; count: number }>({
    code: "HP1019",
    severity: "error",
    title: "body must hold exactly one tree node",
    message: (p) =>
      p.count === 0 ? `${p.what} has no tree node` : `${p.what} holds ${p.count} tree nodes; it must hold exactly one`,
    explanation:
      "The body of a tree, planner or executor is one tree node. To run several nodes in order, wrap them in " +
      "`sequence { … }`; to try them until one succeeds, in `selector { … }`.",
    example: "tree Both() {\n  succeed\n  fail\n}\n",
  }),
  expectedDeclaration: defineCode<{ found: string }>({
    code: "HP1020",
    severity: "error",
    title: "declaration expected",
    message: (p) => `expected a declaration, found ${p.found}`,
    explanation:
      "At the top level of a file only declarations may appear: `type`, `enum`, `record`, `message`, `const`, " +
      "`observation`, `output`, `extern`, `event`, `state`, `model`, `tree`, `planner`, `executor`, `arbiter`, " +
      "`shield`, `test` (after an optional `module` and `import`s).",
    example: "tree Idle() {\n  succeed\n}\n\nsucceed\n",
  }),
  unknownBackend: defineCode<{ name: string }>({
    code: "HP1021",
    severity: "error",
    title: "unknown model backend",
    message: (p) => `unknown model backend \`${p.name}\`; expected \`onnx\` or \`tfjs\``,
    explanation: "A model runs on onnxruntime (`using onnx`, a .onnx file) or TensorFlow.js (`using tfjs`, a model.json).",
    example: 'model Policy from "models/policy.pt" using torch {\n  input obs: tensor<f32, [1, 4]>\n}\n',
  }),
  unterminatedComment: defineCode({
    code: "HP1022",
    severity: "error",
    title: "unterminated block comment",
    message: () => "unterminated block comment: `/*` has no matching `*/`",
    explanation: "A block comment runs from `/*` to the next `*/`. Everything after an unclosed `/*` is ignored.",
    example: "const a = 1\n/* the rest\n",
  }),
  executorTrigger: defineCode({
    code: "HP1023",
    severity: "error",
    title: "executor triggered by an event",
    message: () => "an executor runs at a fixed rate: write `every <duration>` or `at <rate>`, not `on`",
    explanation:
      "Executors tick at a rate; only planners are triggered by events. To react to an event in an executor, " +
      "follow a planner that is triggered by it.",
    example: "output { speed: float }\nevent Hit\nexecutor Drive on Hit writes speed {\n  set out.speed = 1.0\n}\n",
  }),
  mixedExecutorBody: defineCode({
    code: "HP1024",
    severity: "error",
    title: "executor body mixes a node and handlers",
    message: () => "an executor body is either one tree node or message handlers, not both",
    explanation:
      "An executor that follows a planner handles its message kinds with `on Kind <node>` (and optionally " +
      "`default <node>`); one without handlers has a single tree node as its body. Move the node into a handler.",
    example:
      "output { speed: float }\nexecutor Drive at 30hz writes speed {\n  set out.speed = 1.0\n  default succeed\n}\n",
  }),
} as const;
