// Turns lexer results and chevrotain's recognition exceptions into coded HP1xxx diagnostics, and suppresses
// cascades: after a parser error, further parser errors are dropped until the input reaches the next statement or
// declaration keyword, so each independent mistake is reported once.
import type { ILexingError, IRecognitionException, IToken } from "chevrotain";
import { EOF } from "./chevrotain.ts";
import type { Span } from "./ast.ts";
import * as T from "./tokens.ts";
import { diag, type Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { syntaxCodes as C } from "../compiler/diagnostics/codes/syntax.ts";
import { describeAlternatives, describeRule, describeToken, describeTokenType } from "./describe.ts";
import { declStartTypes, isA, statementStartTypes, type ParseErrorDetail } from "./parser.ts";

/** Diagnostics for everything the lexer saw: unknown characters, bad strings, units, comments, `;`. */
export function lexDiagnostics(
  file: string,
  text: string,
  errors: readonly ILexingError[],
  tokens: readonly IToken[],
  groups: Record<string, IToken[]>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // one diagnostic per run of unknown characters
  let i = 0;
  while (i < errors.length) {
    const start = errors[i].offset;
    let end = start + errors[i].length;
    while (i + 1 < errors.length && errors[i + 1].offset === end) end += errors[++i].length;
    i++;
    const chars = text.slice(start, end);
    const shown = chars.length > 12 ? chars.slice(0, 12) + "…" : chars;
    out.push(diag(C.unknownCharacter, file, { start, end }, { char: shown }, unknownCharHelp(chars)));
  }
  for (const t of tokens) {
    if (t.tokenType === T.UnterminatedString) out.push(diag(C.unterminatedString, file, span(t), {}));
    if (t.tokenType === T.StringLit || t.tokenType === T.UnterminatedString) {
      const re = /\\(.)/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(t.image)) !== null) {
        if (!'"\\nt'.includes(m[1])) {
          const at = t.startOffset + m.index;
          out.push(
            diag(C.invalidEscape, file, { start: at, end: at + 2 }, { escape: m[0] }, {
              help: "write `\\\\` for a backslash",
              fix: { file, span: { start: at, end: at + 1 }, replacement: "\\\\", description: "escape the backslash" },
            }),
          );
        }
      }
    }
    if (t.tokenType === T.BadUnitLit) {
      const unit = /[A-Za-z_][A-Za-z0-9_]*$/.exec(t.image)?.[0] ?? t.image;
      out.push(
        diag(C.unknownUnit, file, span(t), { text: t.image, unit }, {
          help: "durations are written like `500ms` or `2s`, rates like `30hz`",
        }),
      );
    }
  }
  for (const c of groups["comments"] ?? []) {
    if (c.tokenType === T.UnterminatedComment) out.push(diag(C.unterminatedComment, file, { start: c.startOffset, end: c.startOffset + 2 }, {}));
  }
  for (const s of groups["stray"] ?? []) {
    const sp = span(s);
    out.push(diag(C.straySemicolon, file, sp, {}, { fix: { file, span: sp, replacement: "", description: "remove the `;`" } }));
  }
  return out;
}

function unknownCharHelp(chars: string): { help?: string } {
  const c = chars[0];
  if (c === "#") return { help: "comments start with `//`" };
  if (c === "'") return { help: 'strings use double quotes: "…"' };
  if (c === "&") return { help: "write `and`" };
  if (c === "|") return { help: "write `or`" };
  return {};
}

function span(t: IToken): Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset + t.image.length - 1) + 1 };
}

export interface Located {
  readonly diagnostic: Diagnostic;
  /** Where the parser stood (the offending token), which may differ from the diagnostic's span. */
  readonly at: number;
}

/** Coded diagnostics for the parser's errors, each with the offset where the parser stood. */
export function parseDiagnostics(
  file: string,
  text: string,
  errors: readonly IRecognitionException[],
  details: readonly ParseErrorDetail[],
  tokens: readonly IToken[],
): Located[] {
  const located: Located[] = [];
  for (const e of errors.slice(0, 200)) {
    const detail = details[Number(e.message)];
    if (detail === undefined) continue;
    located.push(convert(file, text, e.token, detail, tokens));
  }
  return located;
}

/**
 * Drops cascades: a follower is kept only when a statement or declaration keyword lies between it and the
 * previous kept diagnostic. Leaders (e.g. an unknown character) are always kept and start a new cascade.
 */
export function suppressCascades(leaders: readonly Located[], followers: readonly Located[], tokens: readonly IToken[]): Diagnostic[] {
  const all = [...leaders.map((l) => ({ ...l, leader: true })), ...followers.map((l) => ({ ...l, leader: false }))];
  all.sort((a, b) => a.at - b.at || Number(b.leader) - Number(a.leader));
  const syncOffsets = tokens.filter((t) => isSyncToken(t)).map((t) => t.startOffset);
  const kept: Diagnostic[] = [];
  let lastAt = -1;
  for (const l of all) {
    if (!l.leader && lastAt >= 0 && (l.at === lastAt || !hasOffsetIn(syncOffsets, lastAt, l.at))) continue;
    kept.push(l.diagnostic);
    lastAt = l.at;
  }
  return kept;
}

function isSyncToken(t: IToken): boolean {
  return declStartTypes.has(t.tokenType) || statementStartTypes.has(t.tokenType);
}

/** Is there an offset in the sorted `offsets` with lo < offset <= hi? */
function hasOffsetIn(offsets: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = offsets.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (offsets[m] <= lo) a = m + 1;
    else b = m;
  }
  return a < offsets.length && offsets[a] <= hi;
}

function convert(file: string, text: string, token: IToken, detail: ParseErrorDetail, tokens: readonly IToken[]): Located {
  const atEof = token.tokenType === EOF || Number.isNaN(token.startOffset);
  const at = atEof ? text.length : token.startOffset;
  const prevEnd = detail.previous && !Number.isNaN(detail.previous.startOffset) ? span(detail.previous).end : at;
  const where: Span = atEof ? { start: prevEnd, end: prevEnd } : span(token);
  const found = atEof ? "end of file" : describeToken(token);
  const expected = detail.expected;

  if (detail.kind === "mismatch" && expected[0] === T.RBrace && (atEof || isDeclStart(token, tokens))) {
    const open = innermostOpenBrace(tokens, at);
    if (open !== undefined) {
      return {
        at,
        diagnostic: diag(C.unclosedBlock, file, span(open), {}, {
          labels: [{ file, span: where, message: `expected \`}\` before ${found}` }],
          help: "add the missing `}`",
        }),
      };
    }
  }
  if (detail.kind === "mismatch" && (expected[0] === T.Ident || expected[0] === T.Name) && !atEof && isA(token, T.Reserved)) {
    return {
      at,
      diagnostic: diag(C.reservedWord, file, where, { word: token.image, expected: describeTokenType(expected[0]) }, {
        help: `\`${token.image}\` is reserved; choose another name such as \`${token.image}_\``,
      }),
    };
  }
  let wanted: string;
  if (detail.kind === "mismatch") wanted = describeTokenType(expected[0]);
  else wanted = describeRule(detail.rule) ?? describeAlternatives(expected);
  return { at, diagnostic: diag(C.unexpectedToken, file, where, { expected: wanted, found }) };
}

function isDeclStart(token: IToken, tokens: readonly IToken[]): boolean {
  if (!declStartTypes.has(token.tokenType)) return false;
  if (token.tokenType !== T.State && token.tokenType !== T.Output) return true;
  const i = indexAt(tokens, token.startOffset);
  return i >= 0 && tokens[i + 1]?.tokenType === T.LBrace;
}

function indexAt(tokens: readonly IToken[], offset: number): number {
  let a = 0;
  let b = tokens.length - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    const o = tokens[m].startOffset;
    if (o === offset) return m;
    if (o < offset) a = m + 1;
    else b = m - 1;
  }
  return -1;
}

/** The innermost `{` before `offset` that no `}` before `offset` closes. */
function innermostOpenBrace(tokens: readonly IToken[], offset: number): IToken | undefined {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.startOffset >= offset) break;
    if (t.tokenType === T.LBrace) stack.push(t);
    else if (t.tokenType === T.RBrace) stack.pop();
  }
  return stack[stack.length - 1];
}
