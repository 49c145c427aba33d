// TF.js IO handlers over the local file system: a layers or graph model is a model.json plus weight files next
// to it. TF.js's own file:// handlers live in tfjs-node, which hpol does not require, and its http handler
// would reach the network; these read and write files and nothing else.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { insideRoots, realpathOrUndefined } from "./model-paths.ts";

type ModelArtifacts = TF.io.ModelArtifacts;
type IOHandler = TF.io.IOHandler;

interface WeightsGroup {
  readonly paths: readonly string[];
  readonly weights: readonly TF.io.WeightsManifestEntry[];
}

function joinBuffers(buffers: readonly Uint8Array[]): ArrayBuffer {
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

function weightBytes(data: TF.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  return new Uint8Array(joinBuffers(parts.map((b) => new Uint8Array(b))));
}

/** Saves model.json and one weights.bin into `dir` (created if needed). */
export function tfjsFileSaveHandler(dir: string): IOHandler {
  return {
    save: async (artifacts: ModelArtifacts) => {
      mkdirSync(dir, { recursive: true });
      const weights = weightBytes(artifacts.weightData);
      const manifest: WeightsGroup[] = [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }];
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: manifest,
        ...(artifacts.signature ? { signature: artifacts.signature } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      writeFileSync(join(dir, "model.json"), JSON.stringify(modelJson));
      writeFileSync(join(dir, "weights.bin"), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(0),
          modelTopologyType: "JSON",
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}

/**
 * Loads model.json at `modelJsonPath` and the weight files its manifest names, resolved next to it. Weight
 * paths may not leave the model's directory.
 */
export function tfjsFileLoadHandler(modelJsonPath: string): IOHandler {
  return {
    load: async (): Promise<ModelArtifacts> => {
      const json = JSON.parse(readFileSync(modelJsonPath, "utf8")) as {
        modelTopology?: object;
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        weightsManifest?: WeightsGroup[];
        signature?: object;
        userDefinedMetadata?: Record<string, object>;
        modelInitializer?: object;
      };
      if (!json.modelTopology) throw new Error(`${modelJsonPath} has no modelTopology`);
      const base = dirname(resolve(modelJsonPath));
      const specs: TF.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const path of group.paths) {
          const full = resolve(base, path);
          // The model paths' rule (symbolic links resolved): weights stay in the model's own directory.
          if (full === base || !insideRoots(full, [base], realpathOrUndefined)) throw new Error(`weight file ${path} is outside ${base}`);
          buffers.push(readFileSync(full));
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        weightSpecs: specs,
        weightData: joinBuffers(buffers),
        ...(json.signature ? { signature: json.signature } : {}),
        ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
        ...(json.modelInitializer ? { modelInitializer: json.modelInitializer } : {}),
      };
    },
  };
}
