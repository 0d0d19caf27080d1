import { z } from "zod";
import { ExperimentSchema } from "../config/schema.js";
import { toJson } from "../results/json.js";

/** `proverlab schema`: the experiment file's JSON Schema, for editor completion and validation. */
export function printSchema(write: (text: string) => void): void {
  const schema = z.toJSONSchema(ExperimentSchema, { io: "input", unrepresentable: "any" });
  write(toJson({ ...schema, title: "ProverLab experiment" }));
}
