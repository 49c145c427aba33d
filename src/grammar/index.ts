// The grammar phase's entry: `parse(text, file) → { module, diagnostics }`. It never throws: every problem in the
// input is a coded HP1xxx diagnostic, and a module (possibly partial, with `recovered` nodes) always comes back.
import type { IToken } from "chevrotain";
import type { Comment, Module } from "./ast.ts";
import * as T from "./tokens.ts";
import { hpolParser } from "./parser.ts";
import { AstBuilder } from "./visitor.ts";
import { lexDiagnostics, parseDiagnostics, suppressCascades } from "./errors.ts";
import { diag, sortDiagnostics, type Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { syntaxCodes } from "../compiler/diagnostics/codes/syntax.ts";
import { internalCodes } from "../compiler/diagnostics/codes/internal.ts";

/** Deepest nesting accepted: far beyond hand-written specs, well within the parser's stack. */
export const MAX_NESTING = 100;

export interface ParseResult {
  readonly module: Module;
  readonly diagnostics: Diagnostic[];
}

export function parse(text: string, file: string): ParseResult {
  try {
    return parseOrThrow(text, file);
  } catch (e) {
    // A stack overflow can only come from pathological nesting that the pre-scan did not see.
    const tooDeep = e instanceof RangeError;
    const d = tooDeep
      ? diag(syntaxCodes.nestingTooDeep, file, { start: 0, end: 0 }, { limit: MAX_NESTING })
      : diag(internalCodes.internalError, file, { start: 0, end: 0 }, { what: "parsing", detail: e instanceof Error ? e.message : String(e) });
    return { module: emptyModule(text, file, []), diagnostics: [d] };
  }
}

function parseOrThrow(text: string, file: string): ParseResult {
  const lexed = T.hpolLexer.tokenize(text);
  const comments = collectComments(lexed.groups["comments"] ?? []);
  const diagnostics = lexDiagnostics(file, text, lexed.errors, lexed.tokens, lexed.groups);

  const deep = firstTooDeep(lexed.tokens);
  if (deep !== undefined) {
    diagnostics.push(
      diag(syntaxCodes.nestingTooDeep, file, { start: deep.startOffset, end: deep.startOffset + deep.image.length }, { limit: MAX_NESTING }, {
        help: "split the logic into subtrees (`tree` + `call`) or named constants",
      }),
    );
    return { module: emptyModule(text, file, comments), diagnostics: sortDiagnostics(diagnostics) };
  }

  hpolParser.recorder.details = [];
  hpolParser.input = lexed.tokens;
  const cst = hpolParser.module();
  const parseErrors = parseDiagnostics(file, text, hpolParser.errors, hpolParser.recorder.details, lexed.tokens);

  const builder = new AstBuilder(file, text);
  const module = builder.module(cst, comments);
  diagnostics.push(...builder.diagnostics);
  // Unknown characters and unterminated strings lead: the parser's complaint about the token right after them
  // is the same mistake. A leader stands at the first token after it, so that complaint counts as its cascade.
  const leaders = diagnostics
    .filter((d) => leaderCodes.has(d.code))
    .map((d) => ({ diagnostic: d, at: firstTokenAtOrAfter(lexed.tokens, d.span.end) ?? text.length }));
  const followers = suppressCascades(leaders, [...parseErrors, ...builder.junkDiagnostics], lexed.tokens).filter(
    (d) => !leaders.some((l) => l.diagnostic === d),
  );
  diagnostics.push(...followers);
  // "a body holds N nodes" is a cascade when a parser error inside the body split or dropped a node
  const parserSpans = parseErrors.map((p) => p.at);
  const clean = diagnostics.filter(
    (d) => d.code !== syntaxCodes.bodyNodeCount.code || !parserSpans.some((at) => at >= d.span.start && at <= d.span.end),
  );
  diagnostics.length = 0;
  diagnostics.push(...clean);
  return { module, diagnostics: sortDiagnostics(dedupe(diagnostics)) };
}

const leaderCodes = new Set([syntaxCodes.unknownCharacter.code, syntaxCodes.unterminatedString.code]);

function firstTokenAtOrAfter(tokens: readonly IToken[], offset: number): number | undefined {
  let a = 0;
  let b = tokens.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (tokens[m].startOffset < offset) a = m + 1;
    else b = m;
  }
  return tokens[a]?.startOffset;
}

function collectComments(tokens: readonly IToken[]): Comment[] {
  return tokens.map((t) => ({
    span: { start: t.startOffset, end: t.startOffset + t.image.length },
    text: t.image,
    block: t.tokenType !== T.LineComment,
  }));
}

function emptyModule(text: string, file: string, comments: Comment[]): Module {
  return { kind: "Module", file, imports: [], decls: [], comments, span: { start: 0, end: text.length }, recovered: true };
}

const openers = new Set([T.LParen, T.LBracket, T.LBrace]);
const closers = new Set([T.RParen, T.RBracket, T.RBrace]);
/** Prefix forms that nest without brackets (`not not …`, `- - …`, `invert invert …`). */
const prefixes = new Set([T.Not, T.Bang, T.Minus, T.Invert, T.Once, T.ForceSuccess, T.ForceFailure, T.If]);

/** The first token that opens a level beyond MAX_NESTING, counting brackets plus runs of prefix forms. */
function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let run = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (openers.has(type)) {
      if (++depth + run > MAX_NESTING) return t;
    } else if (closers.has(type)) {
      if (depth > 0) depth--;
    }
    if (prefixes.has(type)) {
      if (depth + ++run > MAX_NESTING) return t;
    } else if (!openers.has(type)) run = 0;
  }
  return undefined;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}:${d.span.start}:${d.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type { Module } from "./ast.ts";
