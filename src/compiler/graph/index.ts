// `hpol graph`'s compiler side: IR → PolicyGraph (build.ts) → one renderer per format.
export { buildGraph, layerNames, type GraphOptions, type GraphWhat, type SubtreeDecl } from "./build.ts";
export type { PolicyGraph, GraphNode, GraphEdge, GraphCluster, NodeRole } from "./model.ts";
export { renderDot } from "./dot.ts";
export { renderMermaid } from "./mermaid.ts";
export { renderSvg } from "./svg.ts";
