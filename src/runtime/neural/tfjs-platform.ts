// TensorFlow.js is loaded once per process (it keeps global state: one engine, one active backend). The backend
// is chosen in order of speed: tfjs-node when it is installed (native TensorFlow), else the WebAssembly backend
// with its .wasm binaries read from node_modules (never fetched), else the pure-JavaScript cpu backend.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TF from "@tensorflow/tfjs";

export type Tfjs = typeof TF;
export type TfjsBackendName = "tensorflow" | "wasm" | "cpu";

export interface TfjsPlatform {
  readonly tf: Tfjs;
  readonly backend: TfjsBackendName;
}

export interface TfjsPlatformOptions {
  /** Force a backend instead of the best available one (tests use "cpu" and "wasm"). */
  readonly prefer?: TfjsBackendName;
}

let loading: Promise<TfjsPlatform> | undefined;
let activeOptions: TfjsPlatformOptions | undefined;

/**
 * Loads TF.js and selects its backend. The first call decides; later calls get the same platform (TF.js cannot
 * run two backends side by side), unless they ask for a different backend, which switches the global backend.
 */
export function loadTfjs(options: TfjsPlatformOptions = {}): Promise<TfjsPlatform> {
  if (loading && (options.prefer === undefined || options.prefer === activeOptions?.prefer)) return loading;
  activeOptions = options;
  loading = selectBackend(options);
  return loading;
}

async function selectBackend(options: TfjsPlatformOptions): Promise<TfjsPlatform> {
  const candidates: TfjsBackendName[] = options.prefer ? [options.prefer] : ["tensorflow", "wasm", "cpu"];
  if (options.prefer && options.prefer !== "cpu") candidates.push("cpu");
  // tfjs-node bundles its own copy of @tensorflow/tfjs; use that copy so models and tensors share one engine.
  for (const name of candidates) {
    try {
      const tf = name === "tensorflow" ? await importTfjsNode() : await importTfjs();
      if (name === "wasm") await prepareWasm(tf);
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { tf, backend: name };
      }
    } catch {
      // Not installed or not loadable here: try the next candidate.
    }
  }
  throw new Error("no TensorFlow.js backend could be initialised");
}

async function importTfjs(): Promise<Tfjs> {
  return (await import("@tensorflow/tfjs")) as Tfjs;
}

async function importTfjsNode(): Promise<Tfjs> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional package to exist.
  const specifier = "@tensorflow/tfjs-node";
  return (await import(specifier)) as Tfjs;
}

let wasmPrepared = false;

async function prepareWasm(tf: Tfjs): Promise<void> {
  if (wasmPrepared) return;
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // setWasmPaths with a directory prefix makes the backend read tfjs-backend-wasm*.wasm from disk in Node.
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  wasm.setWasmPaths(`${dist}/`);
  if (!tf.findBackendFactory("wasm")) throw new Error("the wasm backend did not register");
  wasmPrepared = true;
}
