import { z } from "zod";
import { ExperimentSchema } from "./schema.js";

/** A JSON Schema node, as far as the experiment's uses it. */
export interface JsonSchemaNode {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
  propertyNames?: { enum?: string[] };
  const?: unknown;
  [key: string]: unknown;
}

let cached: JsonSchemaNode | undefined;

/** The JSON Schema of experiment files (what `proverlab schema` prints), built once. */
export function experimentJsonSchema(): JsonSchemaNode {
  cached ??= {
    ...(z.toJSONSchema(ExperimentSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode),
    title: "ProverLab experiment",
  };
  return cached;
}

/**
 * The keys a schema (an experiment's unless `root` says) allows in the object at `path` of `doc` (a document being validated): its
 * fields, or the names a map accepts (objective.weights). Where a field takes one of several forms
 * (an archetype's policy), the form its `kind` names.
 */
export function keysAt(path: readonly PropertyKey[], doc: unknown, root: JsonSchemaNode = experimentJsonSchema()): string[] {
  let nodes = [root];
  let value = doc;
  for (const key of path) {
    nodes = nodes
      .flatMap((n) => forms(n, value))
      .flatMap((n) => {
        const next = typeof key === "number" ? n.items : n.properties?.[String(key)];
        return next === undefined ? [] : [next];
      });
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  const keys = nodes.flatMap((n) => forms(n, value)).flatMap((n) => [...Object.keys(n.properties ?? {}), ...(n.propertyNames?.enum ?? [])]);
  return [...new Set(keys)];
}

/** A node's forms: the options of a oneOf/anyOf whose `kind` constant is the value's (all when none is), or the node itself. */
function forms(node: JsonSchemaNode, value: unknown): JsonSchemaNode[] {
  const options = node.oneOf ?? node.anyOf;
  if (options === undefined) return [node];
  const kind = value !== null && typeof value === "object" ? (value as { kind?: unknown }).kind : undefined;
  const named = options.filter((o) => o.properties?.kind?.const === kind);
  return named.length > 0 ? named : options;
}
