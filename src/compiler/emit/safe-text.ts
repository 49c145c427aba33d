// Spec text that reaches emitted code. Names are identifiers by the grammar, but labels, file names and the
// policy name (a file's base name when the spec has no `module` line) are arbitrary text: they must never end a
// comment or a string early. JavaScript and TypeScript end a line comment at U+2028/U+2029 as well as at CR/LF,
// and JSON.stringify leaves those two characters raw, so every piece of spec text goes through one of these.

const LINE_BREAKS = /[\u2028\u2029]/g;
const escapeLineBreak = (c: string): string => `\\u${c.charCodeAt(0).toString(16)}`;

/** A string literal (valid JavaScript, TypeScript and JSON) denoting exactly `text`. */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(LINE_BREAKS, escapeLineBreak);
}

/** `text` for a `//` or `/* … *\/` comment, unquoted: one line, no comment terminator, control characters, quotes
 *  and backslashes escaped as in a string literal. */
export function commentText(text: string): string {
  return stringLiteral(text).slice(1, -1).replace(/\*\//g, "*\\/");
}
