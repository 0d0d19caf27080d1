import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readModelFile, saveModelFile } from "../../src/ml/modelFile.js";
import { tmp } from "../support/cli.js";

function savedModel(): { path: string; model: Record<string, unknown> } {
  const meta = { inputs: ["a", "b"], actions: ["x"], hidden: [2], backend: "cpu" };
  const path = saveModelFile(tmp(), {}, [{ name: "w", shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) }], meta);
  return { path, model: JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown> };
}

describe("model.json", () => {
  it("reads back what was saved", () => {
    const { path } = savedModel();
    const { meta, weights } = readModelFile(path, "--controller");
    expect(meta.inputs).toEqual(["a", "b"]);
    expect(Array.from(weights[0]!.values)).toEqual([1, 2, 3, 4]);
  });

  it("a field of the wrong type is one line naming the file and the field, not a TypeError", () => {
    const cases: [string, unknown, string][] = [
      ["proverlab.inputs", 5, "proverlab.inputs"],
      ["proverlab.actions", [1], "proverlab.actions"],
      ["proverlab.hidden", "32", "proverlab.hidden"],
      ["proverlab.hidden", [1e9], "proverlab.hidden"],
      ["weightsManifest.0.paths", "weights.bin", "weightsManifest.0.paths"],
      ["weightsManifest.0.weights", 3, "weightsManifest.0.weights"],
      ["weightsManifest.0.weights.0.shape", [2, "2"], "weightsManifest.0.weights"],
    ];
    for (const [at, value, field] of cases) {
      const { path, model } = savedModel();
      const keys = at.split(".");
      const parent = keys.slice(0, -1).reduce((node, k) => (node as Record<string, unknown>)[k], model as unknown);
      (parent as Record<string, unknown>)[keys.at(-1)!] = value;
      writeFileSync(path, JSON.stringify(model));
      expect(() => readModelFile(path, "--controller")).toThrow(
        `--controller: ${path}: ${field} is missing or of the wrong type; give the model.json a training run wrote`,
      );
    }
    for (const content of ["5", "[]", "null", '{"proverlab": 5, "weightsManifest": []}']) {
      const { path } = savedModel();
      writeFileSync(path, content);
      expect(() => readModelFile(path, "--controller")).toThrow(`--controller: ${path} is not a ProverLab policy`);
    }
    expect(() => readModelFile(join(tmp(), "none.json"), "--controller")).toThrow(/^--controller: cannot read /);
  });
});
