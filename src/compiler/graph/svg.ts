// DOT → SVG through Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): the wasm binary ships inside the
// package's JavaScript, so rendering needs no native install and no network. Loaded on first use only, so the
// dot and mermaid formats never pay for it.
import type { Graphviz } from "@hpcc-js/wasm-graphviz";

let loading: Promise<Graphviz> | undefined;

export function loadGraphviz(): Promise<Graphviz> {
  loading ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load());
  return loading;
}

/** Lays `dot` out with the `dot` engine and returns the SVG document. Throws Graphviz's message on a bad graph. */
export async function renderSvg(dot: string): Promise<string> {
  const graphviz = await loadGraphviz();
  return graphviz.layout(dot, "svg", "dot");
}
