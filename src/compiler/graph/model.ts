// The small graph model every renderer draws: plain nodes, edges and (nested) clusters with display text that
// is still raw — each renderer escapes it for its own syntax, so no text here is ever pre-escaped.
//
// Invariants (checked by the tests): node and cluster ids are unique ASCII identifiers ([A-Za-z0-9_]), every
// edge's endpoints are nodes of the graph, every `cluster` of a node or cluster names an existing cluster, and
// clusters nest without cycles (a cluster's parent is created before it, so `clusters` is parent first).

/** What a node stands for; renderers map each role to one shape and colour. */
export type NodeRole =
  | "composite"
  | "decorator"
  | "condition"
  | "action"
  | "neural"
  | "status"
  | "event"
  | "planner"
  | "channel"
  | "executor"
  | "arbiter"
  | "shield"
  | "output";

export interface GraphNode {
  readonly id: string;
  readonly role: NodeRole;
  /** First line, drawn bold: the node kind with its parameters (`retry(3)`, `planner strategist`). */
  readonly title: string;
  /** Further lines: conditions, assignments, labels, rates. Already shortened to a readable width. */
  readonly lines: readonly string[];
  /** Hover text: the IR id, the full text of shortened lines and the source position. */
  readonly tooltip: string;
  /** The IR tree node id, for tree nodes. */
  readonly irNode?: number;
  readonly cluster?: string;
}

/** `child`: parent → child in a tree; `flow`: data or control between layer-diagram stages. */
export type EdgeRole = "child" | "flow";

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly role: EdgeRole;
  readonly label?: string;
  /** 1-based position of a child among several siblings (tick order), drawn at the child's end of the edge. */
  readonly order?: number;
}

export interface GraphCluster {
  readonly id: string;
  readonly label: string;
  readonly tooltip: string;
  readonly kind: "layer" | "subtree" | "diagram";
  readonly parent?: string;
}

export interface PolicyGraph {
  readonly title: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Parent first. */
  readonly clusters: readonly GraphCluster[];
}

/** Items grouped by key, each group in input order (renderers group nodes by cluster and clusters by parent). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export interface ClusterVisitor {
  /** Nodes directly in a cluster (`undefined`: the top level), at nesting depth `depth` (top level 0). */
  nodes(nodes: readonly GraphNode[], depth: number): void;
  open(cluster: GraphCluster, depth: number): void;
  close(cluster: GraphCluster, depth: number): void;
}

/**
 * Walks the cluster tree depth first, in creation order: top-level nodes, then each cluster opened, its nodes, its
 * sub-clusters, closed. Iterative, so nesting depth is bounded by memory only.
 */
export function walkClusters(graph: PolicyGraph, visitor: ClusterVisitor): void {
  const nodesIn = groupBy(graph.nodes, (n) => n.cluster);
  const childClusters = groupBy(graph.clusters, (c) => c.parent);
  visitor.nodes(nodesIn.get(undefined) ?? [], 0);
  const stack: { cluster: GraphCluster; depth: number; done: boolean }[] = [];
  const pushChildren = (parent: string | undefined, depth: number): void => {
    const children = childClusters.get(parent) ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ cluster: children[i]!, depth, done: false });
  };
  pushChildren(undefined, 1);
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.done) {
      visitor.close(frame.cluster, frame.depth);
      continue;
    }
    visitor.open(frame.cluster, frame.depth);
    visitor.nodes(nodesIn.get(frame.cluster.id) ?? [], frame.depth);
    stack.push({ ...frame, done: true });
    pushChildren(frame.cluster.id, frame.depth + 1);
  }
}
