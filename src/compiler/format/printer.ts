// AST → canonical hpol text. Layout rules: two-space indentation; one declaration, field, tree node, handler,
// model port, infer item or test step per line; a decorator shares the line of the node it decorates; blocks
// open on the line of their header. Expressions print on one line (./expr.ts). Short value lists (enum
// members, message payloads, test givens) print inline, and one per line with a trailing comma when they hold
// a comment or would pass MAX_WIDTH. Declaration blocks (records, state, observation, output) use no commas.
import type {
  Decl,
  ExecutorDecl,
  Field,
  Module,
  Param,
  PlannerDecl,
  Span,
  Strategy,
  TestStep,
  TreeNode,
  Trigger,
  Weighted,
  StateDecl,
  Ident,
  TypeExpr,
  Expr,
} from "../../grammar/ast.ts";
import { Layout } from "./layout.ts";
import { printArgs, printExpr, printFieldInit, printLValue, printString, printType, splitBinary } from "./expr.ts";

const MAX_WIDTH = 100;

/** Declarations that always print on one line. */
const ONE_LINE_DECLS: ReadonlySet<Decl["kind"]> = new Set(["TypeAliasDecl", "ConstDecl", "ExternDecl", "EventDecl", "ShieldDecl"]);

export function printModule(module: Module, source: string): string {
  return new ModulePrinter(source, module).print(module);
}

/** Offset of a block's closing brace: every braced construct's span ends just after its `}`. */
function closeOf(span: Span): number {
  return span.end - 1;
}

class ModulePrinter {
  private readonly out: Layout;

  constructor(
    private readonly source: string,
    module: Module,
  ) {
    this.out = new Layout(source, module.comments);
  }

  print(module: Module): string {
    if (module.name) {
      // The header's comments come before the `module` keyword, which directly precedes the name.
      this.out.item(module.name.span.start, `module ${module.name.name}`);
      if (module.imports.length > 0) this.out.requireBlankLine();
    }
    for (const imp of module.imports) {
      this.out.item(imp.span.start, `import { ${imp.names.map((n) => n.name).join(", ")} } from ${printString(imp.from)}`);
    }
    if (module.imports.length > 0 || module.name) this.out.requireBlankLine();
    let previous: Decl | undefined;
    for (const decl of module.decls) {
      // Runs of one-line declarations of one kind (constants, events, externs, …) stay together unless the
      // source separates them; every other pair of declarations gets one blank line.
      if (previous && !(previous.kind === decl.kind && ONE_LINE_DECLS.has(decl.kind))) this.out.requireBlankLine();
      this.decl(decl);
      previous = decl;
    }
    return this.out.finish();
  }

  private decl(d: Decl): void {
    const at = d.span.start;
    switch (d.kind) {
      case "TypeAliasDecl":
        return this.out.item(at, `type ${d.name.name} = ${this.type(d.type)}`);
      case "EnumDecl":
        this.out.item(at, `enum ${d.name.name}`);
        return this.valueList(d.span, d.members, (m) => m.name);
      case "RecordDecl":
        this.out.item(at, `record ${d.name.name}`);
        return this.fieldBlock(d.span, d.fields);
      case "MessageDecl": {
        this.out.item(at, `message ${d.name.name}`);
        const block = this.out.open();
        for (const k of d.kinds) {
          this.out.item(k.span.start, k.name.name);
          if (k.fields.length > 0) this.valueList(k.span, k.fields, this.field);
        }
        return this.out.close(block, closeOf(d.span));
      }
      case "ConstDecl":
        this.out.item(at, "");
        return this.appendExpr(`const ${d.name.name}${d.type ? `: ${this.type(d.type)}` : ""} = `, d.value);
      case "ObservationDecl":
        this.out.item(at, "observation");
        return this.fieldBlock(d.span, d.fields);
      case "OutputDecl":
        this.out.item(at, "output");
        return this.fieldBlock(d.span, d.fields);
      case "ExternDecl": {
        let text = `extern ${d.externKind} ${d.name.name}${this.params(d.params)}`;
        if (d.returns) text += ` -> ${this.type(d.returns)}`;
        if (d.async) text += " async";
        if (d.writes.length > 0) text += ` writes ${names(d.writes)}`;
        return this.out.item(at, text);
      }
      case "EventDecl":
        return this.out.item(at, `event ${d.name.name}${d.when ? ` when ${printExpr(d.when)}` : ""}`);
      case "StateDecl":
        return this.state(d);
      case "ModelDecl": {
        this.out.item(at, `model ${d.name.name} from ${printString(d.path)} using ${d.backend}`);
        const block = this.out.open();
        for (const p of d.ports) this.out.item(p.span.start, `${p.direction} ${p.name.name}: ${this.type(p.type)}`);
        return this.out.close(block, closeOf(d.span));
      }
      case "TreeDecl":
        this.out.item(at, `tree ${d.name.name}${this.params(d.params)}`);
        return this.layerBody(d.span, d.state, d.body);
      case "PlannerDecl":
        return this.planner(d);
      case "ExecutorDecl":
        return this.executor(d);
      case "ArbiterDecl":
        this.out.item(at, `arbiter ${d.output.name}: `);
        return this.strategy(d.strategy);
      case "ShieldDecl": {
        const r = d.rule;
        const rule =
          r.kind === "clamp"
            ? `clamp(${printExpr(r.min)}, ${printExpr(r.max)})`
            : `deny when ${printExpr(r.when)} fallback ${printExpr(r.fallback)}`;
        return this.out.item(at, `shield ${d.output.name}: ${rule}`);
      }
      case "TestDecl": {
        this.out.item(at, `test ${printString(d.name)}`);
        const block = this.out.open();
        for (const step of d.steps) this.testStep(step);
        return this.out.close(block, closeOf(d.span));
      }
    }
  }

  private planner(d: PlannerDecl): void {
    this.out.item(d.span.start, `planner ${d.name.name} ${d.triggers.map(printTrigger).join(" ")} emits ${d.emits.name}`);
    this.layerBody(d.span, d.state, d.body);
  }

  private executor(d: ExecutorDecl): void {
    let header = `executor ${d.name.name} ${printTrigger(d.rate)}`;
    if (d.follows) header += ` follows ${d.follows.name}`;
    if (d.writes.length > 0) header += ` writes ${names(d.writes)}`;
    this.out.item(d.span.start, header);
    const block = this.out.open();
    if (d.state) this.state(d.state);
    if (d.body) this.node(d.body);
    for (const h of d.handlers) {
      this.out.item(h.span.start, h.messageKind ? `on ${h.messageKind.name} ` : "default ");
      this.nodeInline(h.body);
    }
    this.out.close(block, closeOf(d.span));
  }

  /** `{ state? node }` of trees and planners. */
  private layerBody(span: Span, state: StateDecl | undefined, body: TreeNode): void {
    const block = this.out.open();
    if (state) this.state(state);
    this.node(body);
    this.out.close(block, closeOf(span));
  }

  private state(s: StateDecl): void {
    this.out.item(s.span.start, "state");
    this.fieldBlock(s.span, s.fields);
  }

  private fieldBlock(span: Span, fields: readonly Field[]): void {
    const block = this.out.open();
    for (const f of fields) this.out.item(f.span.start, this.field(f));
    this.out.close(block, closeOf(span));
  }

  /**
   * ` { a, b }` on the current line when it fits and holds no comment; otherwise one element per line, each
   * followed by a comma. `span` is the braced construct, ending at its `}`.
   */
  private valueList<T extends { readonly span: Span }>(span: Span, items: readonly T[], print: (item: T) => string): void {
    const inline = ` { ${items.map(print).join(", ")} }`;
    const first = items[0];
    const commented = first !== undefined && this.out.hasCommentIn(first.span.start, span.end);
    if (!commented && this.out.currentLineLength + inline.length <= MAX_WIDTH) {
      this.out.append(items.length === 0 ? " {}" : inline);
      return;
    }
    const block = this.out.open();
    for (const item of items) this.out.item(item.span.start, `${print(item)},`);
    this.out.close(block, closeOf(span));
  }

  private strategy(s: Strategy): void {
    switch (s.kind) {
      case "priority":
      case "vote":
        return this.out.append(`${s.kind}(${names(s.executors)})`);
      case "utility":
      case "blend": {
        this.out.append(s.kind);
        const block = this.out.open();
        for (const w of s.entries) this.out.item(w.span.start, printWeighted(w));
        return this.out.close(block, closeOf(s.span));
      }
      case "filter":
        this.out.append(`filter(${printExpr(s.predicate)}) then `);
        return this.strategy(s.then);
    }
  }

  private testStep(step: TestStep): void {
    const at = step.span.start;
    switch (step.kind) {
      case "given":
        this.out.item(at, `given ${step.target}`);
        return this.valueList(step.span, step.fields, printFieldInit);
      case "raise":
        return this.out.item(at, `raise ${step.event.name}`);
      case "inject":
        this.out.item(at, `inject ${step.planner.name} ${step.messageKind.name}`);
        if (step.fields.length > 0) this.valueList(step.span, step.fields, printFieldInit);
        return;
      case "run":
        return this.out.item(at, step.time ? `run ${step.time.text}` : `run ${step.ticks} ticks`);
      case "expect":
        this.out.item(at, "");
        return this.appendExpr("expect ", step.expr);
    }
  }

  /** A tree node starting a new line. */
  private node(n: TreeNode): void {
    this.out.item(n.span.start, "");
    this.nodeInline(n);
  }

  /** A tree node continuing the current line (after a decorator or a handler's `on Kind`). */
  private nodeInline(n: TreeNode): void {
    switch (n.kind) {
      case "Composite": {
        const keyword = n.composite.startsWith("reactive_") ? `reactive ${n.composite.slice("reactive_".length)}` : n.composite;
        this.out.append(keyword + (n.label ? ` ${printString(n.label)}` : ""));
        return this.children(n.span, n.children);
      }
      case "Parallel": {
        const args: string[] = [];
        if (n.success) args.push(`success: ${n.success.text}`);
        if (n.failure) args.push(`failure: ${n.failure.text}`);
        this.out.append(`parallel${args.length > 0 ? `(${args.join(", ")})` : ""}${n.label ? ` ${printString(n.label)}` : ""}`);
        return this.children(n.span, n.children);
      }
      case "Decorator": {
        let head: string;
        switch (n.decorator) {
          case "repeat":
          case "retry":
            head = `${n.decorator}(${n.count?.text ?? ""})`;
            break;
          case "timeout":
          case "cooldown":
          case "delay":
            head = `${n.decorator}(${n.duration?.text ?? ""})`;
            break;
          case "guard_while":
          case "guard_until":
            head = `guard ${n.decorator.slice("guard_".length)} ${n.condition ? printExpr(n.condition) : ""}`;
            break;
          default:
            head = n.decorator;
        }
        this.out.append(head + " ");
        return this.nodeInline(n.child);
      }
      case "Check":
        return this.appendExpr("check ", n.condition);
      case "Do":
        return this.out.append(`do ${n.action.name}${printArgs(n.args)}`);
      case "Set":
        return this.appendExpr(`set ${printLValue(n.target)} = `, n.value);
      case "Emit":
        this.out.append(`emit ${n.messageKind.name}`);
        if (n.fields.length > 0) this.valueList(n.span, n.fields, printFieldInit);
        return;
      case "Call":
        return this.out.append(`call ${n.tree.name}${printArgs(n.args)}`);
      case "Wait":
        return this.out.append(`wait ${n.duration.text}`);
      case "ConstStatus":
        return this.out.append(n.status === "success" ? "succeed" : n.status === "failure" ? "fail" : "running");
      case "Infer": {
        this.out.append(`infer ${n.model.name}`);
        const block = this.out.open();
        for (const item of n.items) {
          const at = item.span.start;
          switch (item.kind) {
            case "feed":
              this.out.item(at, `feed ${item.input.name} = ${printExpr(item.value)}`);
              break;
            case "write":
              this.out.item(at, `write ${printLValue(item.target)} = ${printExpr(item.value)}`);
              break;
            case "chunk":
              this.out.item(at, `chunk ${item.steps.text}`);
              break;
            case "refine":
              this.out.item(at, `refine ${item.times.text} from ${item.from.name} to ${item.to.name}`);
              break;
            case "async":
              this.out.item(at, item.timeout ? `async timeout ${item.timeout.text}` : "async");
              break;
          }
        }
        return this.out.close(block, closeOf(n.span));
      }
    }
  }

  /**
   * `prefix` and `e` on the current line, or, when that would pass MAX_WIDTH and `e` is a binary chain, its
   * first operand there and each `op operand` on a continuation line.
   */
  private appendExpr(prefix: string, e: Expr): void {
    const flat = prefix + printExpr(e);
    const parts = this.out.currentLineLength + flat.length > MAX_WIDTH ? splitBinary(e) : undefined;
    if (!parts) return this.out.append(flat);
    this.out.append(prefix + parts.first);
    for (const part of parts.rest) this.out.continuation(part);
  }

  private type(t: TypeExpr): string {
    return printType(t, this.source);
  }

  private field = (f: Field): string => `${f.name.name}: ${this.type(f.type)}${f.init ? ` = ${printExpr(f.init)}` : ""}`;

  private params(params: readonly Param[]): string {
    const param = (p: Param) => `${p.name.name}: ${this.type(p.type)}${p.default ? ` = ${printExpr(p.default)}` : ""}`;
    return `(${params.map(param).join(", ")})`;
  }

  private children(span: Span, children: readonly TreeNode[]): void {
    const block = this.out.open();
    for (const child of children) this.node(child);
    this.out.close(block, closeOf(span));
  }
}

function names(ids: readonly Ident[]): string {
  return ids.map((i) => i.name).join(", ");
}


function printTrigger(t: Trigger): string {
  switch (t.kind) {
    case "every":
      return `every ${t.period.text}`;
    case "rate":
      return `at ${t.rate.text}`;
    case "on":
      return `on ${names(t.events)}`;
  }
}

function printWeighted(w: Weighted): string {
  return `${w.executor.name} => ${printExpr(w.expr)}`;
}
