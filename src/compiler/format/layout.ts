// The line buffer behind the formatter, with comment placement. Comments are re-attached by offset: before an
// item (a declaration, field, tree node, … that starts a line) is printed, every comment that starts before it
// in the source is printed first. A comment that had code before it on its source line is a trailing comment
// and goes at the end of the last printed line; any other comment gets a line of its own. Blank lines are
// canonical: exactly one between top-level declarations, elsewhere one wherever the source had at least one.
import type { Comment } from "../../grammar/ast.ts";

const INDENT = "  ";

interface Line {
  readonly indent: number;
  text: string;
  /** A line comment ends this line: nothing may be appended after it. */
  closed: boolean;
}

export class Layout {
  private readonly lines: Line[] = [];
  private readonly comments: readonly Comment[];
  private nextComment = 0;
  private depth = 0;
  /** No blank line before the first item of a block (or of the file). */
  private atBlockStart = true;
  /** A blank line is required before the next own-line item (between top-level declarations). */
  private blankRequired = false;

  constructor(
    private readonly source: string,
    comments: readonly Comment[],
  ) {
    this.comments = [...comments].sort((a, b) => a.span.start - b.span.start);
  }

  /** Starts a new line for an item beginning at source offset `pos`, after the comments that precede it. */
  item(pos: number, text: string): void {
    this.flushComments(pos);
    this.newLine(text, this.blankBefore(pos), false);
  }

  /** Appends to the current line (the item being printed continues). */
  append(text: string): void {
    const last = this.lines[this.lines.length - 1];
    if (!last || last.closed) throw new Error("formatter: append after a line comment");
    last.text += text;
  }

  /** A continuation of the current item on a new line, one level deeper (comments are not flushed here). */
  continuation(text: string): void {
    this.lines.push({ indent: this.depth + 1, text, closed: false });
  }

  /** Appends ` {` and indents; pair with `close`. Returns a token for `close`. */
  open(): number {
    this.append(" {");
    this.depth++;
    this.atBlockStart = true;
    return this.lines.length;
  }

  /** Prints the comments before the closing brace at `closePos` inside the block, then the brace. */
  close(token: number, closePos: number): void {
    this.flushComments(closePos);
    this.depth--;
    this.atBlockStart = false;
    const last = this.lines[this.lines.length - 1];
    if (this.lines.length === token && last.text.endsWith("{")) last.text += "}";
    else this.newLine("}", false, false);
  }

  requireBlankLine(): void {
    this.blankRequired = true;
  }

  /** Whether any comment starts inside [start, end): such constructs are laid out one element per line. */
  hasCommentIn(start: number, end: number): boolean {
    for (let i = this.nextComment; i < this.comments.length; i++) {
      const c = this.comments[i];
      if (c.span.start >= end) break;
      if (c.span.start >= start) return true;
    }
    return false;
  }

  get indentWidth(): number {
    return this.depth * INDENT.length;
  }

  /** Current line's length including indentation, for "fits on one line" decisions. */
  get currentLineLength(): number {
    const last = this.lines[this.lines.length - 1];
    return last ? last.indent * INDENT.length + last.text.length : 0;
  }

  finish(): string {
    this.flushComments(Infinity);
    return this.lines.map((l) => (l.text === "" ? "" : INDENT.repeat(l.indent) + l.text)).join("\n") + "\n";
  }

  flushComments(pos: number): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment].span.start < pos) {
      const c = this.comments[this.nextComment++];
      const text = this.source.slice(c.span.start, c.span.end).trimEnd();
      const last = this.lines[this.lines.length - 1];
      if (this.hasCodeBefore(c.span.start) && last && !last.closed && last.text !== "") {
        last.text += " " + text;
        last.closed = !c.block;
      } else {
        this.newLine(text, this.blankBefore(c.span.start), !c.block);
      }
    }
  }

  private newLine(text: string, sourceBlank: boolean, closed: boolean): void {
    if (this.lines.length > 0 && !this.atBlockStart && (this.blankRequired || sourceBlank)) {
      this.lines.push({ indent: 0, text: "", closed: true });
    }
    this.blankRequired = false;
    this.atBlockStart = false;
    this.lines.push({ indent: this.depth, text, closed });
  }

  /** True when the source has a blank line between `pos` and the previous non-blank character. */
  private blankBefore(pos: number): boolean {
    let newlines = 0;
    for (let i = pos - 1; i >= 0; i--) {
      const ch = this.source.charCodeAt(i);
      if (ch === 10) {
        if (++newlines >= 2) return true;
      } else if (ch !== 32 && ch !== 9 && ch !== 13) return false;
    }
    return false;
  }

  /** True when something other than whitespace precedes `pos` on its source line. */
  private hasCodeBefore(pos: number): boolean {
    for (let i = pos - 1; i >= 0; i--) {
      const ch = this.source.charCodeAt(i);
      if (ch === 10 || ch === 13) return false;
      if (ch !== 32 && ch !== 9) return true;
    }
    return false;
  }
}
