// HP81xx — neural inference faults. Each one fails the affected requests only (the infer node fails for those
// agents, so a fallback sibling takes over); the pool and the other agents' requests carry on. The generic
// HP8030 ("inference failed") in ../errors.ts stays for callers without a more precise code.
import type { RuntimeCodeEntry } from "../errors.ts";

function defineNeuralCode<P>(entry: RuntimeCodeEntry<P>): RuntimeCodeEntry<P> {
  return entry;
}

export const neuralCodes = {
  modelUnavailable: defineNeuralCode<{ model: string; path: string; reason: string }>({
    code: "HP8100",
    severity: "error",
    title: "model could not be loaded",
    message: (p) => `model \`${p.model}\` could not be loaded from ${p.path}: ${p.reason}`,
    explanation:
      "The model's session is created on its first use. A file that is missing, unreadable or not a valid model " +
      "fails every request for that model; the check at compile time catches this unless the file changed since.",
    example: "A pool whose spec declares `model Aim = onnx(\"aim.onnx\")` after aim.onnx was deleted.",
  }),
  inferenceFailed: defineNeuralCode<{ model: string; error: string }>({
    code: "HP8101",
    severity: "error",
    title: "the inference runtime reported an error",
    message: (p) => `inference with model \`${p.model}\` failed: ${p.error}`,
    explanation:
      "The backend (onnxruntime-node or TensorFlow.js) raised an error while running the batch, for example an " +
      "operator that rejects the input. Every request of that batch fails; later batches are tried again.",
    example: "A model with a Reshape whose target size does not divide the batch.",
  }),
  nonFiniteOutput: defineNeuralCode<{ model: string; output: string; index: number; value: string }>({
    code: "HP8102",
    severity: "error",
    title: "model output is NaN or infinite",
    message: (p) => `model \`${p.model}\` produced ${p.value} in output \`${p.output}\` at element ${p.index}`,
    explanation:
      "Outputs are checked before any agent sees them: a NaN or an infinity would otherwise flow into states and " +
      "outputs. Only the agents whose rows hold a non-finite value fail; the other rows of the batch are used.",
    example: "A model computing Log(x) given a negative observation.",
  }),
  wrongOutputShape: defineNeuralCode<{ model: string; output: string; expected: string; actual: string }>({
    code: "HP8103",
    severity: "error",
    title: "model output has the wrong shape",
    message: (p) => `model \`${p.model}\` output \`${p.output}\` has shape ${p.actual}, expected ${p.expected}`,
    explanation:
      "The output's shape must be the batch size followed by the declared per-agent shape. A model that computes a " +
      "different shape than it declares (or collapses the batch dimension) fails every request of that batch.",
    example: "A model declaring output [batch, 8] that computes [batch, 4].",
  }),
  wrongInputSize: defineNeuralCode<{ model: string; input: string; expected: number; actual: number }>({
    code: "HP8104",
    severity: "error",
    title: "request input has the wrong size",
    message: (p) => `request for model \`${p.model}\` gives ${p.actual} values for input \`${p.input}\`, expected ${p.expected}`,
    explanation: "Each request must give one row per model input with the per-agent element count of that input.",
    example: "Submitting 31 floats for a model input of shape [batch, 32].",
  }),
  unknownModel: defineNeuralCode<{ model: number; count: number }>({
    code: "HP8105",
    severity: "error",
    title: "unknown model index",
    message: (p) => `request names model #${p.model}, but the host knows ${p.count} model(s)`,
    explanation: "The model index of a request is its position in the policy's model table.",
    example: "host.submit(3, inputs) on a host built for two models.",
  }),
  hostClosed: defineNeuralCode<{ model: string }>({
    code: "HP8106",
    severity: "error",
    title: "neural host closed",
    message: (p) => `request for model \`${p.model}\` was made after the neural host was closed`,
    explanation: "A closed host has released its sessions; requests made afterwards fail instead of reopening them.",
    example: "pool.close() followed by another pool.step().",
  }),
  modelOutsideRoots: defineNeuralCode<{ model: string; path: string; roots: string }>({
    code: "HP8107",
    severity: "error",
    title: "model file outside the allowed directories",
    message: (p) => `model \`${p.model}\` is not opened: ${p.path} is outside the allowed directories (${p.roots})`,
    explanation:
      "The runtime opens model files only inside the directories the host allows — by default the directory of the " +
      "policy's spec (createNeuralHost's specDir), plus any given as `modelRoots` — after resolving symbolic links. " +
      "This repeats the compiler's check (HP5020) for IR loaded directly, which may come from an untrusted source. " +
      "Every request for that model fails, so the infer node's fallback runs.",
    example: "An IR whose model path is \"../../etc/passwd\", run with createNeuralHost(ir, specDir).",
  }),
} as const;

export type NeuralCodeName = keyof typeof neuralCodes;

/** Every neural entry, for catalog listings (`hpol explain --list`). */
export function allNeuralCodes(): RuntimeCodeEntry<never>[] {
  return Object.values(neuralCodes) as unknown as RuntimeCodeEntry<never>[];
}

/** The entry for a code string such as "HP8102", e.g. to turn an error result into a RuntimeError. */
export function neuralCodeEntry(code: string): RuntimeCodeEntry<never> | undefined {
  return allNeuralCodes().find((entry) => entry.code === code);
}
