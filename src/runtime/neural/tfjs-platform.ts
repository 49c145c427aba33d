// TensorFlow.js is loaded once per process (it keeps global state: one engine, one active backend). The backend
// is chosen in order of speed: tfjs-node when it is installed (native TensorFlow), else the WebAssembly backend
// with its .wasm binaries read from node_modules (never fetched), else the pure-JavaScript cpu backend.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { installWasmThreadWorkarounds } from "./tfjs-wasm-threads.ts";

export type Tfjs = typeof TF;
export type TfjsBackendName = "tensorflow" | "wasm" | "cpu";

export interface TfjsPlatform {
  readonly tf: Tfjs;
  readonly backend: TfjsBackendName;
  /** Threads the wasm backend computes on (1 on cpu; tfjs-node runs native TensorFlow's own threads and reports 1). */
  readonly threads: number;
}

export interface TfjsPlatformOptions {
  /** Force a backend instead of the best available one (tests use "cpu" and "wasm"). */
  readonly prefer?: TfjsBackendName;
  /**
   * Threads for the wasm backend (default 1). More than 1 starts TF.js's multi-threaded wasm build, which TF.js
   * itself leaves off in Node (see tfjs-wasm-threads.ts), with min(threads, 8, cores) threads. Its results are
   * bit-identical to one thread's; its speed depends on the other cores being free (see docs/neural.md).
   */
  readonly wasmThreads?: number;
}

let loading: Promise<TfjsPlatform> | undefined;
let activeOptions: TfjsPlatformOptions | undefined;

/**
 * Loads TF.js and selects its backend. The first call decides; later calls get the same platform (TF.js cannot
 * run two backends side by side), unless they ask for a different backend, which switches the global backend.
 * The wasm backend starts once per process, so the first call that starts it decides its threads.
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
      const threads = name === "wasm" ? await prepareWasm(tf, options.wasmThreads ?? 1) : undefined;
      if (await startBackend(tf, name, threads?.restore)) return { tf, backend: name, threads: threads?.count() ?? 1 };
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

async function startBackend(tf: Tfjs, name: TfjsBackendName, restore: (() => void) | undefined): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return true;
  } finally {
    restore?.();
  }
}

let wasmPrepared = false;

/**
 * Points the wasm backend at its binaries and, the first time, at its thread count. Returns the workarounds'
 * undo (when threads were asked for) and the thread count, readable once the backend has started.
 */
async function prepareWasm(tf: Tfjs, threads: number): Promise<{ restore?: () => void; count: () => number }> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const count = () => wasm.getThreadsCount();
  if (wasmPrepared) return { count };
  // setWasmPaths with a directory prefix makes the backend read tfjs-backend-wasm*.wasm from disk in Node.
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  wasm.setWasmPaths(`${dist}/`);
  if (!tf.findBackendFactory("wasm")) throw new Error("the wasm backend did not register");
  wasmPrepared = true;
  if (threads <= 1) return { count };
  let restore: () => void;
  try {
    restore = installWasmThreadWorkarounds();
  } catch {
    // An unchecked TF.js release: the single-threaded build, which `threads` then reports.
    return { count };
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(threads);
  return { restore, count };
}
