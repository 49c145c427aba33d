// TF.js's multi-threaded wasm build under Node. TF.js ships it (tfjs-backend-wasm-threaded-simd.wasm: XNNPACK
// on a pthreadpool of Emscripten workers) but turns it off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false when
// IS_NODE), and forcing the flag on fails three ways, each worked around here for the duration of one backend
// start-up:
//   1. the pthread workers are created from a `blob:` URL, which Node's Worker refuses: the global `Worker` the
//      Emscripten glue reads is replaced by a worker_threads Worker running the same worker source (shipped in
//      wasm-out/…worker.js) with `eval`;
//   2. each worker then loads the main script from a Blob holding a function that refers to the bundle's own
//      variables, which do not exist in the worker: the "load" message is pointed at the standalone script
//      (wasm-out/tfjs-backend-wasm-threaded-simd.js), which the worker source can read from disk;
//   3. the thread count is capped at os.cpus().length / 2 (TF.js assumes two hardware threads per core), so a
//      2-core machine would get one thread: os.cpus reports twice the cores while the module starts.
// Idle pool threads are kept from holding the process open (Emscripten refs a worker while its thread runs, and
// a pool thread runs for the life of the process). All of this leans on the glue of one TF.js release, so it
// is enabled only for the versions it was checked against; the results are bit-identical to the single-threaded
// build for every batch size (XNNPACK splits the rows and columns of a product, never its sums).
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";
import { Worker as NodeWorker } from "node:worker_threads";

/** tfjs-backend-wasm versions whose Emscripten glue the workarounds were checked against. */
const CHECKED_VERSIONS = /^4\.22\./;

interface LoadMessage {
  readonly cmd: "load";
  readonly urlOrBlob: unknown;
}

function isLoadMessage(message: unknown): message is LoadMessage {
  return typeof message === "object" && message !== null && (message as { cmd?: unknown }).cmd === "load";
}

/**
 * Installs the workarounds; call before `tf.setBackend("wasm")` and call the returned function once the backend
 * is ready (or failed), which puts the global `Worker` and `os.cpus` back. Throws when the installed
 * tfjs-backend-wasm is not a checked version.
 */
export function installWasmThreadWorkarounds(): () => void {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  const version = (require(join(root, "package.json")) as { version: string }).version;
  if (!CHECKED_VERSIONS.test(version)) {
    throw new Error(`threads for the TF.js wasm backend are supported with @tensorflow/tfjs-backend-wasm 4.22, not ${version}`);
  }
  const mainScript = join(root, "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
  // The source is a JavaScript string literal's content; TF.js escapes its newlines the same way before use.
  const workerSource = (require(join(root, "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js")) as { wasmWorkerContents: string })
    .wasmWorkerContents.replace(/\n/g, "\\n");

  class PthreadWorker extends NodeWorker {
    constructor(_blobUrl: unknown) {
      super(workerSource, { eval: true });
    }
    override postMessage(message: unknown, transfer?: Parameters<NodeWorker["postMessage"]>[1]): void {
      super.postMessage(isLoadMessage(message) ? { ...message, urlOrBlob: mainScript } : message, transfer);
    }
    override ref(): void {
      // Pool threads idle for the life of the process; they must not keep it from exiting.
    }
  }

  // The glue assigns Node's Worker to the global when it starts and reads it whenever it creates a thread: the
  // assignment is ignored while it starts, and afterwards the global is left as the glue itself would leave it,
  // a Worker class, ours, for any thread it creates later.
  Object.defineProperty(globalThis, "Worker", { configurable: true, get: () => PthreadWorker, set: () => {} });
  const cpus = os.cpus;
  os.cpus = () => {
    const real = cpus();
    return [...real, ...real];
  };
  return () => {
    os.cpus = cpus;
    Object.defineProperty(globalThis, "Worker", { configurable: true, writable: true, value: PthreadWorker });
  };
}
