// The IR tables under construction. Ids are dense because every table only grows by `push`; tree nodes get
// their id before their children (reserveNode, then setNode) and expressions after their operands, which is
// exactly the ordering loadIR checks.
//
// Expression lowering returns a `Lowered`: either the id of an emitted expression or a compile-time value not
// emitted yet. A folded value is emitted (as a `const` expression) only when a non-foldable parent needs an
// operand id, so folding never leaves dead constants behind in the table.
import type { Span } from "../../grammar/ast.ts";
import type { IRExpr, IRNode, IRSpan, IRType, IRVar } from "../../runtime/ir.ts";
import { typeSize } from "../../runtime/ir.ts";
import type { SpanMapper } from "./spans.ts";

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ExprShape = Without<IRExpr, "id">;
export type NodeShape = Without<IRNode, "id">;

export interface Folded {
  readonly type: IRType;
  readonly value: readonly number[];
  readonly file: string;
  readonly span: Span | null;
}
export type Lowered = number | Folded;

export function isFolded(l: Lowered): l is Folded {
  return typeof l !== "number";
}

export class IRBuilder {
  readonly nodes: IRNode[] = [];
  readonly exprs: IRExpr[] = [];
  readonly nodeSpans: (IRSpan | null)[] = [];
  readonly exprSpans: (IRSpan | null)[] = [];
  readonly vars: IRVar[] = [];
  private frameSize = 0;
  private localCount = 0;

  constructor(readonly spans: SpanMapper) {}

  get frame(): number {
    return this.frameSize;
  }
  get locals(): number {
    return this.localCount;
  }

  span(file: string, span: Span | null): IRSpan | null {
    return span === null ? null : this.spans.map(file, span);
  }

  expr(shape: ExprShape, file: string, span: Span | null): number {
    const id = this.exprs.length;
    this.exprs.push({ id, ...shape } as IRExpr);
    this.exprSpans.push(this.span(file, span));
    return id;
  }

  /** Allocates a node id before its children are lowered; fill it with setNode. */
  reserveNode(file: string, span: Span | null): number {
    const id = this.nodes.length;
    this.nodes.push(undefined as unknown as IRNode);
    this.nodeSpans.push(this.span(file, span));
    return id;
  }

  setNode(id: number, shape: NodeShape, label?: string): void {
    this.nodes[id] = (label === undefined ? { id, ...shape } : { id, label, ...shape }) as IRNode;
  }

  /** Appends a var at the end of the frame. */
  addVar(v: Omit<IRVar, "id" | "offset" | "size">): number {
    const id = this.vars.length;
    const size = typeSize(v.type);
    this.vars.push({ id, name: v.name, region: v.region, field: v.field, type: v.type, offset: this.frameSize, size, ...(v.init ? { init: v.init } : {}), ...(v.span !== undefined ? { span: v.span } : {}) });
    this.frameSize += size;
    return id;
  }

  newLocal(): number {
    return this.localCount++;
  }

  /** The id of a lowered expression, emitting a folded value as a `const` expression. */
  materialize(l: Lowered): number {
    if (typeof l === "number") return l;
    return this.expr({ k: "const", type: l.type, value: l.value }, l.file, l.span);
  }

  typeOf(l: Lowered): IRType {
    return typeof l === "number" ? this.exprs[l]!.type : l.type;
  }
}
