// loadIR: the runtime's gate for policy IR. It checks the structure, the version, that every table is dense
// (entry i has id i) and that every reference is in range and of the right kind, so the interpreter can index
// without checks. A failure throws HpolRuntimeError with HP8001 (malformed) or HP8002 (version) naming the path.
import { IR_VERSION, typeSize } from "./ir.ts";
import type { IRExpr, IRNode, IRStrategy, IRType, PolicyIR } from "./ir.ts";
import { HpolRuntimeError, runtimeCodes, runtimeError } from "./errors.ts";
import { checkShapes } from "./ir-shapes.ts";
import { withLimits, type LimitName, type Limits } from "./limits.ts";

class Invalid {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {}
}

function fail(path: string, problem: string): never {
  throw new Invalid(path, problem);
}

/** A size the IR asks for that a limit forbids (HP8003); checked before anything of that size is allocated. */
class OverLimit {
  constructor(
    readonly path: string,
    readonly what: string,
    readonly size: number,
    readonly limit: LimitName,
    readonly max: number,
  ) {}
}

function bounded(limits: Limits, name: LimitName, size: number, path: string, what: string): void {
  if (!(size <= limits[name])) throw new OverLimit(path, what, size, name, limits[name]);
}

/** A var's or expression's (already well-formed) type: slots of the whole value and every list capacity in it. */
function typeDepth(t: IRType): number {
  if (t.k === "list") return 1 + typeDepth(t.element);
  if (t.k === "record") return 1 + t.fields.reduce((d, f) => Math.max(d, typeDepth(f.type)), 0);
  return 1;
}

function boundedType(limits: Limits, t: IRType, path: string): void {
  bounded(limits, "typeDepth", typeDepth(t) - 1, path, "type nesting");
  bounded(limits, "valueSlots", typeSize(t), path, "a value");
  const visit = (x: IRType): void => {
    if (x.k === "list") {
      bounded(limits, "listCapacity", x.capacity, path, "a list capacity");
      visit(x.element);
    } else if (x.k === "record") for (const f of x.fields) visit(f.type);
  };
  visit(t);
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object");
  return v as Record<string, unknown>;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, "expected an array");
  for (let i = 0; i < v.length; i++) if (!(i in v)) fail(`${path}[${i}]`, "missing (sparse array)");
  return v;
}
function int(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v)) fail(path, "expected an integer");
  if (v < min || v > max) fail(path, `${v} is out of range [${min}, ${max}]`);
  return v;
}
function num(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(path, "expected a finite number");
  return v;
}
function str(v: unknown, path: string): string {
  if (typeof v !== "string") fail(path, "expected a string");
  return v;
}
function ref(v: unknown, path: string, table: readonly unknown[], what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) fail(path, `expected a ${what} id`);
  if (v < 0 || v >= table.length) fail(path, `${what} id ${v} does not exist (there are ${table.length})`);
  return v;
}
function dense(table: readonly unknown[], path: string): void {
  table.forEach((e, i) => {
    const id = obj(e, `${path}[${i}]`)["id"];
    if (id !== i) fail(`${path}[${i}].id`, `expected id ${i} (tables are dense), found ${JSON.stringify(id)}`);
  });
}
function span(v: unknown, path: string): void {
  if (v === null) return;
  const s = obj(v, path);
  str(s["file"], `${path}.file`);
  int(s["start"], `${path}.start`);
  int(s["end"], `${path}.end`);
  int(s["line"], `${path}.line`, 1);
  int(s["column"], `${path}.column`, 1);
}

/** Bounds checkType's recursion before any limits are known; the typeDepth limit is checked after it. */
const MAX_TYPE_DEPTH = 1024;

function checkType(v: unknown, path: string, depth = 0): void {
  if (depth > MAX_TYPE_DEPTH) fail(path, `types nest more than ${MAX_TYPE_DEPTH} levels deep`);
  const t = obj(v, path);
  switch (t["k"]) {
    case "bool":
      return;
    case "int":
    case "float":
      if (t["min"] !== undefined) num(t["min"], `${path}.min`);
      if (t["max"] !== undefined) num(t["max"], `${path}.max`);
      return;
    case "enum":
      str(t["name"], `${path}.name`);
      arr(t["members"], `${path}.members`).forEach((m, i) => str(m, `${path}.members[${i}]`));
      return;
    case "vec":
      int(t["size"], `${path}.size`, 1);
      return;
    case "record":
      str(t["name"], `${path}.name`);
      arr(t["fields"], `${path}.fields`).forEach((f, i) => {
        const fo = obj(f, `${path}.fields[${i}]`);
        str(fo["name"], `${path}.fields[${i}].name`);
        checkType(fo["type"], `${path}.fields[${i}].type`, depth + 1);
      });
      return;
    case "list":
      checkType(t["element"], `${path}.element`, depth + 1);
      int(t["capacity"], `${path}.capacity`, 0);
      return;
    case "tensor":
      str(t["dtype"], `${path}.dtype`);
      arr(t["shape"], `${path}.shape`);
      return;
    default:
      fail(`${path}.k`, `unknown type kind ${JSON.stringify(t["k"])}`);
  }
}

const NODE_KINDS = new Set<IRNode["k"]>([
  "sequence", "reactive_sequence", "selector", "reactive_selector", "parallel", "race", "invert", "force_success",
  "force_failure", "once", "repeat", "retry", "timeout", "cooldown", "delay", "guard_while", "guard_until", "check",
  "do", "set", "emit", "wait", "const", "infer",
]);
const WITH_CHILDREN = new Set<string>(["sequence", "reactive_sequence", "selector", "reactive_selector", "parallel", "race"]);
const WITH_CHILD = new Set<string>([
  "invert", "force_success", "force_failure", "once", "repeat", "retry", "timeout", "cooldown", "delay", "guard_while", "guard_until",
]);
const EXPR_KINDS = new Set<IRExpr["k"]>([
  "const", "read", "field", "index", "construct", "unary", "binary", "if", "match", "builtin", "extern", "aggregate",
  "local", "value", "port",
]);
/** Assignable: a var, or a field or element of something assignable. */
function assignable(exprs: readonly unknown[], id: number): boolean {
  // Iterative: an untrusted IR may chain field/index expressions arbitrarily deep.
  for (;;) {
    const x = exprs[id] as { k: IRExpr["k"]; object?: number };
    if (x.k === "read") return true;
    if (!((x.k === "field" || x.k === "index") && typeof x.object === "number" && x.object < id)) return false;
    id = x.object;
  }
}

/**
 * Validate untrusted JSON as policy IR. Throws HpolRuntimeError (HP8001/HP8002) on the first problem, and HP8003
 * when it asks for more than `limits` (docs/security.md; defaults from src/runtime/limits.ts) allow.
 */
export function loadIR(json: unknown, limits: Partial<Limits> = {}): PolicyIR {
  if (typeof json === "string") {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw new HpolRuntimeError(runtimeError(runtimeCodes.invalidIR, { path: "$", problem: `not JSON: ${(e as Error).message}` }));
    }
  }
  try {
    const root = obj(json, "$");
    if (root["irVersion"] !== IR_VERSION) {
      throw new HpolRuntimeError(
        runtimeError(runtimeCodes.irVersion, { found: JSON.stringify(root["irVersion"]), expected: IR_VERSION }),
      );
    }
    validate(root, withLimits(limits));
    checkShapes(json as PolicyIR, fail);
    return json as PolicyIR;
  } catch (e) {
    if (e instanceof Invalid) throw new HpolRuntimeError(runtimeError(runtimeCodes.invalidIR, { path: e.path, problem: e.problem }));
    if (e instanceof OverLimit) {
      throw new HpolRuntimeError(runtimeError(runtimeCodes.irLimit, { path: e.path, what: e.what, size: e.size, limit: e.limit, max: e.max }));
    }
    throw e;
  }
}

function validate(root: Record<string, unknown>, limits: Limits): void {
  str(root["name"], "$.name");
  const layout = obj(root["layout"], "$.layout");
  const frameSize = int(layout["frameSize"], "$.layout.frameSize");
  bounded(limits, "frameSlots", frameSize, "$.layout.frameSize", "an agent frame");
  const vars = arr(layout["vars"], "$.layout.vars");
  const tables: Record<string, unknown[]> = {};
  for (const t of ["externs", "events", "models", "messages", "planners", "executors", "arbiters", "shields", "nodes", "exprs", "tests"]) {
    tables[t] = arr(root[t], `$.${t}`);
  }
  const { externs, events, models, messages, planners, executors, arbiters, shields, nodes, exprs, tests } = tables as Record<
    string,
    unknown[]
  >;
  for (const [name, table] of Object.entries(tables)) if (name !== "tests") dense(table, `$.${name}`);
  dense(tests!, "$.tests");
  dense(vars, "$.layout.vars");
  bounded(limits, "nodes", nodes!.length + exprs!.length, "$.nodes", "tree and expression nodes");
  const locals = int(root["locals"], "$.locals");

  // Vars: typed, sized, inside the frame, not overlapping.
  const used = new Uint8Array(frameSize);
  vars.forEach((v, i) => {
    const p = `$.layout.vars[${i}]`;
    const o = obj(v, p);
    str(o["name"], `${p}.name`);
    str(o["field"], `${p}.field`);
    if (!["obs", "out", "state", "msg", "proposal"].includes(o["region"] as string)) fail(`${p}.region`, "unknown region");
    checkType(o["type"], `${p}.type`);
    boundedType(limits, o["type"] as IRType, `${p}.type`);
    const size = int(o["size"], `${p}.size`);
    if (size !== typeSize(o["type"] as IRType)) fail(`${p}.size`, `size ${size} does not match its type (${typeSize(o["type"] as IRType)} slots)`);
    const offset = int(o["offset"], `${p}.offset`, 0, frameSize);
    if (offset + size > frameSize) fail(`${p}`, `slots ${offset}..${offset + size} exceed frameSize ${frameSize}`);
    for (let s = offset; s < offset + size; s++) {
      if (used[s]) fail(p, `slot ${s} overlaps another var`);
      used[s] = 1;
    }
    if (o["init"] !== undefined) {
      const init = arr(o["init"], `${p}.init`);
      if (init.length !== size) fail(`${p}.init`, `expected ${size} values`);
      init.forEach((x, j) => num(x, `${p}.init[${j}]`));
    }
  });
  for (const key of ["observation", "output", "state"] as const) {
    arr(layout[key], `$.layout.${key}`).forEach((id, i) => ref(id, `$.layout.${key}[${i}]`, vars, "var"));
  }

  const spans = obj(root["spans"], "$.spans");
  const nodeSpans = arr(spans["nodes"], "$.spans.nodes");
  const exprSpans = arr(spans["exprs"], "$.spans.exprs");
  if (nodeSpans.length !== nodes!.length) fail("$.spans.nodes", `expected ${nodes!.length} entries (one per node)`);
  if (exprSpans.length !== exprs!.length) fail("$.spans.exprs", `expected ${exprs!.length} entries (one per expression)`);
  nodeSpans.forEach((s, i) => span(s, `$.spans.nodes[${i}]`));
  exprSpans.forEach((s, i) => span(s, `$.spans.exprs[${i}]`));

  const exprRef = (v: unknown, p: string): number => ref(v, p, exprs!, "expression");
  const nodeRef = (v: unknown, p: string): number => ref(v, p, nodes!, "node");
  const location = (v: unknown, p: string): void => {
    const id = exprRef(v, p);
    const k = (exprs![id] as { k: IRExpr["k"] }).k;
    if (!EXPR_KINDS.has(k) || !assignable(exprs!, id)) fail(p, `expression ${id} (${k}) is not an assignable location`);
  };

  externs!.forEach((x, i) => {
    const p = `$.externs[${i}]`;
    const o = obj(x, p);
    str(o["name"], `${p}.name`);
    if (!["condition", "function", "action"].includes(o["kind"] as string)) fail(`${p}.kind`, "unknown extern kind");
    arr(o["params"], `${p}.params`).forEach((q, j) => checkType(obj(q, `${p}.params[${j}]`)["type"], `${p}.params[${j}].type`));
    if (o["returns"] !== undefined) checkType(o["returns"], `${p}.returns`);
    if (o["kind"] === "function" && o["returns"] === undefined) fail(`${p}.returns`, "a function needs a return type");
    arr(o["writes"], `${p}.writes`).forEach((w, j) => ref(w, `${p}.writes[${j}]`, vars, "var"));
    span(o["span"] ?? null, `${p}.span`);
  });
  events!.forEach((x, i) => {
    const o = obj(x, `$.events[${i}]`);
    str(o["name"], `$.events[${i}].name`);
    if (o["when"] !== undefined) exprRef(o["when"], `$.events[${i}].when`);
  });
  models!.forEach((x, i) => {
    const p = `$.models[${i}]`;
    const o = obj(x, p);
    str(o["path"], `${p}.path`);
    if (o["backend"] !== "onnx" && o["backend"] !== "tfjs") fail(`${p}.backend`, "expected onnx or tfjs");
    for (const dir of ["inputs", "outputs"]) {
      arr(o[dir], `${p}.${dir}`).forEach((port, j) => {
        const at = `${p}.${dir}[${j}].size`;
        bounded(limits, "tensorElements", int(obj(port, `${p}.${dir}[${j}]`)["size"], at, 1), at, "a model tensor");
      });
    }
  });
  messages!.forEach((x, i) => {
    const o = obj(x, `$.messages[${i}]`);
    arr(o["kinds"], `$.messages[${i}].kinds`).forEach((k, j) => {
      const ko = obj(k, `$.messages[${i}].kinds[${j}]`);
      str(ko["name"], `$.messages[${i}].kinds[${j}].name`);
      arr(ko["fields"], `$.messages[${i}].kinds[${j}].fields`);
    });
  });
  planners!.forEach((x, i) => {
    const p = `$.planners[${i}]`;
    const o = obj(x, p);
    if (o["periodMs"] !== null) {
      if (num(o["periodMs"], `${p}.periodMs`) <= 0) fail(`${p}.periodMs`, "a period must be positive");
    }
    arr(o["events"], `${p}.events`).forEach((e, j) => ref(e, `${p}.events[${j}]`, events!, "event"));
    const msg = ref(o["message"], `${p}.message`, messages!, "message type");
    nodeRef(o["root"], `${p}.root`);
    ref(o["kindVar"], `${p}.kindVar`, vars, "var");
    const kinds = (messages![msg] as { kinds: unknown[] }).kinds.length;
    const payload = arr(o["payloadVars"], `${p}.payloadVars`);
    if (payload.length !== kinds) fail(`${p}.payloadVars`, `expected one payload var per message kind (${kinds})`);
    payload.forEach((v, j) => ref(v, `${p}.payloadVars[${j}]`, vars, "var"));
  });
  executors!.forEach((x, i) => {
    const p = `$.executors[${i}]`;
    const o = obj(x, p);
    if (num(o["periodMs"], `${p}.periodMs`) <= 0) fail(`${p}.periodMs`, "a period must be positive");
    if (o["follows"] !== null) ref(o["follows"], `${p}.follows`, planners!, "planner");
    arr(o["handlers"], `${p}.handlers`).forEach((h, j) => {
      const ho = obj(h, `${p}.handlers[${j}]`);
      int(ho["kind"], `${p}.handlers[${j}].kind`);
      nodeRef(ho["root"], `${p}.handlers[${j}].root`);
    });
    if (o["default"] !== null) nodeRef(o["default"], `${p}.default`);
    arr(o["writes"], `${p}.writes`).forEach((w, j) => ref(w, `${p}.writes[${j}]`, vars, "var"));
  });
  const strategy = (s: unknown, p: string): void => {
    const o = obj(s, p) as Partial<Record<string, unknown>> & { k?: IRStrategy["k"] };
    switch (o.k) {
      case "priority":
      case "vote":
        arr(o["executors"], `${p}.executors`).forEach((e, j) => ref(e, `${p}.executors[${j}]`, executors!, "executor"));
        return;
      case "utility":
      case "blend":
        arr(o["entries"], `${p}.entries`).forEach((e, j) => {
          const eo = obj(e, `${p}.entries[${j}]`);
          ref(eo["executor"], `${p}.entries[${j}].executor`, executors!, "executor");
          exprRef(eo["expr"], `${p}.entries[${j}].expr`);
        });
        return;
      case "filter":
        exprRef(o["predicate"], `${p}.predicate`);
        strategy(o["then"], `${p}.then`);
        return;
      default:
        fail(`${p}.k`, `unknown arbiter strategy ${JSON.stringify(o.k)}`);
    }
  };
  arbiters!.forEach((x, i) => {
    const p = `$.arbiters[${i}]`;
    const o = obj(x, p);
    ref(o["output"], `${p}.output`, vars, "var");
    strategy(o["strategy"], `${p}.strategy`);
    arr(o["proposals"], `${p}.proposals`).forEach((q, j) => {
      const qo = obj(q, `${p}.proposals[${j}]`);
      ref(qo["executor"], `${p}.proposals[${j}].executor`, executors!, "executor");
      ref(qo["var"], `${p}.proposals[${j}].var`, vars, "var");
      ref(qo["validVar"], `${p}.proposals[${j}].validVar`, vars, "var");
    });
  });
  shields!.forEach((x, i) => {
    const p = `$.shields[${i}]`;
    const o = obj(x, p);
    ref(o["output"], `${p}.output`, vars, "var");
    const r = obj(o["rule"], `${p}.rule`);
    if (r["k"] === "clamp") {
      exprRef(r["min"], `${p}.rule.min`);
      exprRef(r["max"], `${p}.rule.max`);
    } else if (r["k"] === "deny") {
      exprRef(r["when"], `${p}.rule.when`);
      exprRef(r["fallback"], `${p}.rule.fallback`);
    } else fail(`${p}.rule.k`, "expected clamp or deny");
  });

  nodes!.forEach((x, i) => {
    const p = `$.nodes[${i}]`;
    const o = obj(x, p);
    const k = o["k"] as IRNode["k"];
    if (!NODE_KINDS.has(k)) fail(`${p}.k`, `unknown node kind ${JSON.stringify(k)}`);
    if (WITH_CHILDREN.has(k)) arr(o["children"], `${p}.children`);
    else if ("children" in o) fail(`${p}.children`, `a ${k} node has no children list`);
    if (WITH_CHILD.has(k)) nodeRef(o["child"], `${p}.child`);
    else if ("child" in o) fail(`${p}.child`, `a ${k} node has no child`);
    if ("children" in o) {
      const ch = arr(o["children"], `${p}.children`);
      ch.forEach((c, j) => {
        const id = nodeRef(c, `${p}.children[${j}]`);
        if (id <= i) fail(`${p}.children[${j}]`, `child ${id} must come after its parent (trees are stored parent first)`);
      });
    }
    if ("child" in o) {
      const id = nodeRef(o["child"], `${p}.child`);
      if (id <= i) fail(`${p}.child`, `child ${id} must come after its parent (trees are stored parent first)`);
    }
    switch (k) {
      case "parallel": {
        const n = (o["children"] as unknown[]).length;
        int(o["success"], `${p}.success`, 0, n);
        int(o["failure"], `${p}.failure`, 0, n);
        break;
      }
      case "repeat":
      case "retry":
        int(o["count"], `${p}.count`, 0);
        break;
      case "timeout":
      case "cooldown":
      case "delay":
      case "wait":
        if (num(o["ms"], `${p}.ms`) < 0) fail(`${p}.ms`, "a duration cannot be negative");
        break;
      case "guard_while":
      case "guard_until":
      case "check":
        exprRef(o["cond"], `${p}.cond`);
        break;
      case "do":
        ref(o["extern"], `${p}.extern`, externs!, "extern");
        if ((externs![o["extern"] as number] as { kind: string }).kind !== "action") fail(`${p}.extern`, "`do` needs an extern action");
        arr(o["args"], `${p}.args`).forEach((a, j) => exprRef(a, `${p}.args[${j}]`));
        break;
      case "set":
        location(o["target"], `${p}.target`);
        exprRef(o["value"], `${p}.value`);
        break;
      case "emit": {
        const pl = ref(o["planner"], `${p}.planner`, planners!, "planner");
        const msg = messages![(planners![pl] as { message: number }).message] as { kinds: { fields: unknown[] }[] };
        const kind = int(o["kind"], `${p}.kind`, 0, msg.kinds.length - 1);
        const values = arr(o["values"], `${p}.values`);
        if (values.length !== msg.kinds[kind]!.fields.length) fail(`${p}.values`, `expected ${msg.kinds[kind]!.fields.length} values`);
        values.forEach((v, j) => exprRef(v, `${p}.values[${j}]`));
        break;
      }
      case "const":
        if (!["success", "failure", "running"].includes(o["status"] as string)) fail(`${p}.status`, "expected success, failure or running");
        break;
      case "infer": {
        const m = ref(o["model"], `${p}.model`, models!, "model");
        const model = models![m] as { inputs: unknown[]; outputs: unknown[] };
        arr(o["feeds"], `${p}.feeds`).forEach((f, j) => {
          const fo = obj(f, `${p}.feeds[${j}]`);
          int(fo["input"], `${p}.feeds[${j}].input`, 0, model.inputs.length - 1);
          exprRef(fo["value"], `${p}.feeds[${j}].value`);
        });
        arr(o["writes"], `${p}.writes`).forEach((w, j) => {
          const wo = obj(w, `${p}.writes[${j}]`);
          location(wo["target"], `${p}.writes[${j}].target`);
          exprRef(wo["value"], `${p}.writes[${j}].value`);
        });
        int(o["chunk"], `${p}.chunk`, 1);
        if (o["refine"] !== null) {
          const r = obj(o["refine"], `${p}.refine`);
          int(r["times"], `${p}.refine.times`, 0);
          int(r["from"], `${p}.refine.from`, 0, model.inputs.length - 1);
          int(r["to"], `${p}.refine.to`, 0, model.outputs.length - 1);
        }
        if (o["async"] !== null) {
          const a = obj(o["async"], `${p}.async`);
          if (a["timeoutMs"] !== null) num(a["timeoutMs"], `${p}.async.timeoutMs`);
        }
        break;
      }
      default:
        break;
    }
  });

  exprs!.forEach((x, i) => {
    const p = `$.exprs[${i}]`;
    const o = obj(x, p);
    const k = o["k"] as IRExpr["k"];
    if (!EXPR_KINDS.has(k)) fail(`${p}.k`, `unknown expression kind ${JSON.stringify(k)}`);
    checkType(o["type"], `${p}.type`);
    boundedType(limits, o["type"] as IRType, `${p}.type`);
    const size = typeSize(o["type"] as IRType);
    const sub = (key: string): number => {
      const id = exprRef(o[key], `${p}.${key}`);
      if (id >= i && k !== "port") fail(`${p}.${key}`, `operand ${id} must come before expression ${i} (operands are stored first)`);
      return id;
    };
    const subs = (key: string): void => {
      arr(o[key], `${p}.${key}`).forEach((_, j) => {
        const id = exprRef((o[key] as unknown[])[j], `${p}.${key}[${j}]`);
        if (id >= i) fail(`${p}.${key}[${j}]`, `operand ${id} must come before expression ${i} (operands are stored first)`);
      });
    };
    switch (k) {
      case "const": {
        const v = arr(o["value"], `${p}.value`);
        if (v.length !== size) fail(`${p}.value`, `expected ${size} values for its type`);
        v.forEach((n, j) => num(n, `${p}.value[${j}]`));
        break;
      }
      case "read":
        ref(o["var"], `${p}.var`, vars, "var");
        break;
      case "field":
        sub("object");
        int(o["offset"], `${p}.offset`);
        break;
      case "index":
        sub("object");
        sub("index");
        break;
      case "construct":
        subs("elements");
        break;
      case "unary":
        sub("operand");
        break;
      case "binary":
        sub("left");
        sub("right");
        break;
      case "if":
        sub("cond");
        sub("then");
        sub("else");
        break;
      case "match":
        sub("scrutinee");
        subs("arms");
        break;
      case "builtin":
        str(o["fn"], `${p}.fn`);
        subs("args");
        break;
      case "extern":
        ref(o["extern"], `${p}.extern`, externs!, "extern");
        subs("args");
        break;
      case "aggregate":
        int(o["local"], `${p}.local`, 0, Math.max(0, locals - 1));
        sub("list");
        sub("body");
        break;
      case "local":
        int(o["local"], `${p}.local`, 0, Math.max(0, locals - 1));
        break;
      case "port": {
        const n = nodeRef(o["node"], `${p}.node`);
        if ((nodes![n] as { k: string }).k !== "infer") fail(`${p}.node`, `node ${n} is not an infer node`);
        int(o["output"], `${p}.output`);
        break;
      }
      default:
        break;
    }
  });

  tests!.forEach((x, i) => {
    const p = `$.tests[${i}]`;
    const o = obj(x, p);
    str(o["name"], `${p}.name`);
    arr(o["steps"], `${p}.steps`).forEach((s, j) => {
      const so = obj(s, `${p}.steps[${j}]`);
      const sp = `${p}.steps[${j}]`;
      switch (so["k"]) {
        case "given":
          arr(so["assigns"], `${sp}.assigns`).forEach((a, q) => {
            const ao = obj(a, `${sp}.assigns[${q}]`);
            location(ao["target"], `${sp}.assigns[${q}].target`);
            exprRef(ao["value"], `${sp}.assigns[${q}].value`);
          });
          break;
        case "raise":
          ref(so["event"], `${sp}.event`, events!, "event");
          break;
        case "inject":
          ref(so["planner"], `${sp}.planner`, planners!, "planner");
          int(so["kind"], `${sp}.kind`);
          arr(so["values"], `${sp}.values`).forEach((v, q) => exprRef(v, `${sp}.values[${q}]`));
          break;
        case "run":
          if (so["ticks"] !== null) int(so["ticks"], `${sp}.ticks`);
          if (so["ms"] !== null) num(so["ms"], `${sp}.ms`);
          break;
        case "expect":
          exprRef(so["expr"], `${sp}.expr`);
          str(so["text"], `${sp}.text`);
          break;
        default:
          fail(`${sp}.k`, `unknown test step ${JSON.stringify(so["k"])}`);
      }
    });
  });
}
