// W3: a generated behavior tree of about 1,000 nodes (sequences, selectors, conditions) over a vector of facts,
// for measuring the cost per node visited. The shape mirrors a real decision tree: the root is a selector of
// branches, each branch a sequence of one condition subtree and one action leaf; the last branch is a bare
// fallback action. Generation is a pure function of (seed, target size).

import { Xoshiro128 } from "../../../src/runtime/rng.ts";

export type W3Node =
  | { readonly kind: "sequence"; readonly children: readonly W3Node[] }
  | { readonly kind: "selector"; readonly children: readonly W3Node[] }
  /** Succeeds when boolean fact `fact` (stored as 0 or 1) is 1. */
  | { readonly kind: "fact-true"; readonly fact: number }
  /** Succeeds when numeric fact `fact` is strictly greater than `threshold`. */
  | { readonly kind: "fact-above"; readonly fact: number; readonly threshold: number }
  /** Records `action` as the agent's decision and succeeds. */
  | { readonly kind: "act"; readonly action: number };

export interface W3Tree {
  readonly root: W3Node;
  readonly nodeCount: number;
  /** Facts per agent; the first `booleanFacts` are 0/1, the rest uniform in [0, 1). */
  readonly factCount: number;
  readonly booleanFacts: number;
  /** Action codes are 1..actionCount; 0 never appears, as in W1. */
  readonly actionCount: number;
}

export interface W3TreeOptions {
  seed: number;
  targetNodes: number;
  factCount?: number;
  maxDepth?: number;
}

export function generateTree(options: W3TreeOptions): W3Tree {
  const factCount = options.factCount ?? 64;
  const booleanFacts = factCount >> 1;
  const maxDepth = options.maxDepth ?? 5;
  const rng = new Xoshiro128(options.seed, 0);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  let nodes = 0;

  const condition = (depth: number): W3Node => {
    nodes++;
    if (depth >= maxDepth || (depth > 0 && rng.next() < 0.4)) {
      const fact = int(0, factCount - 1);
      if (fact < booleanFacts) return { kind: "fact-true", fact };
      // Thresholds on a 1/100 grid keep the generated hand-written source short and exact.
      return { kind: "fact-above", fact, threshold: int(40, 90) / 100 };
    }
    const children: W3Node[] = [];
    const arity = int(2, 4);
    for (let c = 0; c < arity; c++) children.push(condition(depth + 1));
    // A branch guard is always a sequence, so most branches fail part-way and the selector tries the next one:
    // a tick then walks a good share of the tree, which is what this workload measures.
    const kind = depth === 0 || rng.next() < 0.5 ? "sequence" : "selector";
    return { kind, children };
  };

  const branches: W3Node[] = [];
  nodes = 1; // the root selector
  while (nodes < options.targetNodes - 1) {
    const guard = condition(0);
    nodes += 2; // the branch sequence and its action
    branches.push({ kind: "sequence", children: [guard, { kind: "act", action: branches.length + 1 }] });
  }
  branches.push({ kind: "act", action: branches.length + 1 });
  nodes += 1;
  return { root: { kind: "selector", children: branches }, nodeCount: nodes, factCount, booleanFacts, actionCount: branches.length };
}

/** Counts the nodes of a tree by walking it (used to check the generator's own count). */
export function countNodes(node: W3Node): number {
  if (node.kind === "sequence" || node.kind === "selector") {
    let n = 1;
    for (const child of node.children) n += countNodes(child);
    return n;
  }
  return 1;
}
