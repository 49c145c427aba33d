// Compact s-expression rendering of IR trees and expressions, for tests and debugging:
//   (sel (seq (check (< obs.health 30)) (do flee)) (wait 500))
// Tests assert on this text rather than on JSON blobs.
import type { IRExpr, IRNode, IRType, PolicyIR } from "./ir.ts";
import { fieldOffset } from "./ir.ts";

const NODE_HEAD: Record<IRNode["k"], string> = {
  sequence: "seq",
  reactive_sequence: "rseq",
  selector: "sel",
  reactive_selector: "rsel",
  parallel: "par",
  race: "race",
  invert: "invert",
  force_success: "force_success",
  force_failure: "force_failure",
  once: "once",
  repeat: "repeat",
  retry: "retry",
  timeout: "timeout",
  cooldown: "cooldown",
  delay: "delay",
  guard_while: "guard_while",
  guard_until: "guard_until",
  check: "check",
  do: "do",
  set: "set",
  emit: "emit",
  wait: "wait",
  const: "const",
  infer: "infer",
};

export function printNode(ir: PolicyIR, id: number): string {
  const n = ir.nodes[id]!;
  const head = NODE_HEAD[n.k];
  const e = (x: number): string => printExpr(ir, x);
  const kids = (ids: readonly number[]): string => ids.map((c) => " " + printNode(ir, c)).join("");
  switch (n.k) {
    case "sequence":
    case "reactive_sequence":
    case "selector":
    case "reactive_selector":
    case "race":
      return `(${head}${kids(n.children)})`;
    case "parallel":
      return `(par ${n.success} ${n.failure}${kids(n.children)})`;
    case "invert":
    case "force_success":
    case "force_failure":
    case "once":
      return `(${head} ${printNode(ir, n.child)})`;
    case "repeat":
    case "retry":
      return `(${head} ${n.count} ${printNode(ir, n.child)})`;
    case "timeout":
    case "cooldown":
    case "delay":
      return `(${head} ${n.ms} ${printNode(ir, n.child)})`;
    case "guard_while":
    case "guard_until":
      return `(${head} ${e(n.cond)} ${printNode(ir, n.child)})`;
    case "check":
      return `(check ${e(n.cond)})`;
    case "do":
      return `(do ${ir.externs[n.extern]!.name}${n.args.map((a) => " " + e(a)).join("")})`;
    case "set":
      return `(set ${e(n.target)} ${e(n.value)})`;
    case "emit": {
      const p = ir.planners[n.planner]!;
      const kind = ir.messages[p.message]!.kinds[n.kind]!;
      return `(emit ${kind.name}${n.values.map((v, i) => ` ${kind.fields[i]!.name}=${e(v)}`).join("")})`;
    }
    case "wait":
      return `(wait ${n.ms})`;
    case "const":
      return `(${n.status})`;
    case "infer": {
      const m = ir.models[n.model]!;
      const parts = [`infer ${m.name}`];
      for (const f of n.feeds) parts.push(`(feed ${m.inputs[f.input]!.name} ${e(f.value)})`);
      for (const w of n.writes) parts.push(`(write ${e(w.target)} ${e(w.value)})`);
      if (n.chunk !== 1) parts.push(`(chunk ${n.chunk})`);
      if (n.refine) parts.push(`(refine ${n.refine.times} ${m.inputs[n.refine.from]!.name} ${m.outputs[n.refine.to]!.name})`);
      if (n.async) parts.push(n.async.timeoutMs === null ? "async" : `(async ${n.async.timeoutMs})`);
      return `(${parts.join(" ")})`;
    }
  }
}

export function printExpr(ir: PolicyIR, id: number): string {
  const x = ir.exprs[id]!;
  const e = (y: number): string => printExpr(ir, y);
  switch (x.k) {
    case "const":
      return printConst(x.type, x.value);
    case "read":
      return ir.layout.vars[x.var]!.name;
    case "field":
      return `${e(x.object)}.${fieldName(ir.exprs[x.object]!.type, x.offset)}`;
    case "index":
      return `${e(x.object)}[${e(x.index)}]`;
    case "construct":
      return `[${x.elements.map(e).join(" ")}]`;
    case "unary":
      return `(${x.op === "neg" ? "-" : "not"} ${e(x.operand)})`;
    case "binary":
      return `(${x.op} ${e(x.left)} ${e(x.right)})`;
    case "if":
      return `(if ${e(x.cond)} ${e(x.then)} ${e(x.else)})`;
    case "match":
      return `(match ${e(x.scrutinee)}${x.arms.map((a) => " " + e(a)).join("")})`;
    case "builtin":
      return `(${x.fn}${x.args.map((a) => " " + e(a)).join("")})`;
    case "extern":
      return `(${ir.externs[x.extern]!.name}${x.args.map((a) => " " + e(a)).join("")})`;
    case "aggregate":
      return `(${x.agg} $${x.local} ${e(x.list)} ${e(x.body)})`;
    case "local":
      return `$${x.local}`;
    case "value":
      return "value";
    case "port": {
      const n = ir.nodes[x.node]!;
      const model = n.k === "infer" ? ir.models[n.model] : undefined;
      return `port.${model?.outputs[x.output]?.name ?? x.output}`;
    }
  }
}

function fieldName(t: IRType, offset: number): string {
  if (t.k === "vec" && offset < 4) return "xyzw"[offset]!;
  if (t.k !== "record") return `@${offset}`;
  for (let i = 0; i < t.fields.length; i++) if (fieldOffset(t, i) === offset) return t.fields[i]!.name;
  return `@${offset}`;
}

function printConst(t: IRType, value: readonly number[]): string {
  switch (t.k) {
    case "bool":
      return value[0] ? "true" : "false";
    case "enum":
      return `${t.name}.${t.members[value[0]!] ?? value[0]}`;
    case "int":
    case "float":
      return String(value[0]);
    default:
      return `[${value.join(" ")}]`;
  }
}

/** Every layer of the policy, one per line: `planner Boss: (sel ...)`. */
export function printPolicy(ir: PolicyIR): string {
  const lines: string[] = [];
  for (const p of ir.planners) lines.push(`planner ${p.name}: ${printNode(ir, p.root)}`);
  for (const x of ir.executors) {
    const follows = x.follows === null ? undefined : ir.planners[x.follows];
    const kinds = follows ? ir.messages[follows.message]!.kinds : [];
    for (const h of x.handlers) lines.push(`executor ${x.name} on ${kinds[h.kind]?.name ?? h.kind}: ${printNode(ir, h.root)}`);
    if (x.default !== null) lines.push(`executor ${x.name}${x.handlers.length ? " default" : ""}: ${printNode(ir, x.default)}`);
  }
  return lines.join("\n");
}
