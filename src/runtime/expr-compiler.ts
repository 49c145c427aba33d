// Compiles the IR expression table into closures once per pool ("closure compilation"): no tree walking and no
// allocation while a tick evaluates. Scalars evaluate to a number; every other value evaluates to an offset into
// `env.mem` where its slots are: in place for locations (vars, fields, elements), or in a scratch block owned
// by that expression id. Scratch is shared by all agents: an expression's value is consumed before another
// agent evaluates anything (evaluation never spans a suspension), and an expression id never evaluates
// re-entrantly (expressions have no recursion).
import type { IRBuiltin, IRExpr, IRType, PolicyIR } from "./ir.ts";
import { exprOperands, typeSize } from "./ir.ts";
import type { Rng } from "./rng.ts";
import { gaussian } from "./rng.ts";
import { argmaxAt, COMPONENTWISE, distanceAt, dotAt, lengthAt, type ComponentFn } from "./builtin-math.ts";

/** Mutable evaluation state shared between the expression closures and the tree interpreter. */
export interface EvalEnv {
  mem: Float64Array;
  /** Frame base (slot index in mem) of the agent being evaluated. */
  fb: number;
  agent: number;
  /** Location of `value` (arbiter proposal / shield output). */
  valueOff: number;
  /** Location of each aggregate variable's current element. */
  readonly localOff: Float64Array;
  /** Tree node whose expressions are being evaluated (-1 outside trees): runtime errors name it. */
  node: number;
  /** Set when an extern failed during evaluation: the evaluating node fails (its result is not used). */
  faulted: boolean;
  rng(): Rng;
  /** Call extern `ext` with already-converted host arguments; returns FAULT after recording an error. */
  callExtern(ext: number, args: unknown[]): unknown;
  /** Location of output `output` of infer node `node` for the current agent (current chunk step). */
  portOff(node: number, output: number): number;
}

export const FAULT: unique symbol = Symbol("fault");

export type Scalar = () => number;
export type Block = () => number;

export interface CompiledExprs {
  /** Scalar evaluator per expr id (null for block-typed expressions). */
  readonly scalar: (Scalar | null)[];
  /** Block evaluator per expr id (for scalars: a location holding the value, written on evaluation). */
  readonly block: Block[];
  /** Writable location per expr id for assignment targets: -1 when out of range (the write is dropped). */
  readonly target: (Block | null)[];
  readonly size: number[];
  /** True when evaluating the expression may call an extern (and so may fault). */
  readonly mayFault: boolean[];
  /** Slots needed after the agent frames: scratch blocks and the zero block. */
  readonly scratchSize: number;
  /** Constant blocks to write into scratch once `env.mem` exists. */
  readonly constInits: readonly { readonly off: number; readonly value: readonly number[] }[];
  /** Per var id: where an observation's or output's column starts in `mem` (agent a's value at colBase[v] +
   *  a * size), -1 for every other var (those live in the agent frame). */
  readonly colBase: Int32Array;
}

const MAX_ARGS = 16;

/** `colBase`: per var id, the start of an observation's or output's column in `mem`, -1 for vars in the frame
 *  (omitted: every var is in the frame, for callers that evaluate without a pool). */
export function compileExprs(ir: PolicyIR, env: EvalEnv, scratchBase: number, colBase: Int32Array = new Int32Array(ir.layout.vars.length).fill(-1)): CompiledExprs {
  const n = ir.exprs.length;
  const size = ir.exprs.map((e) => typeSize(e.type));
  const scalar: (Scalar | null)[] = new Array(n).fill(null);
  const block: Block[] = new Array(n);
  const target: (Block | null)[] = new Array(n).fill(null);
  let next = scratchBase;
  const alloc = (k: number): number => {
    const o = next;
    next += k;
    return o;
  };
  // Reads out of range land on a block of zeros that nothing writes.
  let maxSize = 1;
  for (const s of size) if (s > maxSize) maxSize = s;
  const zero = alloc(maxSize);
  // Constants live in scratch that nothing else writes; they are filled once when the pool is created.
  const constInits: { off: number; value: readonly number[] }[] = [];

  // Operands precede their expression (loadIR checks it), so one forward pass sees compiled operands.
  for (let id = 0; id < n; id++) {
    const x = ir.exprs[id]!;
    const s = compileOne(x, id);
    if (size[id] === 1 && s.scalar) {
      scalar[id] = s.scalar;
      if (s.block) block[id] = s.block;
      else {
        const off = alloc(1);
        const f = s.scalar;
        block[id] = () => {
          env.mem[off] = f();
          return off;
        };
      }
    } else {
      block[id] = s.block!;
      if (size[id] === 1) {
        const b = s.block!;
        scalar[id] = () => env.mem[b()]!;
      }
    }
    if (s.target) target[id] = s.target;
  }

  function compileOne(x: IRExpr, id: number): { scalar?: Scalar; block?: Block; target?: Block } {
    const sz = size[id]!;
    switch (x.k) {
      case "const": {
        if (sz === 1) {
          const v = x.value[0]!;
          return { scalar: () => v };
        }
        const off = alloc(sz);
        constInits.push({ off, value: x.value });
        return { block: () => off };
      }
      case "read": {
        const col = colBase[x.var]!;
        if (col >= 0) {
          const loc = (): number => col + env.agent * sz;
          return sz === 1 ? { scalar: () => env.mem[col + env.agent]!, block: loc, target: loc } : { block: loc, target: loc };
        }
        const off = ir.layout.vars[x.var]!.offset;
        const loc = (): number => env.fb + off;
        return sz === 1 ? { scalar: () => env.mem[env.fb + off]!, block: loc, target: loc } : { block: loc, target: loc };
      }
      case "field": {
        const obj = block[x.object]!;
        const objTarget = target[x.object];
        const off = x.offset;
        const loc = (): number => obj() + off;
        const tgt = objTarget
          ? (): number => {
              const o = objTarget();
              return o < 0 ? -1 : o + off;
            }
          : undefined;
        const r: { scalar?: Scalar; block: Block; target?: Block } = { block: loc };
        if (sz === 1) r.scalar = () => env.mem[obj() + off]!;
        if (tgt) r.target = tgt;
        return r;
      }
      case "index": {
        const objT = ir.exprs[x.object]!.type;
        const obj = block[x.object]!;
        const objTarget = target[x.object];
        const idx = scalar[x.index]!;
        const isList = objT.k === "list";
        // Element size: a list's element; a tensor's sub-tensor over the remaining dimensions; 1 for a vector.
        const es = size[id]!;
        const cap = objT.k === "list" ? objT.capacity : Math.floor(typeSize(objT) / es);
        // Elements of a list start after its length slot; an index past the length reads zeros.
        const locate = (base: number): number => {
          const i = Math.trunc(idx());
          const limit = isList ? Math.min(cap, env.mem[base]! | 0) : cap;
          if (!(i >= 0 && i < limit)) return -1;
          return base + (isList ? 1 : 0) + i * es;
        };
        const loc = (): number => {
          const o = locate(obj());
          return o < 0 ? zero : o;
        };
        const r: { scalar?: Scalar; block: Block; target?: Block } = { block: loc };
        if (sz === 1) r.scalar = () => env.mem[loc()]!;
        if (objTarget)
          r.target = () => {
            const b = objTarget();
            return b < 0 ? -1 : locate(b);
          };
        return r;
      }
      case "construct": {
        const out = alloc(sz);
        // A list's length slot comes first; unused elements stay zero (scratch is only written up to the count).
        const isList = x.type.k === "list";
        if (isList) constInits.push({ off: out, value: [x.elements.length] });
        return { block: concat(x.elements, isList ? out + 1 : out, out) };
      }
      case "unary": {
        const a = scalar[x.operand];
        if (sz === 1 && a) return x.op === "neg" ? { scalar: () => -a() } : { scalar: () => (a() !== 0 ? 0 : 1) };
        return { block: elementwise(x.type, [x.operand], (v) => -v[0]!) };
      }
      case "binary":
        return compileBinary(x, id);
      case "if": {
        const c = scalar[x.cond]!;
        if (sz === 1) {
          const t = scalar[x.then]!;
          const e = scalar[x.else]!;
          return { scalar: () => (c() !== 0 ? t() : e()) };
        }
        const t = block[x.then]!;
        const e = block[x.else]!;
        return { block: () => (c() !== 0 ? t() : e()) };
      }
      case "match": {
        const s = scalar[x.scrutinee]!;
        // An ordinal outside the enum (it cannot come from a checked policy) selects the nearest arm.
        const last = x.arms.length - 1;
        const arm = (): number => {
          const v = s() | 0;
          return v < 0 ? 0 : v > last ? last : v;
        };
        if (sz === 1) {
          const arms = x.arms.map((a) => scalar[a]!);
          return { scalar: () => arms[arm()]!() };
        }
        const arms = x.arms.map((a) => block[a]!);
        return { block: () => arms[arm()]!() };
      }
      case "builtin":
        return compileBuiltin(x as IRExpr & { k: "builtin" }, id);
      case "extern":
        return compileExtern(x as IRExpr & { k: "extern" }, id);
      case "aggregate":
        return compileAggregate(x as IRExpr & { k: "aggregate" }, id);
      case "local": {
        const l = x.local;
        const loc = (): number => env.localOff[l]!;
        return sz === 1 ? { scalar: () => env.mem[env.localOff[l]!]!, block: loc } : { block: loc };
      }
      case "value": {
        const loc = (): number => env.valueOff;
        return sz === 1 ? { scalar: () => env.mem[env.valueOff]!, block: loc, target: loc } : { block: loc, target: loc };
      }
      case "port": {
        const node = x.node;
        const output = x.output;
        const loc = (): number => env.portOff(node, output);
        return sz === 1 ? { scalar: () => env.mem[env.portOff(node, output)]!, block: loc } : { block: loc };
      }
    }
  }

  /** Start and count of the numbers in a vector, tensor or list value (a list's current elements), in `at`. */
  const at = new Float64Array(2);
  function numbersOf(arg: number): () => void {
    const isList = ir.exprs[arg]!.type.k === "list";
    const n = isList ? size[arg]! - 1 : size[arg]!;
    const value = block[arg]!;
    return () => {
      const base = value();
      at[0] = isList ? base + 1 : base;
      at[1] = isList ? Math.max(0, Math.min(n, env.mem[base]! | 0)) : n;
    };
  }

  /**
   * A block evaluator applying `fn` component by component. Operands of one slot broadcast; vectors and tensors
   * align slot by slot; a list contributes its live elements (slots past its length read 0), never its length
   * slot. A list result takes its length from the first list operand and keeps its unused slots at 0 (the
   * invariant every list value keeps: see ir.ts, "Value layout"). `fn` reads step i's components from a reused
   * buffer. Constant folding (src/compiler/lower/fold.ts, foldComponentwise) computes the same slots.
   */
  function elementwise(resultType: IRType, operands: readonly number[], fn: (v: Float64Array) => number): Block {
    const slots = typeSize(resultType);
    const out = alloc(slots);
    const ops = operands.map((o) => {
      const t = ir.exprs[o]!.type;
      const list = t.k === "list";
      return {
        b: block[o]!,
        step: !list && size[o] === 1 ? 0 : 1,
        skip: list ? 1 : 0,
        capacity: list ? t.capacity : 0,
        es: list ? typeSize(t.element) : 1,
        whole: list ? 0 : size[o]! === 1 ? Infinity : size[o]!,
      };
    });
    const lengthFrom = ops.findIndex((o) => o.skip === 1);
    const result = resultType.k === "list" ? { capacity: resultType.capacity, es: typeSize(resultType.element) } : null;
    const k = ops.length;
    const bases = new Float64Array(k);
    const live = new Float64Array(k);
    const v = new Float64Array(k);
    const listLength = (op: (typeof ops)[number], base: number): number => Math.max(0, Math.min(op.capacity, env.mem[base]! | 0));
    return () => {
      const mem = env.mem;
      for (let j = 0; j < k; j++) {
        const op = ops[j]!;
        const base = op.b();
        bases[j] = base;
        live[j] = op.skip === 1 ? listLength(op, base) * op.es : op.whole;
      }
      let o = out;
      let count = slots;
      if (result) {
        const length = lengthFrom >= 0 ? Math.min(result.capacity, listLength(ops[lengthFrom]!, bases[lengthFrom]!)) : 0;
        mem[o++] = length;
        count = length * result.es;
      }
      for (let i = 0; i < count; i++) {
        for (let j = 0; j < k; j++) {
          const op = ops[j]!;
          v[j] = i < live[j]! ? mem[bases[j]! + op.skip + i * op.step]! : 0;
        }
        mem[o + i] = fn(v);
      }
      if (result) mem.fill(0, o + count, out + slots);
      return out;
    };
  }

  /** A block evaluator writing the operands' values one after another from `start`; returns `result`. */
  function concat(operands: readonly number[], start: number, result: number): Block {
    const parts = operands.map((e) => ({ s: scalar[e], b: block[e]!, n: size[e]! }));
    return () => {
      const mem = env.mem;
      let o = start;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        if (p.s) mem[o++] = p.s();
        else {
          const src = p.b();
          mem.copyWithin(o, src, src + p.n);
          o += p.n;
        }
      }
      return result;
    };
  }

  function compileBinary(x: IRExpr & { k: "binary" }, id: number): { scalar?: Scalar; block?: Block } {
    const lt = ir.exprs[x.left]!.type;
    const ls = scalar[x.left];
    const rs = scalar[x.right];
    const lsz = size[x.left]!;
    const rsz = size[x.right]!;
    const isInt = x.type.k === "int";
    if (x.op === "and") return { scalar: () => (ls!() !== 0 && rs!() !== 0 ? 1 : 0) };
    if (x.op === "or") return { scalar: () => (ls!() !== 0 || rs!() !== 0 ? 1 : 0) };
    // The commonest condition shape, `var <op> constant`, is one closure instead of three.
    const fused = lsz === 1 && rsz === 1 ? fuseReadConst(x) : null;
    if (fused) return { scalar: fused };
    if (lsz === 1 && rsz === 1 && ls && rs) {
      switch (x.op) {
        case "+":
          return { scalar: () => ls() + rs() };
        case "-":
          return { scalar: () => ls() - rs() };
        case "*":
          return { scalar: () => ls() * rs() };
        case "/":
          // x / 0 is 0 for ints and floats alike: the expression language is total (and folding agrees).
          return isInt
            ? {
                scalar: () => {
                  const d = rs();
                  return d === 0 ? 0 : Math.trunc(ls() / d);
                },
              }
            : {
                scalar: () => {
                  const d = rs();
                  return d === 0 ? 0 : ls() / d;
                },
              };
        case "%":
          return {
            scalar: () => {
              const d = rs();
              return d === 0 ? 0 : ls() % d;
            },
          };
        case "==":
          return { scalar: () => (ls() === rs() ? 1 : 0) };
        case "!=":
          return { scalar: () => (ls() !== rs() ? 1 : 0) };
        case "<":
          return { scalar: () => (ls() < rs() ? 1 : 0) };
        case "<=":
          return { scalar: () => (ls() <= rs() ? 1 : 0) };
        case ">":
          return { scalar: () => (ls() > rs() ? 1 : 0) };
        case ">=":
          return { scalar: () => (ls() >= rs() ? 1 : 0) };
      }
    }
    const lb = block[x.left]!;
    const rb = block[x.right]!;
    if (x.op === "==" || x.op === "!=") {
      const eq = x.op === "==";
      const n = lsz;
      return {
        scalar: () => {
          const mem = env.mem;
          const a = lb();
          const b = rb();
          let same = true;
          for (let i = 0; i < n; i++) if (mem[a + i] !== mem[b + i]) same = false;
          return same === eq ? 1 : 0;
        },
      };
    }
    // Componentwise arithmetic over vectors and list elements; a scalar side broadcasts.
    const op = x.op;
    void lt;
    const apply: (v: Float64Array) => number =
      op === "+"
        ? (v) => v[0]! + v[1]!
        : op === "-"
          ? (v) => v[0]! - v[1]!
          : op === "*"
            ? (v) => v[0]! * v[1]!
            : op === "/"
              ? (v) => (v[1] === 0 ? 0 : isInt ? Math.trunc(v[0]! / v[1]!) : v[0]! / v[1]!)
              : (v) => (v[1] === 0 ? 0 : v[0]! % v[1]!);
    return { block: elementwise(x.type, [x.left, x.right], apply) };
  }

  function fuseReadConst(x: IRExpr & { k: "binary" }): Scalar | null {
    const l = ir.exprs[x.left]!;
    const r = ir.exprs[x.right]!;
    if (l.k !== "read" || r.k !== "const") return null;
    const v = r.value[0]!;
    const col = colBase[l.var]!;
    // The same closures over a column (agent a's value at col + a).
    if (col >= 0) {
      switch (x.op) {
        case "<":
          return () => (env.mem[col + env.agent]! < v ? 1 : 0);
        case "<=":
          return () => (env.mem[col + env.agent]! <= v ? 1 : 0);
        case ">":
          return () => (env.mem[col + env.agent]! > v ? 1 : 0);
        case ">=":
          return () => (env.mem[col + env.agent]! >= v ? 1 : 0);
        case "==":
          return () => (env.mem[col + env.agent] === v ? 1 : 0);
        case "!=":
          return () => (env.mem[col + env.agent] !== v ? 1 : 0);
        default:
          return null;
      }
    }
    const off = ir.layout.vars[l.var]!.offset;
    switch (x.op) {
      case "<":
        return () => (env.mem[env.fb + off]! < v ? 1 : 0);
      case "<=":
        return () => (env.mem[env.fb + off]! <= v ? 1 : 0);
      case ">":
        return () => (env.mem[env.fb + off]! > v ? 1 : 0);
      case ">=":
        return () => (env.mem[env.fb + off]! >= v ? 1 : 0);
      case "==":
        return () => (env.mem[env.fb + off] === v ? 1 : 0);
      case "!=":
        return () => (env.mem[env.fb + off] !== v ? 1 : 0);
      case "+":
        return () => env.mem[env.fb + off]! + v;
      case "-":
        return () => env.mem[env.fb + off]! - v;
      case "*":
        return () => env.mem[env.fb + off]! * v;
      default:
        return null;
    }
  }

  function compileBuiltin(x: IRExpr & { k: "builtin" }, id: number): { scalar?: Scalar; block?: Block } {
    const sz = size[id]!;
    const fn = x.fn;
    const a = x.args.map((i) => scalar[i]);
    const b = x.args.map((i) => block[i]!);
    const asz = x.args.map((i) => size[i]!);
    const s0 = a[0]!;
    const s1 = a[1]!;
    const s2 = a[2]!;
    // Every argument and the result one number: the scalar closures. Otherwise the componentwise forms.
    const allScalar = sz === 1 && x.args.every((arg, j) => asz[j] === 1 && a[j] && ir.exprs[arg]!.type.k !== "list");
    const component = COMPONENTWISE[fn];
    if (component) {
      // Each argument is evaluated once (it may call an extern or draw from the stream).
      if (!allScalar) return { block: elementwise(x.type, x.args, (v) => component(v[0]!, v[1] ?? 0, v[2] ?? 0)) };
      return { scalar: scalarCall(fn, component, s0, s1, s2) };
    }
    switch (fn) {
      case "random":
        return { scalar: () => env.rng().next() };
      case "gaussian":
        // Around a vector mean: one draw per live component, in order.
        if (!allScalar) return { block: elementwise(x.type, x.args, (v) => v[0]! + v[1]! * gaussian(env.rng())) };
        return { scalar: () => s0() + s1() * gaussian(env.rng()) };
      case "len": {
        const l = b[0]!;
        const t = ir.exprs[x.args[0]!]!.type;
        const cap = t.k === "list" ? t.capacity : 0;
        return { scalar: () => Math.max(0, Math.min(cap, env.mem[l()]! | 0)) };
      }
      case "length": {
        const n = asz[0]!;
        const l = b[0]!;
        return { scalar: () => lengthAt(env.mem, l(), n) };
      }
      case "dot":
      case "distance": {
        const n = asz[0]!;
        const l = b[0]!;
        const r = b[1]!;
        const measure = fn === "dot" ? dotAt : distanceAt;
        return { scalar: () => measure(env.mem, l(), r(), n) };
      }
      case "normalize": {
        const out = alloc(sz);
        const l = b[0]!;
        return {
          block: () => {
            const mem = env.mem;
            const p = l();
            const len = lengthAt(mem, p, sz);
            for (let i = 0; i < sz; i++) mem[out + i] = len > 0 ? mem[p + i]! / len : 0;
            return out;
          },
        };
      }
      case "argmax": {
        const view = numbersOf(x.args[0]!);
        return {
          scalar: () => {
            view();
            return argmaxAt(env.mem, at[0]!, at[1]!);
          },
        };
      }
      case "sample": {
        const view = numbersOf(x.args[0]!);
        // Categorical over softmax(logits). One draw per call whatever the logits, so the stream position
        // never depends on the values.
        return {
          scalar: () => {
            const mem = env.mem;
            view();
            const p = at[0]!;
            const m = at[1]!;
            const u = env.rng().next();
            if (m === 0) return 0;
            let top = mem[p]!;
            for (let i = 1; i < m; i++) if (mem[p + i]! > top) top = mem[p + i]!;
            let total = 0;
            for (let i = 0; i < m; i++) total += Math.exp(mem[p + i]! - top);
            const target = u * total;
            let acc = 0;
            for (let i = 0; i < m; i++) {
              acc += Math.exp(mem[p + i]! - top);
              if (target < acc) return i;
            }
            return m - 1;
          },
        };
      }
      case "vec2":
      case "vec3":
      case "vec4": {
        const out = alloc(sz);
        return { block: concat(x.args, out, out) };
      }
      default:
        // loadIR accepts only the builtins of BUILTIN_ARITY; every one is handled above.
        throw new Error(`builtin ${fn} has no evaluator`);
    }
  }

  function compileExtern(x: IRExpr & { k: "extern" }, id: number): { scalar?: Scalar; block?: Block } {
    const ext = ir.externs[x.extern]!;
    const argc = x.args.length;
    if (argc > MAX_ARGS) throw new Error(`extern ${ext.name}: more than ${MAX_ARGS} arguments`);
    // One argument array per call site, reused every call: hosts must not keep it.
    const args: unknown[] = new Array(argc);
    const convert = x.args.map((a, i) => hostArg(ext.params[i]?.type ?? ir.exprs[a]!.type, a));
    const call = (): unknown => {
      for (let i = 0; i < argc; i++) args[i] = convert[i]!();
      return env.callExtern(x.extern, args);
    };
    const sz = size[id]!;
    const t = x.type;
    if (sz === 1) {
      return {
        scalar: () => {
          const r = call();
          if (r === FAULT) {
            env.faulted = true;
            return 0;
          }
          return t.k === "bool" ? (r ? 1 : 0) : (r as number);
        },
      };
    }
    const out = alloc(sz);
    return {
      block: () => {
        const r = call();
        if (r === FAULT) {
          env.faulted = true;
          env.mem.fill(0, out, out + sz);
          return out;
        }
        // callExtern has validated the shape; copy numbers in.
        const arr = r as ArrayLike<number>;
        for (let i = 0; i < sz; i++) env.mem[out + i] = arr[i]!;
        return out;
      },
    };
  }

  /** Host-facing argument: booleans for bools, numbers for scalars, a reused Float64Array for vectors. */
  function hostArg(t: IRType, a: number): () => unknown {
    const s = scalar[a];
    if (t.k === "bool" && s) return () => s() !== 0;
    if (s) return s;
    const n = size[a]!;
    const buf = new Float64Array(n);
    const bl = block[a]!;
    return () => {
      const p = bl();
      for (let i = 0; i < n; i++) buf[i] = env.mem[p + i]!;
      return buf;
    };
  }

  function compileAggregate(x: IRExpr & { k: "aggregate" }, id: number): { scalar?: Scalar; block?: Block } {
    const listT = ir.exprs[x.list]!.type;
    const es = listT.k === "list" ? typeSize(listT.element) : 1;
    const cap = listT.k === "list" ? listT.capacity : 0;
    const list = block[x.list]!;
    const body = scalar[x.body];
    const bodyBlock = block[x.body]!;
    const bsz = size[x.body]!;
    const l = x.local;
    const agg = x.agg;
    const count = (base: number): number => Math.max(0, Math.min(cap, env.mem[base]! | 0));
    switch (agg) {
      case "any":
      case "all":
      case "count":
        return {
          scalar: () => {
            const base = list();
            const n = count(base);
            let c = 0;
            for (let i = 0; i < n; i++) {
              env.localOff[l] = base + 1 + i * es;
              const v = body!() !== 0;
              if (agg === "any" && v) return 1;
              if (agg === "all" && !v) return 0;
              if (v) c++;
            }
            return agg === "any" ? 0 : agg === "all" ? 1 : c;
          },
        };
      case "sum": {
        if (bsz === 1)
          return {
            scalar: () => {
              const base = list();
              const n = count(base);
              let acc = 0;
              for (let i = 0; i < n; i++) {
                env.localOff[l] = base + 1 + i * es;
                acc += body!();
              }
              return acc;
            },
          };
        const out = alloc(bsz);
        return {
          block: () => {
            const mem = env.mem;
            const base = list();
            const n = count(base);
            mem.fill(0, out, out + bsz);
            for (let i = 0; i < n; i++) {
              env.localOff[l] = base + 1 + i * es;
              const p = bodyBlock();
              for (let j = 0; j < bsz; j++) mem[out + j]! += mem[p + j]!;
            }
            return out;
          },
        };
      }
      case "min_of":
      case "max_of": {
        const wantMin = agg === "min_of";
        return {
          scalar: () => {
            const base = list();
            const n = count(base);
            if (n === 0) return 0;
            let best = 0;
            for (let i = 0; i < n; i++) {
              env.localOff[l] = base + 1 + i * es;
              const v = body!();
              if (i === 0 || (wantMin ? v < best : v > best)) best = v;
            }
            return best;
          },
        };
      }
      case "min_by":
      case "max_by": {
        const wantMin = agg === "min_by";
        const sz = size[id]!;
        // The chosen element is returned in place; an empty list yields the zero block. First wins on ties.
        const pick = (): number => {
          const base = list();
          const n = count(base);
          let bestOff = -1;
          let best = 0;
          for (let i = 0; i < n; i++) {
            const off = base + 1 + i * es;
            env.localOff[l] = off;
            const v = body!();
            if (bestOff < 0 || (wantMin ? v < best : v > best)) {
              best = v;
              bestOff = off;
            }
          }
          return bestOff < 0 ? zero : bestOff;
        };
        return sz === 1 ? { scalar: () => env.mem[pick()]!, block: pick } : { block: pick };
      }
    }
  }

  const mayFault: boolean[] = new Array(n).fill(false);
  for (let id = 0; id < n; id++) {
    const x = ir.exprs[id]!;
    if (x.k === "extern") mayFault[id] = true;
    else for (const k of exprOperands(x)) if (mayFault[k]) mayFault[id] = true;
  }
  return { scalar, block, target, size, mayFault, scratchSize: next - scratchBase, constInits, colBase };
}

/**
 * The scalar closure calling `f` (COMPONENTWISE[fn]). One closure literal per builtin: closures created at one
 * site share their call feedback, so a single generic site would call every builtin megamorphically (about 1.5×
 * slower on builtin-heavy policies); a site per builtin calls one known function, which V8 inlines.
 */
function scalarCall(fn: IRBuiltin, f: ComponentFn, a: Scalar, b: Scalar, c: Scalar): Scalar {
  switch (fn) {
    case "abs":
      return () => f(a(), 0, 0);
    case "sqrt":
      return () => f(a(), 0, 0);
    case "floor":
      return () => f(a(), 0, 0);
    case "ceil":
      return () => f(a(), 0, 0);
    case "round":
      return () => f(a(), 0, 0);
    case "sign":
      return () => f(a(), 0, 0);
    case "sin":
      return () => f(a(), 0, 0);
    case "cos":
      return () => f(a(), 0, 0);
    case "exp":
      return () => f(a(), 0, 0);
    case "log":
      return () => f(a(), 0, 0);
    case "int":
      return () => f(a(), 0, 0);
    case "float":
      return () => f(a(), 0, 0);
    case "min":
      return () => f(a(), b(), 0);
    case "max":
      return () => f(a(), b(), 0);
    case "atan2":
      return () => f(a(), b(), 0);
    case "pow":
      return () => f(a(), b(), 0);
    case "clamp":
      return () => f(a(), b(), c());
    default:
      return () => f(a(), b(), c());
  }
}
