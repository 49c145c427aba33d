// Child process of tfjs-wasm-threads.test.ts: the wasm backend starts once per process, so each thread count
// gets a process of its own. Runs a TF.js model through openBackend on a batch of rows, then row by row, and
// prints the thread count and the batch's output bits as JSON.
//   node bin/run-ts.mjs test/neural/tfjs-threads-child.ts <model dir> <threads> <rows> <features>
import { openBackend } from "../../src/runtime/neural/backend.ts";
import { randomRows } from "./models.ts";

const [dir, threadsArg, rowsArg, featuresArg] = process.argv.slice(2);
const rows = randomRows(Number(rowsArg), Number(featuresArg), 5);
const backend = await openBackend(dir!, "tfjs", { tfjs: { prefer: "wasm", wasmThreads: Number(threadsArg) } });
const { loadTfjs } = await import("../../src/runtime/neural/tfjs-platform.ts");
const platform = await loadTfjs();
const batch = new Float32Array(rows.length * rows[0]!.length);
rows.forEach((r, i) => batch.set(r, i * r.length));
const [out] = await backend.run([{ data: batch, dims: [rows.length, rows[0]!.length] }]);
const perRow: Float32Array[] = [];
for (const r of rows) perRow.push((await backend.run([{ data: r, dims: [1, r.length] }]))[0]!.data);
await backend.close();
process.stdout.write(
  JSON.stringify({
    backend: platform.backend,
    threads: platform.threads,
    batch: Buffer.from(out!.data.buffer, out!.data.byteOffset, out!.data.byteLength).toString("base64"),
    perRow: Buffer.concat(perRow.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength))).toString("base64"),
  }),
);
