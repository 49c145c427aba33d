// Subtrees: checked once, on first call (or at the end when never called), with their effects memoised.
// The stack of trees being checked detects recursion among subtrees: a cycle would make a tick unbounded.
import type * as A from "../../grammar/ast.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import type { ParamSymbol, TreeSymbol } from "../resolve/symbols.ts";
import { declaredType } from "./declared-types.ts";
import { checkAssigned } from "./expr.ts";
import { checkNode } from "./nodes.ts";
import { layerState, type BodyContext, type CheckState, type Scope } from "./state.ts";
import type { TreeEffects } from "./typed-program.ts";

export function treeEffects(cx: CheckState, symbol: TreeSymbol, call?: { file: string; node: A.CallNode }): TreeEffects | undefined {
  const done = cx.trees.get(symbol);
  if (done !== undefined) return done;
  const onStack = cx.treeStack.indexOf(symbol);
  if (onStack >= 0) {
    if (call && !cx.recursive.has(symbol)) {
      for (const t of cx.treeStack.slice(onStack)) cx.recursive.add(t);
      const cycle = [...cx.treeStack.slice(onStack), symbol].map((t) => t.name).join(" → ");
      cx.report(structureCodes.recursion, call.file, call.node.tree.span, { cycle });
    }
    return undefined;
  }
  cx.treeStack.push(symbol);
  const decl = symbol.decl;
  const module = cx.program.scopes.get(symbol.file)!;
  const params = new Map<string, ParamSymbol>();
  const constantScope: Scope = { module, file: symbol.file, where: "in a parameter default", constant: true };
  for (const p of decl.params) {
    const type = declaredType(cx, module, p.type);
    if (params.has(p.name.name)) {
      cx.report(namesCodes.duplicate, symbol.file, p.name.span, { name: p.name.name, where: `the parameters of \`${symbol.name}\`` });
      continue;
    }
    if (p.default) checkAssigned(cx, constantScope, p.default, type);
    const param: ParamSymbol = { kind: "param", id: cx.program.ids.take(), name: p.name.name, file: symbol.file, nameSpan: p.name.span, used: false, decl: p, type };
    cx.bindings.set(p.name, param);
    params.set(p.name.name, param);
  }
  const state = layerState(cx, module, decl, decl.state, symbol.name);
  const body: BodyContext = { kind: "tree", name: symbol.name, writableOut: true, written: new Map(), initialised: new Set() };
  const scope: Scope = { module, file: symbol.file, locals: { names: params }, obs: cx.observation, state, where: `in tree \`${symbol.name}\``, body };
  const outcome = checkNode(cx, scope, decl.body);
  cx.treeStack.pop();
  const effects: TreeEffects = { writes: body.written, canSucceed: outcome.canSucceed, canFail: outcome.canFail };
  cx.trees.set(symbol, effects);
  return effects;
}
