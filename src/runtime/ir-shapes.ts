// The second half of loadIR: after the structure is known to be sound, check that every operand has the size
// (and, where it matters, the kind of type) that its use needs, so the compiled closures can index without
// checks. IR from the compiler always passes; this guards the runtime against hand-edited or hostile IR.
import type { IRBuiltin, IRExpr, IRNode, IRType, PolicyIR } from "./ir.ts";
import { typeSize } from "./ir.ts";
import { assignable } from "./assign.ts";
import { COMPONENTWISE } from "./builtin-math.ts";

export type Fail = (path: string, problem: string) => never;

/** Argument counts of the builtins (min, max). */
const ARITY: Record<IRBuiltin, readonly [number, number]> = {
  abs: [1, 1], min: [2, 2], max: [2, 2], clamp: [3, 3], sqrt: [1, 1], floor: [1, 1], ceil: [1, 1], round: [1, 1],
  sign: [1, 1], sin: [1, 1], cos: [1, 1], atan2: [2, 2], pow: [2, 2], exp: [1, 1], log: [1, 1], lerp: [3, 3],
  int: [1, 1], float: [1, 1], length: [1, 1], normalize: [1, 1], dot: [2, 2], distance: [2, 2], len: [1, 1],
  vec2: [1, 2], vec3: [1, 3], vec4: [1, 4], argmax: [1, 1], sample: [1, 1], gaussian: [2, 2], random: [0, 0],
};
/** Builtins applied component by component (scalars broadcast): every numeric one, and Gaussian noise. */
const ELEMENTWISE = new Set<IRBuiltin>([...(Object.keys(COMPONENTWISE) as IRBuiltin[]), "gaussian"]);

export function checkShapes(ir: PolicyIR, fail: Fail): void {
  const size = (e: number): number => typeSize(ir.exprs[e]!.type);
  const scalar = (e: number, path: string): void => {
    if (size(e) !== 1) fail(path, `expression ${e} must be a single value (it has ${size(e)} slots)`);
  };
  const sameSize = (a: number, n: number, path: string): void => {
    if (size(a) !== n) fail(path, `expression ${a} has ${size(a)} slots, expected ${n}`);
  };
  /** Componentwise operand: broadcast scalar, the result's own shape, or (for list results) the element slots. */
  const componentwise = (operand: number, result: IRType, path: string): void => {
    const n = size(operand);
    const r = typeSize(result);
    const ot = ir.exprs[operand]!.type;
    if (n === 1 || n === r || (result.k === "list" && n === r - 1) || (ot.k === "list" && n - 1 === r)) return;
    fail(path, `expression ${operand} (${n} slots) does not fit a componentwise result of ${r} slots`);
  };

  // Element size each aggregate variable is bound to.
  const localSize = new Map<number, number>();
  for (const x of ir.exprs) {
    if (x.k !== "aggregate") continue;
    const lt = ir.exprs[x.list]!.type;
    if (lt.k !== "list") fail(`$.exprs[${x.id}].list`, "an aggregate runs over a list");
    const es = typeSize(lt.element);
    const prev = localSize.get(x.local);
    if (prev !== undefined && prev !== es) fail(`$.exprs[${x.id}].local`, `aggregate variable ${x.local} is bound to elements of different sizes`);
    localSize.set(x.local, es);
  }

  for (const x of ir.exprs) checkExpr(x);

  function checkExpr(x: IRExpr): void {
    const p = `$.exprs[${x.id}]`;
    const n = typeSize(x.type);
    switch (x.k) {
      case "const":
      case "value":
        return;
      case "read": {
        const v = ir.layout.vars[x.var]!;
        if (v.size !== n) fail(p, `reads var ${x.var} of ${v.size} slots as ${n} slots`);
        return;
      }
      case "field": {
        const ot = ir.exprs[x.object]!.type;
        if (ot.k !== "record" && ot.k !== "vec" && ot.k !== "tensor") fail(`${p}.object`, "field access needs a record or a vector");
        if (x.offset + n > typeSize(ot)) fail(`${p}.offset`, "the field lies outside its object");
        return;
      }
      case "index": {
        const ot = ir.exprs[x.object]!.type;
        scalar(x.index, `${p}.index`);
        if (ot.k === "list") sameSize(x.id, typeSize(ot.element), p);
        else if (ot.k === "vec") sameSize(x.id, 1, p);
        else if (ot.k === "tensor") {
          const first = typeof ot.shape[0] === "number" ? ot.shape[0] : 1;
          sameSize(x.id, first > 0 ? typeSize(ot) / first : 1, p);
        } else fail(`${p}.object`, "indexing needs a vector, list or tensor");
        return;
      }
      case "construct": {
        if (x.type.k === "list") {
          if (x.elements.length > x.type.capacity) fail(`${p}.elements`, "more elements than the list's capacity");
          const es = typeSize(x.type.element);
          x.elements.forEach((e, i) => sameSize(e, es, `${p}.elements[${i}]`));
        } else {
          let total = 0;
          for (const e of x.elements) total += size(e);
          if (total !== n) fail(`${p}.elements`, `the elements fill ${total} slots of ${n}`);
        }
        return;
      }
      case "unary":
        if (x.op === "not") {
          scalar(x.operand, `${p}.operand`);
          sameSize(x.id, 1, p);
        } else sameSize(x.operand, n, `${p}.operand`);
        return;
      case "binary":
        if (x.op === "and" || x.op === "or" || x.op === "<" || x.op === "<=" || x.op === ">" || x.op === ">=") {
          scalar(x.left, `${p}.left`);
          scalar(x.right, `${p}.right`);
          sameSize(x.id, 1, p);
        } else if (x.op === "==" || x.op === "!=") {
          sameSize(x.right, size(x.left), `${p}.right`);
          sameSize(x.id, 1, p);
        } else {
          componentwise(x.left, x.type, `${p}.left`);
          componentwise(x.right, x.type, `${p}.right`);
        }
        return;
      case "if":
        scalar(x.cond, `${p}.cond`);
        sameSize(x.then, n, `${p}.then`);
        sameSize(x.else, n, `${p}.else`);
        return;
      case "match":
        scalar(x.scrutinee, `${p}.scrutinee`);
        if (x.arms.length === 0) fail(`${p}.arms`, "a match needs at least one arm");
        x.arms.forEach((a, i) => sameSize(a, n, `${p}.arms[${i}]`));
        return;
      case "builtin":
        return checkBuiltin(x as IRExpr & { k: "builtin" }, p);
      case "extern": {
        const ext = ir.externs[x.extern]!;
        if (ext.kind === "action") fail(`${p}.extern`, "an extern action cannot be called in an expression");
        if (x.args.length !== ext.params.length) fail(`${p}.args`, `expected ${ext.params.length} arguments`);
        x.args.forEach((a, i) => sameSize(a, typeSize(ext.params[i]!.type), `${p}.args[${i}]`));
        sameSize(x.id, ext.kind === "condition" ? 1 : typeSize(ext.returns!), p);
        return;
      }
      case "aggregate": {
        const body = size(x.body);
        const es = localSize.get(x.local)!;
        if (x.agg === "sum") sameSize(x.id, body, p);
        else scalar(x.body, `${p}.body`);
        if (x.agg === "min_by" || x.agg === "max_by") sameSize(x.id, es, p);
        else if (x.agg !== "sum") sameSize(x.id, 1, p);
        return;
      }
      case "local": {
        const es = localSize.get(x.local);
        if (es === undefined) fail(`${p}.local`, `aggregate variable ${x.local} is not bound by any aggregate`);
        sameSize(x.id, es, p);
        return;
      }
      case "port": {
        const node = ir.nodes[x.node] as IRNode & { k: "infer" };
        const port = ir.models[node.model]!.outputs[x.output];
        if (!port) fail(`${p}.output`, `the model has no output ${x.output}`);
        if (port.size % node.chunk !== 0) fail(`${p}.output`, `output size ${port.size} is not a multiple of chunk ${node.chunk}`);
        sameSize(x.id, port.size / node.chunk, p);
        return;
      }
    }
  }

  function checkBuiltin(x: IRExpr & { k: "builtin" }, p: string): void {
    const [lo, hi] = ARITY[x.fn] ?? fail(`${p}.fn`, `unknown builtin ${JSON.stringify(x.fn)}`);
    if (x.args.length < lo || x.args.length > hi) fail(`${p}.args`, `${x.fn} takes ${lo === hi ? lo : `${lo} to ${hi}`} arguments`);
    const n = typeSize(x.type);
    switch (x.fn) {
      case "length":
      case "argmax":
      case "sample":
        sameSize(x.id, 1, p);
        return;
      case "len":
        if (ir.exprs[x.args[0]!]!.type.k !== "list") fail(`${p}.args[0]`, "len needs a list");
        sameSize(x.id, 1, p);
        return;
      case "normalize":
        sameSize(x.args[0]!, n, `${p}.args[0]`);
        return;
      case "dot":
      case "distance":
        sameSize(x.args[1]!, size(x.args[0]!), `${p}.args[1]`);
        sameSize(x.id, 1, p);
        return;
      case "vec2":
      case "vec3":
      case "vec4": {
        let total = 0;
        for (const a of x.args) total += size(a);
        if (total !== n) fail(`${p}.args`, `the arguments fill ${total} slots of ${n}`);
        return;
      }
      default:
        if (ELEMENTWISE.has(x.fn)) x.args.forEach((a, i) => componentwise(a, x.type, `${p}.args[${i}]`));
        else {
          x.args.forEach((a, i) => scalar(a, `${p}.args[${i}]`));
          sameSize(x.id, 1, p);
        }
    }
  }

  // Uses of expressions by nodes, layers and tests.
  for (const node of ir.nodes) {
    const p = `$.nodes[${node.id}]`;
    switch (node.k) {
      case "check":
      case "guard_while":
      case "guard_until":
        scalar(node.cond, `${p}.cond`);
        break;
      case "set":
        assignment(node.target, node.value, `${p}.value`);
        break;
      case "do": {
        const ext = ir.externs[node.extern]!;
        if (node.args.length !== ext.params.length) fail(`${p}.args`, `expected ${ext.params.length} arguments`);
        node.args.forEach((a, i) => sameSize(a, typeSize(ext.params[i]!.type), `${p}.args[${i}]`));
        break;
      }
      case "emit": {
        const kind = ir.messages[ir.planners[node.planner]!.message]!.kinds[node.kind]!;
        node.values.forEach((v, i) => assignType(kind.fields[i]!.type, v, `${p}.values[${i}]`));
        break;
      }
      case "infer": {
        const m = ir.models[node.model]!;
        node.feeds.forEach((f, i) => sameSize(f.value, m.inputs[f.input]!.size, `${p}.feeds[${i}].value`));
        node.writes.forEach((w, i) => assignment(w.target, w.value, `${p}.writes[${i}].value`));
        for (const out of m.outputs) if (out.size % node.chunk !== 0) fail(`${p}.chunk`, `output ${out.name} does not split into ${node.chunk} steps`);
        if (node.refine && m.inputs[node.refine.from]!.size !== m.outputs[node.refine.to]!.size) {
          fail(`${p}.refine`, "the fed-back output and the input it replaces differ in size");
        }
        break;
      }
      default:
        break;
    }
  }
  for (const e of ir.events) if (e.when !== undefined) scalar(e.when, `$.events[${e.id}].when`);
  for (const pl of ir.planners) {
    const kinds = ir.messages[pl.message]!.kinds;
    sameVar(pl.kindVar, 1, `$.planners[${pl.id}].kindVar`);
    inRegion(pl.kindVar, "msg", `$.planners[${pl.id}].kindVar`);
    pl.payloadVars.forEach((v, k) => inRegion(v, "msg", `$.planners[${pl.id}].payloadVars[${k}]`));
    pl.payloadVars.forEach((v, k) => {
      const path = `$.planners[${pl.id}].payloadVars[${k}]`;
      const t = ir.layout.vars[v]!.type;
      const fields = kinds[k]!.fields;
      if (t.k !== "record" || t.fields.length !== fields.length) fail(path, `var ${v} must be a record of the kind's ${fields.length} fields`);
      t.fields.forEach((f, i) => {
        if (typeSize(f.type) !== typeSize(fields[i]!.type)) fail(path, `field ${i} of var ${v} does not match the message kind`);
      });
    });
  }
  for (const x of ir.executors) {
    const kinds = x.follows === null ? 0 : ir.messages[ir.planners[x.follows]!.message]!.kinds.length;
    x.handlers.forEach((h, i) => {
      if (h.kind < 0 || h.kind >= kinds) fail(`$.executors[${x.id}].handlers[${i}].kind`, `no message kind ${h.kind}`);
    });
  }
  for (const a of ir.arbiters) {
    const p = `$.arbiters[${a.id}]`;
    const out = ir.layout.vars[a.output]!;
    if (a.proposals.length > 31) fail(`${p}.proposals`, "at most 31 proposals per output");
    a.proposals.forEach((q, i) => {
      sameVar(q.var, out.size, `${p}.proposals[${i}].var`);
      sameVar(q.validVar, 1, `${p}.proposals[${i}].validVar`);
      inRegion(q.var, "proposal", `${p}.proposals[${i}].var`);
      inRegion(q.validVar, "proposal", `${p}.proposals[${i}].validVar`);
    });
    const strategy = (s: PolicyIR["arbiters"][number]["strategy"], sp: string): void => {
      if (s.k === "utility" || s.k === "blend") s.entries.forEach((e, i) => scalar(e.expr, `${sp}.entries[${i}].expr`));
      else if (s.k === "filter") {
        scalar(s.predicate, `${sp}.predicate`);
        strategy(s.then, `${sp}.then`);
      }
    };
    strategy(a.strategy, `${p}.strategy`);
  }
  for (const sh of ir.shields) {
    const p = `$.shields[${sh.id}].rule`;
    const outSize = ir.layout.vars[sh.output]!.size;
    if (sh.rule.k === "clamp") {
      for (const [key, e] of [["min", sh.rule.min], ["max", sh.rule.max]] as const) {
        if (size(e) !== 1 && size(e) !== outSize) fail(`${p}.${key}`, `a bound has 1 or ${outSize} slots`);
      }
    } else {
      scalar(sh.rule.when, `${p}.when`);
      sameSize(sh.rule.fallback, outSize, `${p}.fallback`);
    }
  }
  for (const t of ir.tests) {
    t.steps.forEach((s, i) => {
      const p = `$.tests[${t.id}].steps[${i}]`;
      if (s.k === "expect") scalar(s.expr, `${p}.expr`);
      else if (s.k === "given") s.assigns.forEach((a, j) => assignment(a.target, a.value, `${p}.assigns[${j}].value`));
      else if (s.k === "inject") {
        const kinds = ir.messages[ir.planners[s.planner]!.message]!.kinds;
        const kind = kinds[s.kind] ?? fail(`${p}.kind`, `no message kind ${s.kind}`);
        if (s.values.length !== kind.fields.length) fail(`${p}.values`, `expected ${kind.fields.length} values`);
        s.values.forEach((v, j) => assignType(kind.fields[j]!.type, v, `${p}.values[${j}]`));
      }
    });
  }

  function assignment(target: number, value: number, path: string): void {
    if (!assignable(ir.exprs[target]!.type, ir.exprs[value]!.type)) {
      fail(path, `expression ${value} (${size(value)} slots) cannot be assigned to expression ${target} (${size(target)} slots)`);
    }
  }

  function assignType(target: IRType, value: number, path: string): void {
    if (!assignable(target, ir.exprs[value]!.type)) fail(path, `expression ${value} (${size(value)} slots) does not fit a ${typeSize(target)}-slot field`);
  }

  function inRegion(v: number, region: string, path: string): void {
    if (ir.layout.vars[v]!.region !== region) fail(path, `var ${v} must be in the ${region} region`);
  }

  function sameVar(v: number, n: number, path: string): void {
    if (ir.layout.vars[v]!.size !== n) fail(path, `var ${v} has ${ir.layout.vars[v]!.size} slots, expected ${n}`);
  }
}
