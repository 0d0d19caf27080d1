import { experimentJsonSchema } from "../config/jsonSchema.js";
import { toJson } from "../results/json.js";

/** `proverlab schema`: the experiment file's JSON Schema, every field described, for editor completion, hovers and validation. */
export function printSchema(write: (text: string) => void): void {
  write(toJson(experimentJsonSchema()));
}
