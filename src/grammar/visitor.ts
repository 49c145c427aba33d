// The one CST→AST visitor: the only code that knows chevrotain's CST shape. It never throws on a recovered
// (partial) CST: a missing piece becomes a placeholder marked `recovered: true` (an empty name, an `ErrorExpr`, a
// failing leaf), so later phases skip it instead of reporting a second error.
// It also reports the mistakes the parser accepts on purpose (see parser.ts) and the junk statements.
import type { CstElement, CstNode, IToken, TokenType } from "chevrotain";
import type * as A from "./ast.ts";
import * as T from "./tokens.ts";
import { diag, type Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { syntaxCodes as C } from "../compiler/diagnostics/codes/syntax.ts";
import { suggest } from "../compiler/diagnostics/suggest.ts";
import { describeToken } from "./describe.ts";
import type { Located } from "./errors.ts";

type Span = A.Span;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

const nodeWords = T.nodeKeywords.map((t) => T.keywordText(t)!);
const handlerWords = [...nodeWords, "on", "default"];
const testStepWords = ["given", "raise", "inject", "run", "expect"];
const inferItemWords = ["feed", "write", "chunk", "refine", "async"];
const modelItemWords = ["input", "output"];
const declWords = T.declKeywords.map((t) => T.keywordText(t)!);
const compositeWords = new Set(["sequence", "selector", "parallel", "race"]);

/** Where a junk statement stood: decides what it was expected to be and which keywords to suggest. */
type ListContext = "node" | "handler" | "testStep" | "inferItem" | "modelItem";
const listWords: Record<ListContext, readonly string[]> = {
  node: nodeWords,
  handler: handlerWords,
  testStep: testStepWords,
  inferItem: inferItemWords,
  modelItem: modelItemWords,
};
const listWhat: Record<ListContext, string> = {
  node: "a tree node",
  handler: "a tree node or a handler (`on Kind …`, `default …`)",
  testStep: "a test step (`given`, `raise`, `inject`, `run`, `expect`)",
  inferItem: "an infer item (`feed`, `write`, `chunk`, `refine`, `async`)",
  modelItem: "`input` or `output`",
};

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Junk reports, kept apart: they go through cascade suppression with the parser's errors. */
  readonly junkDiagnostics: Located[] = [];
  /** End of the last real token seen: where placeholders for missing pieces are put. */
  private cursor = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  // ------------------------------------------------------------ CST access

  private tok(n: CstNode, key: string, i = 0): IToken | undefined {
    const e = n.children[key]?.[i];
    return e !== undefined && isToken(e) && !e.isInsertedInRecovery ? e : undefined;
  }
  private toks(n: CstNode, key: string): IToken[] {
    const es = n.children[key];
    return es === undefined ? [] : (es.filter((e) => isToken(e) && !e.isInsertedInRecovery) as IToken[]);
  }
  private sub(n: CstNode, key: string, i = 0): CstNode | undefined {
    const e = n.children[key]?.[i];
    return e !== undefined && !isToken(e) ? e : undefined;
  }
  private subs(n: CstNode, key: string): CstNode[] {
    const es = n.children[key];
    return es === undefined ? [] : (es.filter((e) => !isToken(e)) as CstNode[]);
  }
  private has(n: CstNode, key: string): boolean {
    return (n.children[key]?.length ?? 0) > 0;
  }

  private tokSpan(t: IToken): Span {
    const start = t.startOffset;
    if (Number.isNaN(start)) return { start: this.cursor, end: this.cursor };
    const end = (t.endOffset ?? start + t.image.length - 1) + 1;
    if (end > this.cursor) this.cursor = end;
    return { start, end };
  }
  private nodeSpan(n: CstNode): Span {
    const loc = n.location;
    if (loc !== undefined && !Number.isNaN(loc.startOffset) && loc.endOffset !== undefined && !Number.isNaN(loc.endOffset)) {
      return { start: loc.startOffset, end: loc.endOffset + 1 };
    }
    return { start: this.cursor, end: this.cursor };
  }
  private missingSpan(): Span {
    return { start: this.cursor, end: this.cursor };
  }
  private rec(n: CstNode): { recovered?: true } {
    return n.recoveredNode === true ? { recovered: true } : {};
  }

  private ident(t: IToken | undefined): A.Ident {
    if (t === undefined) return { kind: "Ident", name: "", span: this.missingSpan(), recovered: true };
    return { kind: "Ident", name: t.image, span: this.tokSpan(t) };
  }
  private stringLit(t: IToken | undefined): A.StringLit {
    if (t === undefined) return { kind: "StringLit", value: "", span: this.missingSpan(), recovered: true };
    return { kind: "StringLit", value: unescape(t.image), span: this.tokSpan(t) };
  }
  private numberLit(t: IToken | undefined): A.NumberLit {
    if (t === undefined) return { kind: "NumberLit", value: 0, isInt: true, text: "", span: this.missingSpan(), recovered: true };
    const text = t.image;
    return { kind: "NumberLit", value: Number(text), isInt: /^[0-9]+$/.test(text), text, span: this.tokSpan(t) };
  }
  /** A number that must be a whole number (counts, sizes). */
  private intLit(t: IToken | undefined): A.IntLit {
    const n = this.numberLit(t);
    if (t !== undefined && !n.isInt) {
      this.report(C.expectedInteger, n.span, { found: n.text });
      return { ...n, recovered: true };
    }
    return n;
  }
  private report<P>(entry: Parameters<typeof diag<P>>[0], span: Span, params: P, extras?: Parameters<typeof diag<P>>[4]): void {
    this.diagnostics.push(diag(entry, this.file, span, params, extras));
  }

  private reportJunk<P>(entry: Parameters<typeof diag<P>>[0], span: Span, params: P, extras?: Parameters<typeof diag<P>>[4]): void {
    this.junkDiagnostics.push({ diagnostic: diag(entry, this.file, span, params, extras), at: span.start });
  }

  // ------------------------------------------------------------ module

  module(n: CstNode, comments: A.Comment[]): A.Module {
    const header = this.sub(n, "moduleHeader");
    const name = header ? this.ident(this.tok(header, "Ident")) : undefined;
    const imports = this.subs(n, "importDecl").map((d) => this.importDecl(d));
    const decls: A.Decl[] = [];
    // decls and junk interleave: visit in source order so placeholders get sensible positions
    const items = [...this.subs(n, "decl"), ...this.subs(n, "topJunk")].sort(byOffset);
    for (const item of items) {
      if (item.name === "topJunk") this.topJunk(item);
      else {
        const d = this.decl(item);
        if (d !== undefined) decls.push(d);
      }
    }
    return {
      kind: "Module",
      file: this.file,
      ...(name ? { name } : {}),
      imports,
      decls,
      comments,
      span: { start: 0, end: this.text.length },
    };
  }

  private importDecl(n: CstNode): A.Import {
    const list = this.sub(n, "identListTrailing");
    return {
      kind: "Import",
      names: list ? this.toks(list, "Ident").map((t) => this.ident(t)) : [],
      from: this.stringLit(this.tok(n, "StringLit")),
      span: this.nodeSpan(n),
      ...this.rec(n),
    };
  }

  private topJunk(n: CstNode): void {
    const first = firstToken(n);
    if (first === undefined) return;
    const span = this.tokSpan(first);
    if (first.tokenType === T.RBrace) {
      this.reportJunk(C.unmatchedClosingBrace, span, {});
      return;
    }
    if (first.tokenType === T.Ident) {
      const guess = suggest(first.image, declWords);
      if (guess !== undefined) {
        this.reportJunk(C.unknownKeyword, span, { what: "a declaration", word: first.image }, {
          help: `did you mean \`${guess}\`?`,
          fix: { file: this.file, span, replacement: guess, description: `replace \`${first.image}\` with \`${guess}\`` },
        });
        return;
      }
    }
    this.reportJunk(C.expectedDeclaration, span, { found: describeToken(first) });
  }

  /** A junk statement in a statement list: reported once; a block after it is still visited for its nodes. */
  private junkStatement(n: CstNode, context: ListContext): A.TreeNode | undefined {
    const first = firstToken(n);
    if (first === undefined) return undefined;
    const span = this.tokSpan(first);
    const block = this.sub(n, "block");
    const words = listWords[context];
    let guess: string | undefined;
    if (first.tokenType === T.RBrace) {
      this.reportJunk(C.unmatchedClosingBrace, span, {});
    } else if (T.isWordToken(first.tokenType)) {
      guess = suggest(first.image, words);
      if (guess !== undefined) {
        this.reportJunk(C.unknownKeyword, span, { what: listWhat[context], word: first.image }, {
          help: `did you mean \`${guess}\`?`,
          fix: { file: this.file, span, replacement: guess, description: `replace \`${first.image}\` with \`${guess}\`` },
        });
      } else {
        this.reportJunk(C.unknownKeyword, span, { what: listWhat[context], word: first.image });
      }
    } else {
      this.reportJunk(C.unexpectedToken, span, { expected: listWhat[context], found: describeToken(first) });
    }
    if (block === undefined) return undefined;
    // keep the children (they are checked) under a recovered composite of the suggested kind
    const composite: A.CompositeKind = guess === "selector" ? "selector" : guess === "race" ? "race" : "sequence";
    const b = this.block(block);
    return { kind: "Composite", composite, children: b.children, openBrace: b.openBrace, span: this.nodeSpan(n), recovered: true };
  }

  private decl(n: CstNode): A.Decl | undefined {
    const key = Object.keys(n.children)[0];
    const d = key === undefined ? undefined : this.sub(n, key);
    if (d === undefined) return undefined;
    switch (d.name) {
      case "typeAlias":
        return { kind: "TypeAliasDecl", name: this.ident(this.tok(d, "Ident")), type: this.typeOf(d), span: this.nodeSpan(d), ...this.rec(d) };
      case "enumDecl": {
        const list = this.sub(d, "identListTrailing");
        return {
          kind: "EnumDecl",
          name: this.ident(this.tok(d, "Ident")),
          members: list ? this.toks(list, "Ident").map((t) => this.ident(t)) : [],
          span: this.nodeSpan(d),
          ...this.rec(d),
        };
      }
      case "recordDecl":
        return { kind: "RecordDecl", name: this.ident(this.tok(d, "Ident")), fields: this.fieldBlock(this.sub(d, "fieldBlock")), span: this.nodeSpan(d), ...this.rec(d) };
      case "messageDecl":
        return {
          kind: "MessageDecl",
          name: this.ident(this.tok(d, "Ident")),
          kinds: this.subs(d, "messageKind").map((k) => ({
            kind: "MessageKind" as const,
            name: this.ident(this.tok(k, "Ident")),
            fields: this.fieldBlock(this.sub(k, "fieldBlock")),
            span: this.nodeSpan(k),
            ...this.rec(k),
          })),
          span: this.nodeSpan(d),
          ...this.rec(d),
        };
      case "constDecl": {
        const t = this.sub(d, "type");
        return {
          kind: "ConstDecl",
          name: this.ident(this.tok(d, "Ident")),
          ...(t ? { type: this.type(t) } : {}),
          value: this.exprOf(d),
          span: this.nodeSpan(d),
          ...this.rec(d),
        };
      }
      case "observationDecl":
        return { kind: "ObservationDecl", fields: this.fieldBlock(this.sub(d, "fieldBlock")), span: this.nodeSpan(d), ...this.rec(d) };
      case "outputDecl":
        return { kind: "OutputDecl", fields: this.fieldBlock(this.sub(d, "fieldBlock")), span: this.nodeSpan(d), ...this.rec(d) };
      case "externDecl":
        return this.externDecl(d);
      case "eventDecl": {
        const e = this.sub(d, "expr");
        return { kind: "EventDecl", name: this.ident(this.tok(d, "Ident")), ...(e ? { when: this.expr(e) } : {}), span: this.nodeSpan(d), ...this.rec(d) };
      }
      case "stateDecl":
        return this.stateDecl(d);
      case "modelDecl":
        return this.modelDecl(d);
      case "treeDecl": {
        const body = this.body(this.sub(d, "body"), "a tree body");
        return {
          kind: "TreeDecl",
          name: this.ident(this.tok(d, "Ident")),
          params: this.params(this.sub(d, "params")),
          ...(body.state ? { state: body.state } : {}),
          body: body.node,
          span: this.nodeSpan(d),
          ...this.rec(d),
        };
      }
      case "plannerDecl": {
        const body = this.body(this.sub(d, "body"), "a planner body");
        return {
          kind: "PlannerDecl",
          name: this.ident(this.tok(d, "Ident")),
          triggers: this.subs(d, "trigger").map((t) => this.trigger(t)),
          emits: this.ident(this.tok(d, "Ident", 1)),
          ...(body.state ? { state: body.state } : {}),
          body: body.node,
          span: this.nodeSpan(d),
          ...this.rec(d),
        };
      }
      case "executorDecl":
        return this.executorDecl(d);
      case "arbiterDecl": {
        const s = this.sub(d, "strategy");
        return {
          kind: "ArbiterDecl",
          output: this.ident(this.tok(d, "Name")),
          strategy: s ? this.strategy(s) : { kind: "priority", executors: [], span: this.missingSpan() },
          span: this.nodeSpan(d),
          ...this.rec(d),
        };
      }
      case "shieldDecl":
        return this.shieldDecl(d);
      case "testDecl":
        return this.testDecl(d);
      default:
        return undefined;
    }
  }

  // ------------------------------------------------------------ types and fields

  private typeOf(n: CstNode): A.TypeExpr {
    const t = this.sub(n, "type");
    return t ? this.type(t) : { kind: "NamedType", name: this.ident(undefined), span: this.missingSpan(), recovered: true };
  }

  type(n: CstNode): A.TypeExpr {
    const span = this.nodeSpan(n);
    const r = this.rec(n);
    if (this.has(n, "Kw_bool")) return { kind: "BoolType", span, ...r };
    if (this.has(n, "Kw_int") || this.has(n, "Kw_float")) {
      const rangeNode = this.sub(n, "range");
      const range = rangeNode ? this.range(rangeNode) : undefined;
      const kind = this.has(n, "Kw_int") ? ("IntType" as const) : ("FloatType" as const);
      return { kind, ...(range ? { range } : {}), span, ...r };
    }
    if (this.has(n, "Kw_vec2")) return { kind: "VecType", size: 2, span, ...r };
    if (this.has(n, "Kw_vec3")) return { kind: "VecType", size: 3, span, ...r };
    if (this.has(n, "Kw_vec4")) return { kind: "VecType", size: 4, span, ...r };
    if (this.has(n, "Kw_vec")) return { kind: "VecType", size: this.intLit(this.tok(n, "NumberLit")).value, span, ...r };
    if (this.has(n, "Kw_list")) {
      return { kind: "ListType", element: this.typeOf(n), capacity: this.intLit(this.tok(n, "NumberLit", 0)).value, span, ...r };
    }
    if (this.has(n, "Kw_tensor")) {
      const dtypeNode = this.sub(n, "dtype");
      const dtypeTok = dtypeNode ? firstToken(dtypeNode) : undefined;
      const dtype = (dtypeTok?.image ?? "f32") as A.DType;
      const shape = this.subs(n, "dim").map((d) => this.dim(d));
      return { kind: "TensorType", dtype, shape, span, ...(dtypeTok === undefined ? { recovered: true } : r) };
    }
    return { kind: "NamedType", name: this.ident(this.tok(n, "Ident")), span, ...r };
  }

  private range(n: CstNode): A.NumRange {
    const [lo, hi] = this.subs(n, "signedNumber").map((s) => this.signedNumber(s));
    return { min: lo ?? 0, max: hi ?? 0, span: this.nodeSpan(n), ...this.rec(n) };
  }
  private signedNumber(n: CstNode): number {
    const v = this.numberLit(this.tok(n, "NumberLit")).value;
    return this.has(n, "Minus") ? -v : v;
  }
  private dim(n: CstNode): A.Dim {
    const t = firstToken(n);
    if (t === undefined) return { kind: "dynamic", span: this.missingSpan() };
    const span = this.tokSpan(t);
    if (t.tokenType === T.Question) return { kind: "dynamic", span };
    if (t.tokenType === T.NumberLit) return { kind: "fixed", size: this.intLit(t).value, span };
    return { kind: "named", name: t.image, span };
  }

  private fieldBlock(n: CstNode | undefined): A.Field[] {
    if (n === undefined) return [];
    return this.subs(n, "field").map((f) => this.field(f));
  }
  private field(n: CstNode): A.Field {
    const e = this.sub(n, "expr");
    if (e !== undefined && !this.has(n, "Eq")) {
      const at = this.nodeSpan(e);
      this.report(C.missingEquals, at, {}, {
        fix: { file: this.file, span: { start: at.start, end: at.start }, replacement: "= ", description: "insert `=`" },
      });
    }
    return {
      kind: "Field",
      name: this.ident(this.tok(n, "Name")),
      type: this.typeOf(n),
      ...(e ? { init: this.expr(e) } : {}),
      span: this.nodeSpan(n),
      ...this.rec(n),
    };
  }

  private stateDecl(n: CstNode): A.StateDecl {
    return { kind: "StateDecl", fields: this.fieldBlock(this.sub(n, "fieldBlock")), span: this.nodeSpan(n), ...this.rec(n) };
  }

  // ------------------------------------------------------------ host contract and models

  private externDecl(n: CstNode): A.ExternDecl {
    const externKind: A.ExternKind = this.has(n, "Kw_condition") ? "condition" : this.has(n, "Kw_function") ? "function" : "action";
    const type = this.sub(n, "type");
    const writes = this.sub(n, "nameList");
    return {
      kind: "ExternDecl",
      externKind,
      name: this.ident(this.tok(n, "Ident")),
      params: this.params(this.sub(n, "params")),
      ...(type ? { returns: this.type(type) } : {}),
      async: this.has(n, "Kw_async"),
      writes: writes ? this.nameList(writes) : [],
      span: this.nodeSpan(n),
      ...(this.rec(n).recovered || (this.tok(n, "Ident") === undefined) ? { recovered: true } : {}),
    };
  }

  private nameList(n: CstNode): A.Ident[] {
    return this.toks(n, "Ident").map((t) => this.ident(t));
  }

  private params(n: CstNode | undefined): A.Param[] {
    if (n === undefined) return [];
    return this.subs(n, "param").map((p) => {
      const e = this.sub(p, "expr");
      return {
        kind: "Param" as const,
        name: this.ident(this.tok(p, "Ident")),
        type: this.typeOf(p),
        ...(e ? { default: this.expr(e) } : {}),
        span: this.nodeSpan(p),
        ...this.rec(p),
      };
    });
  }

  private modelDecl(n: CstNode): A.ModelDecl {
    const backendTok = this.tok(n, "Ident", 1);
    let backend: A.Backend = "onnx";
    let recovered = n.recoveredNode === true;
    const backendSpan = backendTok ? this.tokSpan(backendTok) : this.missingSpan();
    if (backendTok !== undefined) {
      if (backendTok.image === "onnx" || backendTok.image === "tfjs") backend = backendTok.image;
      else {
        const guess = suggest(backendTok.image, ["onnx", "tfjs"]);
        this.report(C.unknownBackend, backendSpan, { name: backendTok.image }, guess
          ? { help: `did you mean \`${guess}\`?`, fix: { file: this.file, span: backendSpan, replacement: guess, description: `replace with \`${guess}\`` } }
          : {});
        recovered = true;
      }
    } else recovered = true;
    const ports: A.ModelPort[] = [];
    for (const item of [...this.subs(n, "modelItem"), ...this.subs(n, "junkStatement")].sort(byOffset)) {
      if (item.name === "junkStatement") {
        this.junkStatement(item, "modelItem");
        continue;
      }
      ports.push({
        kind: "ModelPort",
        direction: this.has(item, "Kw_input") ? "input" : "output",
        name: this.ident(this.tok(item, "Name")),
        type: this.typeOf(item),
        span: this.nodeSpan(item),
        ...this.rec(item),
      });
    }
    return {
      kind: "ModelDecl",
      name: this.ident(this.tok(n, "Ident", 0)),
      path: this.stringLit(this.tok(n, "StringLit")),
      backend,
      backendSpan,
      ports,
      span: this.nodeSpan(n),
      ...(recovered ? { recovered: true } : {}),
    };
  }

  // ------------------------------------------------------------ layers

  /** `{ state? node }` of trees and planners: exactly one node, reported otherwise. */
  private body(n: CstNode | undefined, what: string): { state?: A.StateDecl; node: A.TreeNode } {
    if (n === undefined) return { node: this.missingNode() };
    const st = this.sub(n, "stateDecl");
    const state = st ? this.stateDecl(st) : undefined;
    const list = this.sub(n, "nodeList");
    const nodes = list ? this.nodeList(list, "node") : { nodes: [], junk: 0 };
    const open = this.tok(n, "LBrace");
    let node: A.TreeNode;
    if (nodes.nodes.length === 1) node = nodes.nodes[0];
    else {
      // nothing to say when the only content was junk (already reported) or the block itself is broken
      if (nodes.junk === 0 && n.recoveredNode !== true) {
        const span = nodes.nodes.length === 0 ? (open ? this.tokSpan(open) : this.nodeSpan(n)) : this.nodeSpan(n);
        this.report(C.bodyNodeCount, span, { what, count: nodes.nodes.length }, nodes.nodes.length > 1
          ? { help: "wrap the nodes in `sequence { … }` to run them in order, or `selector { … }` to try them in turn" }
          : {});
      }
      node =
        nodes.nodes.length === 0
          ? this.missingNode()
          : { kind: "Composite", composite: "sequence", children: nodes.nodes, openBrace: open ? this.tokSpan(open) : this.missingSpan(), span: this.nodeSpan(n), recovered: true };
    }
    return { ...(state ? { state } : {}), node };
  }

  private missingNode(): A.TreeNode {
    return { kind: "ConstStatus", status: "failure", span: this.missingSpan(), recovered: true };
  }

  private trigger(n: CstNode): A.Trigger {
    const span = this.nodeSpan(n);
    if (this.has(n, "Kw_every")) return { kind: "every", period: this.duration(this.sub(n, "duration")), span };
    if (this.has(n, "Kw_at")) return { kind: "rate", rate: this.rate(this.sub(n, "rate")), span };
    const list = this.sub(n, "nameList");
    return { kind: "on", events: list ? this.nameList(list) : [], span };
  }

  private executorDecl(n: CstNode): A.ExecutorDecl {
    const trig = this.sub(n, "trigger");
    let rate: A.Trigger;
    if (trig === undefined) rate = { kind: "rate", rate: { kind: "RateLit", hz: 0, text: "", span: this.missingSpan(), recovered: true }, span: this.missingSpan() };
    else {
      rate = this.trigger(trig);
      if (rate.kind === "on") this.report(C.executorTrigger, rate.span, {});
    }
    const st = this.sub(n, "stateDecl");
    const writes = this.sub(n, "nameList");
    const handlers: A.Handler[] = [];
    const nodes: A.TreeNode[] = [];
    let junk = 0;
    const items = [...this.subs(n, "handler"), ...this.subs(n, "node"), ...this.subs(n, "junkStatement")].sort(byOffset);
    for (const item of items) {
      if (item.name === "handler") {
        const kindTok = this.tok(item, "Ident");
        handlers.push({
          kind: "Handler",
          ...(this.has(item, "Kw_on") ? { messageKind: this.ident(kindTok) } : {}),
          body: this.nodeOf(item),
          span: this.nodeSpan(item),
          ...this.rec(item),
        });
      } else if (item.name === "node") nodes.push(this.node(item));
      else {
        junk++;
        const recovered = this.junkStatement(item, "handler");
        if (recovered) nodes.push(recovered);
      }
    }
    let body: A.TreeNode | undefined;
    if (handlers.length > 0 && nodes.length > 0) {
      this.report(C.mixedExecutorBody, nodes[0].span, {});
    } else if (handlers.length === 0) {
      if (nodes.length === 1) body = nodes[0];
      else if (junk === 0 && n.recoveredNode !== true) {
        const open = this.tok(n, "LBrace");
        this.report(C.bodyNodeCount, nodes.length === 0 && open ? this.tokSpan(open) : this.nodeSpan(n), { what: "an executor body", count: nodes.length },
          nodes.length > 1 ? { help: "wrap the nodes in `sequence { … }` to run them in order, or `selector { … }` to try them in turn" } : {});
      }
    }
    return {
      kind: "ExecutorDecl",
      name: this.ident(this.tok(n, "Ident", 0)),
      rate,
      ...(this.has(n, "Kw_follows") ? { follows: this.ident(this.tok(n, "Ident", 1)) } : {}),
      writes: writes ? this.nameList(writes) : [],
      ...(st ? { state: this.stateDecl(st) } : {}),
      ...(body ? { body } : {}),
      handlers,
      span: this.nodeSpan(n),
      ...this.rec(n),
    };
  }

  private strategy(n: CstNode): A.Strategy {
    const span = this.nodeSpan(n);
    if (this.has(n, "Kw_priority") || this.has(n, "Kw_vote")) {
      const list = this.sub(n, "nameList");
      return { kind: this.has(n, "Kw_priority") ? "priority" : "vote", executors: list ? this.nameList(list) : [], span };
    }
    if (this.has(n, "Kw_utility") || this.has(n, "Kw_blend")) {
      const entries = this.subs(n, "weighted").map((w) => ({
        kind: "Weighted" as const,
        executor: this.ident(this.tok(w, "Ident")),
        expr: this.exprOf(w),
        span: this.nodeSpan(w),
        ...this.rec(w),
      }));
      return { kind: this.has(n, "Kw_utility") ? "utility" : "blend", entries, span };
    }
    const inner = this.sub(n, "strategy");
    return {
      kind: "filter",
      predicate: this.exprOf(n),
      then: inner ? this.strategy(inner) : { kind: "priority", executors: [], span: this.missingSpan() },
      span,
    };
  }

  private shieldDecl(n: CstNode): A.ShieldDecl {
    const es = this.subs(n, "expr").map((e) => this.expr(e));
    const span = this.nodeSpan(n);
    const err = (): A.Expr => ({ kind: "ErrorExpr", span: this.missingSpan(), recovered: true });
    const rule: A.ShieldRule = this.has(n, "Kw_deny")
      ? { kind: "deny", when: es[0] ?? err(), fallback: es[1] ?? err(), span }
      : { kind: "clamp", min: es[0] ?? err(), max: es[1] ?? err(), span };
    return { kind: "ShieldDecl", output: this.ident(this.tok(n, "Name")), rule, span, ...this.rec(n) };
  }

  private testDecl(n: CstNode): A.TestDecl {
    const steps: A.TestStep[] = [];
    for (const item of [...this.subs(n, "testStep"), ...this.subs(n, "junkStatement")].sort(byOffset)) {
      if (item.name === "junkStatement") {
        this.junkStatement(item, "testStep");
        continue;
      }
      const s = this.testStep(item);
      if (s) steps.push(s);
    }
    return { kind: "TestDecl", name: this.stringLit(this.tok(n, "StringLit")), steps, span: this.nodeSpan(n), ...this.rec(n) };
  }

  private testStep(n: CstNode): A.TestStep | undefined {
    const span = this.nodeSpan(n);
    if (this.has(n, "Kw_given")) {
      return { kind: "given", target: this.has(n, "Kw_state") ? "state" : "obs", fields: this.fieldInits(this.sub(n, "fieldInitBlock")), span };
    }
    if (this.has(n, "Kw_raise")) return { kind: "raise", event: this.ident(this.tok(n, "Ident")), span };
    if (this.has(n, "Kw_inject")) {
      return {
        kind: "inject",
        planner: this.ident(this.tok(n, "Ident", 0)),
        messageKind: this.ident(this.tok(n, "Ident", 1)),
        fields: this.fieldInits(this.sub(n, "fieldInitBlock")),
        span,
      };
    }
    if (this.has(n, "Kw_run")) {
      const num = this.tok(n, "NumberLit");
      if (num !== undefined) return { kind: "run", ticks: this.intLit(num).value, span };
      const time = this.tok(n, "TimeLit") ?? this.tok(n, "BadUnitLit");
      return { kind: "run", time: this.timeLit(time), span };
    }
    if (this.has(n, "Kw_expect")) return { kind: "expect", expr: this.exprOf(n), span };
    return undefined;
  }

  private fieldInits(n: CstNode | undefined): A.FieldInit[] {
    if (n === undefined) return [];
    return this.subs(n, "fieldInit").map((f) => ({
      kind: "FieldInit" as const,
      name: this.ident(this.tok(f, "Name")),
      value: this.exprOf(f),
      span: this.nodeSpan(f),
      ...this.rec(f),
    }));
  }

  // ------------------------------------------------------------ tree nodes

  private nodeList(n: CstNode, context: ListContext): { nodes: A.TreeNode[]; junk: number } {
    const nodes: A.TreeNode[] = [];
    let junk = 0;
    const items = [...this.subs(n, "node"), ...this.subs(n, "junkStatement")];
    if (junk === 0 && items.length > 1) items.sort(byOffset);
    for (const item of items) {
      if (item.name === "node") nodes.push(this.node(item));
      else {
        junk++;
        const r = this.junkStatement(item, context);
        if (r) nodes.push(r);
      }
    }
    return { nodes, junk };
  }

  private block(n: CstNode): { children: A.TreeNode[]; openBrace: Span } {
    const open = this.tok(n, "LBrace");
    const openBrace = open ? this.tokSpan(open) : this.missingSpan();
    const list = this.sub(n, "nodeList");
    return { children: list ? this.nodeList(list, "node").nodes : [], openBrace };
  }

  private nodeOf(n: CstNode): A.TreeNode {
    const c = this.sub(n, "node");
    return c ? this.node(c) : this.missingNode();
  }

  node(n: CstNode): A.TreeNode {
    const key = Object.keys(n.children)[0];
    const c = key === undefined ? undefined : this.sub(n, key);
    if (c === undefined) return this.missingNode();
    const span = this.nodeSpan(c);
    const r = this.rec(c);
    switch (c.name) {
      case "sequenceNode":
      case "raceNode": {
        const blockNode = this.sub(c, "block");
        const label = this.tok(c, "StringLit");
        const b = blockNode ? this.block(blockNode) : { children: [], openBrace: this.missingSpan() };
        const reactive = this.has(c, "Kw_reactive");
        const composite: A.CompositeKind =
          c.name === "raceNode" ? "race" : this.has(c, "Kw_selector") ? (reactive ? "reactive_selector" : "selector") : reactive ? "reactive_sequence" : "sequence";
        return { kind: "Composite", composite, ...(label ? { label: this.stringLit(label) } : {}), children: b.children, openBrace: b.openBrace, span, ...r };
      }
      case "parallelNode": {
        let success: A.IntLit | undefined;
        let failure: A.IntLit | undefined;
        for (const a of this.subs(c, "parallelArg")) {
          const v = this.intLit(this.tok(a, "NumberLit"));
          if (this.has(a, "Kw_success")) success = v;
          else failure = v;
        }
        const blockNode = this.sub(c, "block");
        const label = this.tok(c, "StringLit");
        const b = blockNode ? this.block(blockNode) : { children: [], openBrace: this.missingSpan() };
        return {
          kind: "Parallel",
          ...(success ? { success } : {}),
          ...(failure ? { failure } : {}),
          ...(label ? { label: this.stringLit(label) } : {}),
          children: b.children,
          openBrace: b.openBrace,
          span,
          ...r,
        };
      }
      case "decoratorNode":
        return this.decoratorNode(c);
      case "checkNode":
        return { kind: "Check", condition: this.exprOf(c), span, ...r };
      case "doNode":
        return { kind: "Do", action: this.ident(this.tok(c, "Ident")), args: this.args(this.sub(c, "args")), span, ...r };
      case "callNode":
        return { kind: "Call", tree: this.ident(this.tok(c, "Ident")), args: this.args(this.sub(c, "args")), span, ...r };
      case "setNode":
        return { kind: "Set", target: this.lvalue(this.sub(c, "lvalue")), value: this.exprOf(c), span, ...r };
      case "emitNode":
        return { kind: "Emit", messageKind: this.ident(this.tok(c, "Ident")), fields: this.fieldInits(this.sub(c, "fieldInitBlock")), span, ...r };
      case "waitNode":
        return { kind: "Wait", duration: this.duration(this.sub(c, "duration")), span, ...r };
      case "statusNode": {
        const status = this.has(c, "Kw_succeed") ? "success" : this.has(c, "Kw_fail") ? "failure" : "running";
        return { kind: "ConstStatus", status, span, ...r };
      }
      case "inferNode":
        return this.inferNode(c);
      default:
        return this.missingNode();
    }
  }

  private decoratorNode(n: CstNode): A.DecoratorNode {
    const span = this.nodeSpan(n);
    const r = this.rec(n);
    const child = this.nodeOf(n);
    const simple: [string, A.DecoratorKind][] = [
      ["Kw_invert", "invert"],
      ["Kw_once", "once"],
      ["Kw_force_success", "force_success"],
      ["Kw_force_failure", "force_failure"],
    ];
    for (const [key, decorator] of simple) if (this.has(n, key)) return { kind: "Decorator", decorator, child, span, ...r };
    if (this.has(n, "Kw_repeat") || this.has(n, "Kw_retry")) {
      return { kind: "Decorator", decorator: this.has(n, "Kw_repeat") ? "repeat" : "retry", count: this.intLit(this.tok(n, "NumberLit")), child, span, ...r };
    }
    if (this.has(n, "Kw_guard")) {
      return { kind: "Decorator", decorator: this.has(n, "Kw_until") ? "guard_until" : "guard_while", condition: this.exprOf(n), child, span, ...r };
    }
    const decorator: A.DecoratorKind = this.has(n, "Kw_timeout") ? "timeout" : this.has(n, "Kw_cooldown") ? "cooldown" : "delay";
    return { kind: "Decorator", decorator, duration: this.duration(this.sub(n, "duration")), child, span, ...r };
  }

  private inferNode(n: CstNode): A.InferNode {
    const items: A.InferItem[] = [];
    for (const item of [...this.subs(n, "inferItem"), ...this.subs(n, "junkStatement")].sort(byOffset)) {
      if (item.name === "junkStatement") {
        this.junkStatement(item, "inferItem");
        continue;
      }
      const span = this.nodeSpan(item);
      if (this.has(item, "Kw_feed")) items.push({ kind: "feed", input: this.ident(this.tok(item, "Name")), value: this.exprOf(item), span });
      else if (this.has(item, "Kw_write")) items.push({ kind: "write", target: this.lvalue(this.sub(item, "lvalue")), value: this.exprOf(item), span });
      else if (this.has(item, "Kw_chunk")) items.push({ kind: "chunk", steps: this.intLit(this.tok(item, "NumberLit")), span });
      else if (this.has(item, "Kw_refine")) {
        items.push({
          kind: "refine",
          times: this.intLit(this.tok(item, "NumberLit")),
          from: this.ident(this.tok(item, "Ident", 0)),
          to: this.ident(this.tok(item, "Ident", 1)),
          span,
        });
      } else if (this.has(item, "Kw_async")) {
        const d = this.sub(item, "duration");
        items.push({ kind: "async", ...(d ? { timeout: this.duration(d) } : {}), span });
      }
    }
    return { kind: "Infer", model: this.ident(this.tok(n, "Ident")), items, span: this.nodeSpan(n), ...this.rec(n) };
  }

  private args(n: CstNode | undefined): A.Arg[] {
    if (n === undefined) return [];
    return this.subs(n, "arg").map((a) => {
      const name = this.tok(a, "Ident");
      return { kind: "Arg" as const, ...(name ? { name: this.ident(name) } : {}), value: this.exprOf(a), span: this.nodeSpan(a), ...this.rec(a) };
    });
  }

  private lvalue(n: CstNode | undefined): A.LValue {
    if (n === undefined) return { kind: "LValue", root: "state", path: [], span: this.missingSpan(), recovered: true };
    const root = this.has(n, "Kw_out") ? "out" : "state";
    const path = this.subs(n, "pathSegment").map((s) => this.pathSegment(s));
    return { kind: "LValue", root, path, span: this.nodeSpan(n), ...this.rec(n) };
  }

  private pathSegment(n: CstNode): A.Ident | A.Expr {
    if (this.has(n, "Dot")) return this.ident(this.tok(n, "Name"));
    return this.exprOf(n);
  }

  // ------------------------------------------------------------ literals with units

  private duration(n: CstNode | undefined): A.TimeLit {
    const t = n ? firstToken(n) : undefined;
    if (t !== undefined && t.tokenType === T.NumberLit) {
      const span = this.tokSpan(t);
      this.report(C.missingTimeUnit, span, { number: t.image }, {
        fix: { file: this.file, span, replacement: `${t.image}ms`, description: `write \`${t.image}ms\`` },
      });
      return { kind: "TimeLit", ms: Number(t.image), text: t.image, span, recovered: true };
    }
    return this.timeLit(t);
  }

  private timeLit(t: IToken | undefined): A.TimeLit {
    if (t === undefined) return { kind: "TimeLit", ms: 0, text: "", span: this.missingSpan(), recovered: true };
    const span = this.tokSpan(t);
    if (t.tokenType !== T.TimeLit) return { kind: "TimeLit", ms: 0, text: t.image, span, recovered: true }; // bad unit: lexer reported it
    const ms = t.image.endsWith("ms") ? Number(t.image.slice(0, -2)) : Number(t.image.slice(0, -1)) * 1000;
    return { kind: "TimeLit", ms, text: t.image, span };
  }

  private rate(n: CstNode | undefined): A.RateLit {
    const t = n ? firstToken(n) : undefined;
    if (t === undefined) return { kind: "RateLit", hz: 0, text: "", span: this.missingSpan(), recovered: true };
    const span = this.tokSpan(t);
    if (t.tokenType === T.NumberLit) {
      this.report(C.missingRateUnit, span, { number: t.image }, {
        fix: { file: this.file, span, replacement: `${t.image}hz`, description: `write \`${t.image}hz\`` },
      });
      return { kind: "RateLit", hz: Number(t.image), text: t.image, span, recovered: true };
    }
    if (t.tokenType !== T.RateLit) return { kind: "RateLit", hz: 0, text: t.image, span, recovered: true };
    return { kind: "RateLit", hz: Number(t.image.slice(0, -2)), text: t.image, span };
  }

  // ------------------------------------------------------------ expressions

  /** The (first) `expr` child of `n`, or an ErrorExpr when recovery dropped it. */
  private exprOf(n: CstNode, i = 0): A.Expr {
    const e = this.sub(n, "expr", i);
    return e ? this.expr(e) : { kind: "ErrorExpr", span: this.missingSpan(), recovered: true };
  }

  expr(n: CstNode): A.Expr {
    if (this.has(n, "Kw_if")) {
      return {
        kind: "IfExpr",
        condition: this.exprOf(n, 0),
        then: this.exprOf(n, 1),
        else: this.exprOf(n, 2),
        span: this.nodeSpan(n),
        ...this.rec(n),
      };
    }
    const bin = this.sub(n, "binaryExpr");
    return bin ? this.binaryExpr(bin) : this.errorExpr(n);
  }

  private errorExpr(n: CstNode): A.ErrorExpr {
    return { kind: "ErrorExpr", span: this.nodeSpan(n), recovered: true };
  }

  /**
   * Precedence climbing over the flat `operand (op operand)*` list, with the levels of docs/grammar.ebnf:
   * or < and < not (prefix) < comparison (non-associative) < + - < * / % < unary minus < postfix.
   */
  private binaryExpr(n: CstNode): A.Expr {
    const operands = this.subs(n, "operand");
    if (operands.length === 0) return this.errorExpr(n);
    // the common case, a lone operand without prefixes, needs no precedence machinery
    if (operands.length === 1 && !this.has(operands[0], "Kw_not") && !this.has(operands[0], "Minus")) return this.operandCore(operands[0]);
    const ops: IToken[] = [];
    for (const key of ["Kw_or", "Kw_and", "CmpOp", "Eq", "AddOp", "MulOp"]) ops.push(...this.toks(n, key));
    if (ops.length > 1) ops.sort((a, b) => a.startOffset - b.startOffset);
    const items = operands.map((o) => ({ node: o, prefixes: [...this.toks(o, "Kw_not"), ...this.toks(o, "Minus")].sort((a, b) => a.startOffset - b.startOffset) }));
    let k = 0; // operands consumed
    let p = 0; // prefixes of operand k consumed
    const nextOp = (): IToken | undefined => (k >= 1 && k - 1 < ops.length && k < items.length ? ops[k - 1] : undefined);
    const level = (t: IToken): number => {
      const type = t.tokenType;
      if (type === T.Or || type === T.PipePipe) return 1;
      if (type === T.And || type === T.AmpAmp) return 2;
      if (type === T.Eq || isCmp(type)) return 4;
      if (type === T.Plus || type === T.Minus) return 5;
      return 6;
    };
    const parseLevel = (l: number): A.Expr => {
      if (l === 3) {
        const pre = items[k]?.prefixes[p];
        if (pre !== undefined && pre.tokenType !== T.Minus) {
          p++;
          this.checkSpelling(pre, this.tokSpan(pre));
          const operand = parseLevel(3);
          return { kind: "UnaryExpr", op: "not", operand, span: { start: pre.startOffset, end: operand.span.end } };
        }
        return parseLevel(4);
      }
      if (l === 7) {
        const item = items[k];
        if (item === undefined) return { kind: "ErrorExpr", span: this.missingSpan(), recovered: true };
        const pre = item.prefixes[p];
        if (pre !== undefined) {
          p++;
          const isNot = pre.tokenType !== T.Minus;
          const preSpan = this.tokSpan(pre);
          if (isNot) this.report(C.unexpectedToken, preSpan, { expected: "an operand (put `not …` in parentheses here)", found: `\`${pre.image}\`` });
          const operand = parseLevel(7);
          return { kind: "UnaryExpr", op: isNot ? "not" : "-", operand, span: { start: preSpan.start, end: operand.span.end }, ...(isNot ? { recovered: true } : {}) };
        }
        k++;
        p = 0;
        return this.operandCore(item.node);
      }
      let left = parseLevel(l === 2 ? 3 : l + 1);
      let count = 0;
      for (let op = nextOp(); op !== undefined && level(op) === l; op = nextOp()) {
        const right = parseLevel(l === 2 ? 3 : l + 1);
        // comparisons are non-associative: the second one in a row is the mistake
        if (l === 4 && ++count === 2) {
          this.report(C.chainedComparison, this.tokSpan(op), {}, { help: "compare each pair and combine them with `and`, e.g. `a < b and b < c`" });
        }
        left = this.binary(op, left, right);
        if (l === 4 && count >= 2) left = { ...left, recovered: true };
      }
      return left;
    };
    return parseLevel(1);
  }

  private binary(opTok: IToken | undefined, left: A.Expr, right: A.Expr): A.Expr {
    const opSpan = opTok ? this.tokSpan(opTok) : this.missingSpan();
    const op = opTok ? binaryOp(opTok) : "+";
    if (opTok !== undefined) this.checkSpelling(opTok, opSpan);
    return {
      kind: "BinaryExpr",
      op,
      opSpan,
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
      ...(opTok === undefined ? { recovered: true } : {}),
    };
  }

  /** `&&`, `||`, `!` and `=` are parsed as `and`, `or`, `not` and `==` and reported with a fix. */
  private checkSpelling(t: IToken, span: Span): void {
    const replacement = t.tokenType === T.AmpAmp ? "and" : t.tokenType === T.PipePipe ? "or" : t.tokenType === T.Bang ? "not" : undefined;
    if (replacement !== undefined) {
      const fixText = t.tokenType === T.Bang ? "not " : replacement;
      this.report(C.cStyleOperator, span, { op: t.image, replacement }, {
        fix: { file: this.file, span, replacement: fixText, description: `replace \`${t.image}\` with \`${replacement}\`` },
      });
    } else if (t.tokenType === T.Eq) {
      this.report(C.assignInExpression, span, {}, {
        fix: { file: this.file, span, replacement: "==", description: "replace `=` with `==`" },
      });
    }
  }

  /** A primary with its postfix path. */
  private operandCore(n: CstNode): A.Expr {
    const prim = this.sub(n, "primary");
    let e = prim ? this.primary(prim) : this.errorExpr(n);
    for (const seg of this.subs(n, "pathSegment")) {
      const end = this.nodeSpan(seg).end;
      if (this.has(seg, "Dot")) e = { kind: "FieldAccess", object: e, field: this.ident(this.tok(seg, "Name")), span: { start: e.span.start, end }, ...this.rec(seg) };
      else e = { kind: "IndexExpr", object: e, index: this.exprOf(seg), span: { start: e.span.start, end }, ...this.rec(seg) };
    }
    return e;
  }

  private primary(n: CstNode): A.Expr {
    const span = this.nodeSpan(n);
    const r = this.rec(n);
    const first = n.children ? firstElementKey(n) : undefined;
    switch (first) {
      case "NumberLit":
        return this.numberLit(this.tok(n, "NumberLit"));
      case "TimeLit":
      case "BadUnitLit":
        return this.timeLit(this.tok(n, first));
      case "Kw_true":
        return { kind: "BoolLit", value: true, span, ...r };
      case "Kw_false":
        return { kind: "BoolLit", value: false, span, ...r };
      case "StringLit":
        return this.stringLit(this.tok(n, "StringLit"));
      case "aggregate": {
        const a = this.sub(n, "aggregate")!;
        return {
          kind: "AggregateExpr",
          aggregate: (this.tok(a, "Ident", 0)?.image ?? "any") as A.AggregateKind,
          variable: this.ident(this.tok(a, "Ident", 1)),
          list: this.exprOf(a, 0),
          body: this.exprOf(a, 1),
          span,
          ...r,
        };
      }
      case "Ident": {
        const t = this.tok(n, "Ident");
        const argsNode = this.sub(n, "args");
        if (t === undefined) return this.errorExpr(n);
        if (argsNode !== undefined) return { kind: "CallExpr", callee: this.ident(t), args: this.args(argsNode), span, ...r };
        if (t.tokenType === T.Value) return { kind: "RootRef", root: "value", span: this.tokSpan(t) };
        return { kind: "NameRef", name: t.image, span: this.tokSpan(t) };
      }
      case "Kw_obs":
        return { kind: "RootRef", root: "obs", span, ...r };
      case "Kw_state":
        return { kind: "RootRef", root: "state", span, ...r };
      case "Kw_out":
        return { kind: "RootRef", root: "out", span, ...r };
      case "Kw_msg":
        return { kind: "RootRef", root: "msg", span, ...r };
      case "listLit": {
        const l = this.sub(n, "listLit")!;
        return { kind: "ListLit", elements: this.subs(l, "expr").map((e) => this.expr(e)), span, ...this.rec(l) };
      }
      case "LParen": {
        const inner = this.exprOf(n);
        // parentheses only group: the inner node keeps its own span
        return inner;
      }
      case "matchExpr": {
        const m = this.sub(n, "matchExpr")!;
        return {
          kind: "MatchExpr",
          scrutinee: this.exprOf(m),
          arms: this.subs(m, "matchArm").map((arm) => ({
            kind: "MatchArm" as const,
            member: this.ident(this.tok(arm, "Ident")),
            value: this.exprOf(arm),
            span: this.nodeSpan(arm),
            ...this.rec(arm),
          })),
          span,
          ...r,
        };
      }
      default:
        return this.errorExpr(n);
    }
  }
}

function isCmp(t: TokenType): boolean {
  return t === T.EqEq || t === T.NotEq || t === T.Lt || t === T.LtEq || t === T.Gt || t === T.GtEq;
}

function binaryOp(t: IToken): A.BinaryOp {
  switch (t.tokenType) {
    case T.AmpAmp:
      return "and";
    case T.PipePipe:
      return "or";
    case T.Eq:
      return "==";
    default:
      return t.image as A.BinaryOp;
  }
}

/** The key of the child that comes first in the source (primary has exactly one alternative's children). */
function firstElementKey(n: CstNode): string | undefined {
  let best: string | undefined;
  let bestOffset = Infinity;
  for (const key of Object.keys(n.children)) {
    const e = n.children[key][0];
    const off = isToken(e) ? e.startOffset : (e.location?.startOffset ?? NaN);
    if (best === undefined || off < bestOffset) {
      best = key;
      if (!Number.isNaN(off)) bestOffset = off;
    }
  }
  return best;
}

function firstToken(n: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const key of Object.keys(n.children)) {
    for (const e of n.children[key]) {
      const t = isToken(e) ? e : firstToken(e);
      if (t !== undefined && !t.isInsertedInRecovery && (best === undefined || t.startOffset < best.startOffset)) best = t;
    }
  }
  return best;
}

function byOffset(a: CstNode, b: CstNode): number {
  return (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0);
}

function unescape(image: string): string {
  // Closed when the final quote is not itself escaped: an even number of backslashes precedes it (`"\\"`).
  const closed = image.length >= 2 && image.endsWith('"') && (/\\*"$/.exec(image.slice(1))?.[0].length ?? 1) % 2 === 1;
  const body = image.slice(1, closed ? -1 : undefined);
  if (!body.includes("\\")) return body;
  return body.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

export { compositeWords };
