// The W3 floor: the code a programmer would write by hand for this particular tree — one `if` per branch over a
// nested &&/|| expression of fact tests. Because the tree is generated, that code is generated too (as source
// text, compiled once by the JavaScript engine); nothing about the tree is interpreted at run time.

import type { W3Impl, W3Pool } from "./impl.ts";
import type { FactsWorld } from "./facts.ts";
import type { W3Node, W3Tree } from "./tree.ts";

function expression(node: W3Node): string {
  switch (node.kind) {
    case "sequence":
      return `(${node.children.map(expression).join(" && ")})`;
    case "selector":
      return `(${node.children.map(expression).join(" || ")})`;
    case "fact-true":
      return `f[b + ${node.fact}] === 1`;
    case "fact-above":
      return `f[b + ${node.fact}] > ${node.threshold}`;
    case "act":
      throw new Error("W3 trees place actions only at the end of top-level branches");
  }
}

/** JavaScript source of `(f, b) => action` for the tree: `if (guard) return k;` per branch, in order. */
export function handwrittenSource(tree: W3Tree): string {
  if (tree.root.kind !== "selector") throw new Error("W3 root must be a selector");
  const lines: string[] = [];
  for (const branch of tree.root.children) {
    if (branch.kind === "act") {
      lines.push(`return ${branch.action};`);
    } else if (branch.kind === "sequence" && branch.children.length === 2 && branch.children[1].kind === "act") {
      lines.push(`if ${expression(branch.children[0])} return ${branch.children[1].action};`);
    } else {
      throw new Error("W3 branches are sequence(guard, act) or a bare act");
    }
  }
  lines.push("return 0;");
  return lines.join("\n");
}

export const handwrittenW3: W3Impl = {
  name: "hand-written",
  createPool(tree: W3Tree, world: FactsWorld): W3Pool {
    const decide = new Function("f", "b", handwrittenSource(tree)) as (f: Float64Array, b: number) => number;
    const actions = new Int32Array(world.agentCount);
    const f = world.facts;
    const stride = world.factCount;
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < world.agentCount; i++) actions[i] = decide(f, i * stride);
      },
    };
  },
};
