// The hpol CST parser: rules follow docs/grammar.ebnf one to one, with no embedded actions. Built once and reused
// (`hpolParser`); set `input`, call `module()`, then read `errors`.
//
// Recovery, beyond chevrotain's single-token insertion/deletion and re-sync:
// - statement lists (module body, blocks, test steps, infer items, model items) accept a `junk` alternative
//   that swallows an unrecognisable statement up to the next statement or declaration keyword, so one bad
//   statement yields one diagnostic (reported by the visitor, with a "did you mean" for misspelt keywords);
// - a few common mistakes are parsed on purpose (a `=` in a comparison, a bare number where a duration goes,
//   an initial value without `=`) so the visitor can report them precisely, with a fix, and keep going.
// Error messages are not text here: the message provider records structured details and returns their index
// as the message; src/grammar/errors.ts turns them into coded diagnostics.
import type { CstNode, IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { CstParser, EOF } from "./chevrotain.ts";
import * as T from "./tokens.ts";

export type ParseErrorKind = "mismatch" | "noViableAlt" | "earlyExit" | "notAllInput";

export interface ParseErrorDetail {
  readonly kind: ParseErrorKind;
  /** Token types that would have been accepted at the failing position (first token of each path). */
  readonly expected: readonly TokenType[];
  readonly rule: string;
  readonly previous?: IToken;
}

class DetailRecorder implements IParserErrorMessageProvider {
  details: ParseErrorDetail[] = [];

  private record(detail: ParseErrorDetail): string {
    this.details.push(detail);
    return String(this.details.length - 1);
  }
  buildMismatchTokenMessage(o: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    return this.record({ kind: "mismatch", expected: [o.expected], rule: o.ruleName, previous: o.previous });
  }
  buildNotAllInputParsedMessage(o: { firstRedundant: IToken; ruleName: string }): string {
    return this.record({ kind: "notAllInput", expected: [EOF], rule: o.ruleName });
  }
  buildNoViableAltMessage(o: { expectedPathsPerAlt: TokenType[][][]; previous: IToken; ruleName: string }): string {
    return this.record({ kind: "noViableAlt", expected: firstTokens(o.expectedPathsPerAlt.flat()), rule: o.ruleName, previous: o.previous });
  }
  buildEarlyExitMessage(o: { expectedIterationPaths: TokenType[][]; previous: IToken; ruleName: string }): string {
    return this.record({ kind: "earlyExit", expected: firstTokens(o.expectedIterationPaths), rule: o.ruleName, previous: o.previous });
  }
}

/**
 * Identity. Rule bodies run on every parse; tsx (esbuild keep-names) wraps an arrow written directly as an object
 * property (`{ ALT: () => … }`) in a naming helper each time it is created, which cost a third of the parse time.
 * An arrow passed through a call is left alone.
 */
const fn = <F>(f: F): F => f;

function firstTokens(paths: readonly TokenType[][]): TokenType[] {
  const seen: TokenType[] = [];
  for (const p of paths) if (p.length > 0 && !seen.includes(p[0])) seen.push(p[0]);
  return seen;
}

const declStartTypes = new Set<TokenType>(T.declKeywords);
const nodeStartTypes = new Set<TokenType>(T.nodeKeywords);
/** Keywords that start a statement in some statement list (tree nodes, handlers, test steps, infer/model items). */
const statementStartTypes = new Set<TokenType>([
  ...T.nodeKeywords,
  T.On,
  T.Default,
  T.Given,
  T.Raise,
  T.Inject,
  T.Run,
  T.Expect,
  T.Feed,
  T.Write,
  T.Chunk,
  T.Refine,
  T.Async,
  T.Input,
  T.Output,
]);
const literalStartTypes = new Set<TokenType>([
  T.NumberLit,
  T.TimeLit,
  T.BadUnitLit,
  T.StringLit,
  T.UnterminatedString,
  T.True,
  T.False,
  T.Minus,
  T.LBracket,
  T.LParen,
]);
const aggregateTypes = new Set<TokenType>(T.aggregateKeywords);
const typeWordTypes = new Set<TokenType>([T.Bool, T.Int, T.Float, T.Vec2, T.Vec3, T.Vec4, T.Vec, T.List, T.Tensor]);

function isA(token: IToken, type: TokenType): boolean {
  // a category's `categoryMatchesMap` lists the token types that belong to it
  const t = token.tokenType;
  return t === type || (type.categoryMatchesMap !== undefined && t.tokenTypeIdx !== undefined && type.categoryMatchesMap[t.tokenTypeIdx] === true);
}

export class HpolParser extends CstParser {
  readonly recorder: DetailRecorder;

  constructor() {
    const recorder = new DetailRecorder();
    super(T.parserTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 2, // 3 makes performSelfAnalysis run for minutes (LL(3) tables over the AnyToken category)
      errorMessageProvider: recorder,
    });
    this.recorder = recorder;
    this.performSelfAnalysis();
  }

  // ------------------------------------------------------------ lookahead helpers (used by gates only)

  /** A declaration starts at LA(i). `state` and `output` count only with their block, as they have other uses. */
  private declStartAt(i: number): boolean {
    const t = this.LA(i);
    if (!declStartTypes.has(t.tokenType)) return false;
    if (t.tokenType === T.State || t.tokenType === T.Output) return this.LA(i + 1).tokenType === T.LBrace;
    return true;
  }
  private statementStartAt(i: number): boolean {
    return statementStartTypes.has(this.LA(i).tokenType);
  }
  /** A field (or field initialiser) starts here: a name, and a reserved word only when a `:` follows. */
  private fieldStart(): boolean {
    const t = this.LA(1);
    if (isA(t, T.Ident)) return true;
    return isA(t, T.Name) && this.LA(2).tokenType === T.Colon;
  }
  private atEnd(): boolean {
    return this.LA(1).tokenType === EOF;
  }

  // ------------------------------------------------------------ module

  public module = this.RULE("module", () => {
    this.OPTION(() => this.SUBRULE(this.moduleHeader));
    this.MANY(() => this.SUBRULE(this.importDecl));
    this.MANY2({
      GATE: fn(() => !this.atEnd()),
      DEF: fn(() =>
        this.OR({
          IGNORE_AMBIGUITIES: true,
          MAX_LOOKAHEAD: 1,
          DEF: [
            { GATE: () => this.declStartAt(1), ALT: () => this.SUBRULE(this.decl) },
            { ALT: () => this.SUBRULE(this.topJunk) },
          ],
        })),
    });
  });

  private moduleHeader = this.RULE("moduleHeader", () => {
    this.CONSUME(T.Module);
    this.CONSUME(T.Ident);
  });

  private importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.identListTrailing);
    this.CONSUME(T.RBrace);
    this.CONSUME(T.From);
    this.CONSUME(T.StringLit);
  });

  /** `Ident (',' Ident)* ','?` inside a bracketed list. */
  private identListTrailing = this.RULE("identListTrailing", () => {
    this.CONSUME(T.Ident);
    this.MANY({
      GATE: fn(() => isA(this.LA(2), T.Ident)),
      DEF: fn(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.Ident);
      }),
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
  });

  /** `Ident (',' Ident)*` with no trailing comma (the list is followed by more syntax). */
  private nameList = this.RULE("nameList", () => {
    this.CONSUME(T.Ident);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Ident);
    });
  });

  /** Tokens that cannot start anything at the top level: skipped up to the next declaration keyword. */
  private topJunk = this.RULE("topJunk", () => {
    this.SUBRULE(this.junkPiece);
    this.MANY({
      GATE: fn(() => !this.atEnd() && !this.declStartAt(1)),
      DEF: fn(() => this.SUBRULE2(this.junkPiece)),
    });
  });

  /** One token, or a whole `{ … }` group, so skipping never stops inside braces. */
  private junkPiece = this.RULE("junkPiece", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: fn(() => this.SUBRULE(this.junkGroup)) },
        { GATE: fn(() => !this.atEnd()), ALT: fn(() => this.CONSUME(T.AnyToken)) },
      ],
    });
  });

  private junkGroup = this.RULE("junkGroup", () => {
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: fn(() => !this.atEnd() && this.LA(1).tokenType !== T.RBrace),
      DEF: fn(() => this.SUBRULE(this.junkPiece)),
    });
    this.OPTION(() => this.CONSUME(T.RBrace));
  });

  /**
   * An unrecognisable statement inside a statement list: its first token, then everything up to the next
   * statement keyword, declaration, or closing brace. A `{ … }` right after it is parsed as a block of tree
   * nodes, so `sequnce { … }` still checks its children.
   */
  private junkStatement = this.RULE("junkStatement", () => {
    this.CONSUME(T.AnyToken);
    this.MANY({
      GATE: fn(() => {
        const t = this.LA(1).tokenType;
        return t !== EOF && t !== T.RBrace && t !== T.LBrace && !this.statementStartAt(1) && !this.declStartAt(1);
      }),
      DEF: fn(() => this.CONSUME2(T.AnyToken)),
    });
    this.OPTION(() => this.SUBRULE(this.block));
  });

  /** Gate for junkStatement: anything but the list's end, a declaration, or a token the list itself handles. */
  private junkStatementAllowed(): boolean {
    const t = this.LA(1).tokenType;
    return t !== EOF && t !== T.RBrace && !this.declStartAt(1);
  }

  private decl = this.RULE("decl", () => {
    this.OR([
      { ALT: fn(() => this.SUBRULE(this.typeAlias)) },
      { ALT: fn(() => this.SUBRULE(this.enumDecl)) },
      { ALT: fn(() => this.SUBRULE(this.recordDecl)) },
      { ALT: fn(() => this.SUBRULE(this.messageDecl)) },
      { ALT: fn(() => this.SUBRULE(this.constDecl)) },
      { ALT: fn(() => this.SUBRULE(this.observationDecl)) },
      { ALT: fn(() => this.SUBRULE(this.outputDecl)) },
      { ALT: fn(() => this.SUBRULE(this.externDecl)) },
      { ALT: fn(() => this.SUBRULE(this.eventDecl)) },
      { ALT: fn(() => this.SUBRULE(this.stateDecl)) },
      { ALT: fn(() => this.SUBRULE(this.modelDecl)) },
      { ALT: fn(() => this.SUBRULE(this.treeDecl)) },
      { ALT: fn(() => this.SUBRULE(this.plannerDecl)) },
      { ALT: fn(() => this.SUBRULE(this.executorDecl)) },
      { ALT: fn(() => this.SUBRULE(this.arbiterDecl)) },
      { ALT: fn(() => this.SUBRULE(this.shieldDecl)) },
      { ALT: fn(() => this.SUBRULE(this.testDecl)) },
    ]);
  });

  // ------------------------------------------------------------ types

  private typeAlias = this.RULE("typeAlias", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.type);
  });

  private enumDecl = this.RULE("enumDecl", () => {
    this.CONSUME(T.Enum);
    this.CONSUME(T.Ident);
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.identListTrailing);
    this.CONSUME(T.RBrace);
  });

  private recordDecl = this.RULE("recordDecl", () => {
    this.CONSUME(T.Record);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.fieldBlock);
  });

  private fieldBlock = this.RULE("fieldBlock", () => {
    this.CONSUME(T.LBrace);
    this.MANY({ GATE: fn(() => this.fieldStart()), DEF: fn(() => this.SUBRULE(this.field)) });
    this.CONSUME(T.RBrace);
  });

  private field = this.RULE("field", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
    this.OPTION({
      GATE: fn(() => {
        const t = this.LA(1).tokenType;
        return t === T.Eq || (literalStartTypes.has(t) && this.LA(2).tokenType !== T.Colon);
      }),
      DEF: fn(() => {
        this.OPTION2(() => this.CONSUME(T.Eq));
        this.SUBRULE(this.expr);
      }),
    });
    this.OPTION3(() => this.CONSUME(T.Comma));
  });

  private messageDecl = this.RULE("messageDecl", () => {
    this.CONSUME(T.Message);
    this.CONSUME(T.Ident);
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.messageKind);
    this.MANY({
      GATE: fn(() => isA(this.LA(1), T.Ident) || (this.LA(1).tokenType === T.Comma && isA(this.LA(2), T.Ident))),
      DEF: fn(() => {
        this.OPTION(() => this.CONSUME(T.Comma));
        this.SUBRULE2(this.messageKind);
      }),
    });
    this.OPTION2(() => this.CONSUME2(T.Comma));
    this.CONSUME(T.RBrace);
  });

  private messageKind = this.RULE("messageKind", () => {
    this.CONSUME(T.Ident);
    this.OPTION(() => this.SUBRULE(this.fieldBlock));
  });

  public type = this.RULE("type", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: fn(() => this.CONSUME(T.Bool)) },
        {
          ALT: fn(() => {
            this.OR2([{ ALT: () => this.CONSUME(T.Int) }, { ALT: () => this.CONSUME(T.Float) }]);
            this.OPTION(() => this.SUBRULE(this.range));
          }),
        },
        { ALT: fn(() => this.CONSUME(T.Vec2)) },
        { ALT: fn(() => this.CONSUME(T.Vec3)) },
        { ALT: fn(() => this.CONSUME(T.Vec4)) },
        {
          ALT: fn(() => {
            this.CONSUME(T.Vec);
            this.CONSUME(T.Lt);
            this.CONSUME(T.NumberLit);
            this.CONSUME(T.Gt);
          }),
        },
        {
          ALT: fn(() => {
            this.CONSUME(T.List);
            this.CONSUME2(T.Lt);
            this.SUBRULE(this.type);
            this.CONSUME(T.Comma);
            this.CONSUME2(T.NumberLit);
            this.CONSUME2(T.Gt);
          }),
        },
        {
          ALT: fn(() => {
            this.CONSUME(T.Tensor);
            this.CONSUME3(T.Lt);
            this.SUBRULE(this.dtype);
            this.CONSUME2(T.Comma);
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.dim);
            this.MANY(() => {
              this.CONSUME3(T.Comma);
              this.SUBRULE2(this.dim);
            });
            this.CONSUME(T.RBracket);
            this.CONSUME3(T.Gt);
          }),
        },
        // a named type; the gate keeps type words out (a category-based lookahead would otherwise win)
        { GATE: fn(() => !typeWordTypes.has(this.LA(1).tokenType)), ALT: fn(() => this.CONSUME(T.Ident)) },
      ],
    });
  });

  private range = this.RULE("range", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.signedNumber);
    this.CONSUME(T.Comma);
    this.SUBRULE2(this.signedNumber);
    this.CONSUME(T.RBracket);
  });

  private signedNumber = this.RULE("signedNumber", () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.CONSUME(T.NumberLit);
  });

  private dtype = this.RULE("dtype", () => {
    this.OR([
      { ALT: fn(() => this.CONSUME(T.F32)) },
      { ALT: fn(() => this.CONSUME(T.F64)) },
      { ALT: fn(() => this.CONSUME(T.I32)) },
      { ALT: fn(() => this.CONSUME(T.I64)) },
      { ALT: fn(() => this.CONSUME(T.Bool)) },
    ]);
  });

  private dim = this.RULE("dim", () => {
    this.OR([
      { ALT: fn(() => this.CONSUME(T.NumberLit)) },
      { ALT: fn(() => this.CONSUME(T.Ident)) },
      { ALT: fn(() => this.CONSUME(T.Question)) },
    ]);
  });

  private constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Ident);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.type);
    });
    this.CONSUME(T.Eq);
    this.SUBRULE(this.expr);
  });

  // ------------------------------------------------------------ host contract

  private observationDecl = this.RULE("observationDecl", () => {
    this.CONSUME(T.Observation);
    this.SUBRULE(this.fieldBlock);
  });

  private outputDecl = this.RULE("outputDecl", () => {
    this.CONSUME(T.Output);
    this.SUBRULE(this.fieldBlock);
  });

  private externDecl = this.RULE("externDecl", () => {
    this.CONSUME(T.Extern);
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.Condition);
          this.CONSUME(T.Ident);
          this.SUBRULE(this.params);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Function);
          this.CONSUME2(T.Ident);
          this.SUBRULE2(this.params);
          this.CONSUME(T.Arrow);
          this.SUBRULE(this.type);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Action);
          this.CONSUME3(T.Ident);
          this.SUBRULE3(this.params);
          this.OPTION(() => this.CONSUME(T.Async));
          this.OPTION2(() => {
            this.CONSUME(T.Writes);
            this.SUBRULE(this.nameList);
          });
        }),
      },
    ]);
  });

  private params = this.RULE("params", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY({
        GATE: fn(() => this.LA(2).tokenType !== T.RParen),
        DEF: fn(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.param);
        }),
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  private param = this.RULE("param", () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
    this.OPTION(() => {
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
    });
  });

  private eventDecl = this.RULE("eventDecl", () => {
    this.CONSUME(T.Event);
    this.CONSUME(T.Ident);
    this.OPTION(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expr);
    });
  });

  private stateDecl = this.RULE("stateDecl", () => {
    this.CONSUME(T.State);
    this.SUBRULE(this.fieldBlock);
  });

  // ------------------------------------------------------------ models

  private modelDecl = this.RULE("modelDecl", () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Ident);
    this.CONSUME(T.From);
    this.CONSUME(T.StringLit);
    this.CONSUME(T.Using);
    // any identifier: the visitor names the two backends when it is neither
    this.CONSUME2(T.Ident);
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: fn(() => this.junkStatementAllowed()),
      DEF: fn(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        // one token decides: a statement keyword starts a statement even when what follows is broken
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => this.SUBRULE(this.modelItem) },
          { GATE: () => this.junkStatementAllowed(), ALT: () => this.SUBRULE(this.junkStatement) },
        ],
      })),
    });
    this.CONSUME(T.RBrace);
  });

  private modelItem = this.RULE("modelItem", () => {
    this.OR([{ ALT: fn(() => this.CONSUME(T.Input)) }, { ALT: fn(() => this.CONSUME(T.Output)) }]);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
  });

  // ------------------------------------------------------------ trees

  private treeDecl = this.RULE("treeDecl", () => {
    this.CONSUME(T.Tree);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.params);
    this.SUBRULE(this.body);
  });

  /** `{ StateDecl? Node }`: the list may hold zero or several nodes; the visitor reports that precisely. */
  private body = this.RULE("body", () => {
    this.CONSUME(T.LBrace);
    this.OPTION(() => this.SUBRULE(this.stateDecl));
    this.SUBRULE(this.nodeList);
    this.CONSUME(T.RBrace);
  });

  private nodeList = this.RULE("nodeList", () => {
    this.MANY({
      GATE: fn(() => this.junkStatementAllowed()),
      DEF: fn(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        // one token decides: a statement keyword starts a statement even when what follows is broken
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => this.SUBRULE(this.node) },
          { GATE: () => this.junkStatementAllowed(), ALT: () => this.SUBRULE(this.junkStatement) },
        ],
      })),
    });
  });

  private block = this.RULE("block", () => {
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.nodeList);
    this.CONSUME(T.RBrace);
  });

  public node = this.RULE("node", () => {
    this.OR([
      { ALT: fn(() => this.SUBRULE(this.sequenceNode)) },
      { ALT: fn(() => this.SUBRULE(this.parallelNode)) },
      { ALT: fn(() => this.SUBRULE(this.raceNode)) },
      { ALT: fn(() => this.SUBRULE(this.decoratorNode)) },
      { ALT: fn(() => this.SUBRULE(this.checkNode)) },
      { ALT: fn(() => this.SUBRULE(this.doNode)) },
      { ALT: fn(() => this.SUBRULE(this.setNode)) },
      { ALT: fn(() => this.SUBRULE(this.emitNode)) },
      { ALT: fn(() => this.SUBRULE(this.callNode)) },
      { ALT: fn(() => this.SUBRULE(this.waitNode)) },
      { ALT: fn(() => this.SUBRULE(this.statusNode)) },
      { ALT: fn(() => this.SUBRULE(this.inferNode)) },
    ]);
  });

  private sequenceNode = this.RULE("sequenceNode", () => {
    this.OPTION(() => this.CONSUME(T.Reactive));
    this.OR([{ ALT: fn(() => this.CONSUME(T.Sequence)) }, { ALT: fn(() => this.CONSUME(T.Selector)) }]);
    this.OPTION2(() => this.CONSUME(T.StringLit));
    this.SUBRULE(this.block);
  });

  private parallelNode = this.RULE("parallelNode", () => {
    this.CONSUME(T.Parallel);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.parallelArg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.parallelArg);
      });
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => this.CONSUME(T.StringLit));
    this.SUBRULE(this.block);
  });

  private parallelArg = this.RULE("parallelArg", () => {
    this.OR([{ ALT: fn(() => this.CONSUME(T.Success)) }, { ALT: fn(() => this.CONSUME(T.Failure)) }]);
    this.CONSUME(T.Colon);
    this.CONSUME(T.NumberLit);
  });

  private raceNode = this.RULE("raceNode", () => {
    this.CONSUME(T.Race);
    this.OPTION(() => this.CONSUME(T.StringLit));
    this.SUBRULE(this.block);
  });

  private decoratorNode = this.RULE("decoratorNode", () => {
    this.OR([
      { ALT: fn(() => this.CONSUME(T.Invert)) },
      { ALT: fn(() => this.CONSUME(T.Once)) },
      { ALT: fn(() => this.CONSUME(T.ForceSuccess)) },
      { ALT: fn(() => this.CONSUME(T.ForceFailure)) },
      {
        ALT: fn(() => {
          this.OR2([{ ALT: () => this.CONSUME(T.Repeat) }, { ALT: () => this.CONSUME(T.Retry) }]);
          this.CONSUME(T.LParen);
          this.CONSUME(T.NumberLit);
          this.CONSUME(T.RParen);
        }),
      },
      {
        ALT: fn(() => {
          this.OR3([
            { ALT: () => this.CONSUME(T.Timeout) },
            { ALT: () => this.CONSUME(T.Cooldown) },
            { ALT: () => this.CONSUME(T.Delay) },
          ]);
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.duration);
          this.CONSUME2(T.RParen);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Guard);
          this.OR4([{ ALT: () => this.CONSUME(T.While) }, { ALT: () => this.CONSUME(T.Until) }]);
          this.SUBRULE(this.expr);
        }),
      },
    ]);
    this.SUBRULE(this.node);
  });

  /** A duration; a bare number or a number with an unknown unit is accepted here and reported by the visitor. */
  private duration = this.RULE("duration", () => {
    this.OR([
      { ALT: fn(() => this.CONSUME(T.TimeLit)) },
      { ALT: fn(() => this.CONSUME(T.NumberLit)) },
      { ALT: fn(() => this.CONSUME(T.BadUnitLit)) },
    ]);
  });

  private rate = this.RULE("rate", () => {
    this.OR([
      { ALT: fn(() => this.CONSUME(T.RateLit)) },
      { ALT: fn(() => this.CONSUME(T.NumberLit)) },
      { ALT: fn(() => this.CONSUME(T.BadUnitLit)) },
    ]);
  });

  private checkNode = this.RULE("checkNode", () => {
    this.CONSUME(T.Check);
    this.SUBRULE(this.expr);
  });

  private doNode = this.RULE("doNode", () => {
    this.CONSUME(T.Do);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.args);
  });

  private setNode = this.RULE("setNode", () => {
    this.CONSUME(T.Set);
    this.SUBRULE(this.lvalue);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.expr);
  });

  private emitNode = this.RULE("emitNode", () => {
    this.CONSUME(T.Emit);
    this.CONSUME(T.Ident);
    this.OPTION(() => this.SUBRULE(this.fieldInitBlock));
  });

  private callNode = this.RULE("callNode", () => {
    this.CONSUME(T.Call);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.args);
  });

  private waitNode = this.RULE("waitNode", () => {
    this.CONSUME(T.Wait);
    this.SUBRULE(this.duration);
  });

  private statusNode = this.RULE("statusNode", () => {
    this.OR([
      { ALT: fn(() => this.CONSUME(T.Succeed)) },
      { ALT: fn(() => this.CONSUME(T.Fail)) },
      { ALT: fn(() => this.CONSUME(T.Running)) },
    ]);
  });

  private inferNode = this.RULE("inferNode", () => {
    this.CONSUME(T.Infer);
    this.CONSUME(T.Ident);
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: fn(() => this.junkStatementAllowed()),
      DEF: fn(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        // one token decides: a statement keyword starts a statement even when what follows is broken
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => this.SUBRULE(this.inferItem) },
          { GATE: () => this.junkStatementAllowed(), ALT: () => this.SUBRULE(this.junkStatement) },
        ],
      })),
    });
    this.CONSUME(T.RBrace);
  });

  private inferItem = this.RULE("inferItem", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.Feed);
          this.CONSUME(T.Name);
          this.CONSUME(T.Eq);
          this.SUBRULE(this.expr);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Write);
          this.SUBRULE(this.lvalue);
          this.CONSUME2(T.Eq);
          this.SUBRULE2(this.expr);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Chunk);
          this.CONSUME(T.NumberLit);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Refine);
          this.CONSUME2(T.NumberLit);
          this.CONSUME(T.From);
          this.CONSUME(T.Ident);
          this.CONSUME(T.To);
          this.CONSUME2(T.Ident);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Async);
          this.OPTION(() => {
            this.CONSUME(T.Timeout);
            this.SUBRULE(this.duration);
          });
        }),
      },
    ]);
  });

  private args = this.RULE("args", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY({
        GATE: fn(() => this.LA(2).tokenType !== T.RParen),
        DEF: fn(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.arg);
        }),
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  private arg = this.RULE("arg", () => {
    this.OPTION({
      GATE: fn(() => this.LA(2).tokenType === T.Colon),
      DEF: fn(() => {
        this.CONSUME(T.Ident);
        this.CONSUME(T.Colon);
      }),
    });
    this.SUBRULE(this.expr);
  });

  private fieldInitBlock = this.RULE("fieldInitBlock", () => {
    this.CONSUME(T.LBrace);
    this.MANY({ GATE: fn(() => this.fieldStart()), DEF: fn(() => this.SUBRULE(this.fieldInit)) });
    this.CONSUME(T.RBrace);
  });

  private fieldInit = this.RULE("fieldInit", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
    this.OPTION(() => this.CONSUME(T.Comma));
  });

  private lvalue = this.RULE("lvalue", () => {
    this.OR([{ ALT: fn(() => this.CONSUME(T.State)) }, { ALT: fn(() => this.CONSUME(T.Out)) }]);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.pathSegment));
  });

  private pathSegment = this.RULE("pathSegment", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.Dot);
          this.CONSUME(T.Name);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.expr);
          this.CONSUME(T.RBracket);
        }),
      },
    ]);
  });

  // ------------------------------------------------------------ layers

  private plannerDecl = this.RULE("plannerDecl", () => {
    this.CONSUME(T.Planner);
    this.CONSUME(T.Ident);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.trigger));
    this.CONSUME(T.Emits);
    this.CONSUME2(T.Ident);
    this.SUBRULE(this.body);
  });

  private trigger = this.RULE("trigger", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.Every);
          this.SUBRULE(this.duration);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.At);
          this.SUBRULE(this.rate);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.On);
          this.SUBRULE(this.nameList);
        }),
      },
    ]);
  });

  private executorDecl = this.RULE("executorDecl", () => {
    this.CONSUME(T.Executor);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.trigger);
    this.OPTION(() => {
      this.CONSUME(T.Follows);
      this.CONSUME2(T.Ident);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Writes);
      this.SUBRULE(this.nameList);
    });
    this.CONSUME(T.LBrace);
    this.OPTION3(() => this.SUBRULE(this.stateDecl));
    this.MANY({
      GATE: fn(() => this.junkStatementAllowed()),
      DEF: fn(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        // one token decides: a statement keyword starts a statement even when what follows is broken
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => this.SUBRULE(this.handler) },
          { ALT: () => this.SUBRULE(this.node) },
          { GATE: () => this.junkStatementAllowed(), ALT: () => this.SUBRULE(this.junkStatement) },
        ],
      })),
    });
    this.CONSUME(T.RBrace);
  });

  private handler = this.RULE("handler", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.On);
          this.CONSUME(T.Ident);
        }),
      },
      { ALT: fn(() => this.CONSUME(T.Default)) },
    ]);
    this.SUBRULE(this.node);
  });

  private arbiterDecl = this.RULE("arbiterDecl", () => {
    this.CONSUME(T.Arbiter);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.strategy);
  });

  private strategy = this.RULE("strategy", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.OR2([{ ALT: () => this.CONSUME(T.Priority) }, { ALT: () => this.CONSUME(T.Vote) }]);
          this.CONSUME(T.LParen);
          this.SUBRULE(this.nameList);
          this.CONSUME(T.RParen);
        }),
      },
      {
        ALT: fn(() => {
          this.OR3([{ ALT: () => this.CONSUME(T.Utility) }, { ALT: () => this.CONSUME(T.Blend) }]);
          this.CONSUME(T.LBrace);
          this.AT_LEAST_ONE(() => this.SUBRULE(this.weighted));
          this.CONSUME(T.RBrace);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Filter);
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.expr);
          this.CONSUME2(T.RParen);
          this.CONSUME(T.Then);
          this.SUBRULE(this.strategy);
        }),
      },
    ]);
  });

  private weighted = this.RULE("weighted", () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.FatArrow);
    this.SUBRULE(this.expr);
    this.OPTION(() => this.CONSUME(T.Comma));
  });

  private shieldDecl = this.RULE("shieldDecl", () => {
    this.CONSUME(T.Shield);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.Clamp);
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expr);
          this.CONSUME(T.RParen);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Deny);
          this.CONSUME(T.When);
          this.SUBRULE3(this.expr);
          this.CONSUME(T.Fallback);
          this.SUBRULE4(this.expr);
        }),
      },
    ]);
  });

  // ------------------------------------------------------------ tests

  private testDecl = this.RULE("testDecl", () => {
    this.CONSUME(T.Test);
    this.CONSUME(T.StringLit);
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: fn(() => this.junkStatementAllowed()),
      DEF: fn(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        // one token decides: a statement keyword starts a statement even when what follows is broken
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => this.SUBRULE(this.testStep) },
          { GATE: () => this.junkStatementAllowed(), ALT: () => this.SUBRULE(this.junkStatement) },
        ],
      })),
    });
    this.CONSUME(T.RBrace);
  });

  private testStep = this.RULE("testStep", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.Given);
          this.OR2([{ ALT: () => this.CONSUME(T.Obs) }, { ALT: () => this.CONSUME(T.State) }]);
          this.SUBRULE(this.fieldInitBlock);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Raise);
          this.CONSUME(T.Ident);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Inject);
          this.CONSUME2(T.Ident);
          this.CONSUME3(T.Ident);
          this.OPTION(() => this.SUBRULE2(this.fieldInitBlock));
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Run);
          this.OR3([
            {
              ALT: () => {
                this.CONSUME(T.NumberLit);
                this.CONSUME(T.Ticks);
              },
            },
            { ALT: () => this.CONSUME(T.TimeLit) },
            { ALT: () => this.CONSUME(T.BadUnitLit) },
          ]);
        }),
      },
      {
        ALT: fn(() => {
          this.CONSUME(T.Expect);
          this.SUBRULE(this.expr);
        }),
      },
    ]);
  });

  // ------------------------------------------------------------ expressions

  public expr = this.RULE("expr", () => {
    this.OR([
      {
        ALT: fn(() => {
          this.CONSUME(T.If);
          this.SUBRULE(this.expr);
          this.CONSUME(T.Then);
          this.SUBRULE2(this.expr);
          this.CONSUME(T.Else);
          this.SUBRULE3(this.expr);
        }),
      },
      { ALT: fn(() => this.SUBRULE(this.binaryExpr)) },
    ]);
  });

  /**
   * `operand (op operand)*` with every binary operator of docs/grammar.ebnf (or, and, comparisons, + -, * / %) in
   * one flat list: the visitor applies the EBNF's precedence levels. One rule instead of six nested ones keeps
   * the CST small (a plain `obs.hp` is 4 CST nodes, not 10), which is most of the parse time of a large spec.
   */
  private binaryExpr = this.RULE("binaryExpr", () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.OR([
        { ALT: fn(() => this.CONSUME(T.Or)) },
        { ALT: fn(() => this.CONSUME(T.And)) },
        { ALT: fn(() => this.CONSUME(T.CmpOp)) },
        // `=` for `==`: parsed so the visitor can report it with a fix
        { ALT: fn(() => this.CONSUME(T.Eq)) },
        { ALT: fn(() => this.CONSUME(T.AddOp)) },
        { ALT: fn(() => this.CONSUME(T.MulOp)) },
      ]);
      this.SUBRULE2(this.operand);
    });
  });

  /** Prefix operators (`not`, `-`), a primary, and postfix `.field` / `[index]`. */
  private operand = this.RULE("operand", () => {
    this.MANY(() => this.OR([{ ALT: fn(() => this.CONSUME(T.Not)) }, { ALT: fn(() => this.CONSUME(T.Minus)) }]));
    this.SUBRULE(this.primary);
    this.MANY2(() => this.SUBRULE(this.pathSegment));
  });

  private primary = this.RULE("primary", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: fn(() => this.CONSUME(T.NumberLit)) },
        { ALT: fn(() => this.CONSUME(T.TimeLit)) },
        { ALT: fn(() => this.CONSUME(T.BadUnitLit)) },
        { ALT: fn(() => this.CONSUME(T.True)) },
        { ALT: fn(() => this.CONSUME(T.False)) },
        { ALT: fn(() => this.CONSUME(T.StringLit)) },
        {
          GATE: fn(() =>
            aggregateTypes.has(this.LA(1).tokenType) &&
            this.LA(2).tokenType === T.LParen &&
            this.LA(4).tokenType === T.In),
          ALT: fn(() => this.SUBRULE(this.aggregate)),
        },
        {
          ALT: fn(() => {
            this.CONSUME(T.Ident);
            this.OPTION(() => this.SUBRULE(this.args));
          }),
        },
        { ALT: fn(() => this.CONSUME(T.Obs)) },
        { ALT: fn(() => this.CONSUME(T.State)) },
        { ALT: fn(() => this.CONSUME(T.Out)) },
        { ALT: fn(() => this.CONSUME(T.Msg)) },
        { ALT: fn(() => this.SUBRULE(this.listLit)) },
        {
          ALT: fn(() => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expr);
            this.CONSUME(T.RParen);
          }),
        },
        { ALT: fn(() => this.SUBRULE(this.matchExpr)) },
      ],
    });
  });

  private listLit = this.RULE("listLit", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr);
      this.MANY({
        GATE: fn(() => this.LA(2).tokenType !== T.RBracket),
        DEF: fn(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expr);
        }),
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  private matchExpr = this.RULE("matchExpr", () => {
    this.CONSUME(T.Match);
    this.SUBRULE(this.expr);
    this.CONSUME(T.LBrace);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.matchArm));
    this.CONSUME(T.RBrace);
  });

  private matchArm = this.RULE("matchArm", () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.FatArrow);
    this.SUBRULE(this.expr);
    this.OPTION(() => this.CONSUME(T.Comma));
  });

  private aggregate = this.RULE("aggregate", () => {
    this.CONSUME(T.Ident); // one of the aggregate words (gated in `primary`)
    this.CONSUME(T.LParen);
    this.CONSUME2(T.Ident);
    this.CONSUME(T.In);
    this.SUBRULE(this.expr);
    this.CONSUME(T.Colon);
    this.SUBRULE2(this.expr);
    this.CONSUME(T.RParen);
  });
}

/** The one parser instance: chevrotain parsers are expensive to build and cheap to reuse. */
export const hpolParser = new HpolParser();

export type { CstNode };
export { nodeStartTypes, declStartTypes, statementStartTypes, isA };
