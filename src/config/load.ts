import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError } from "./errors.js";
import { readInputFile } from "./inputFile.js";
import { parseYamlStrict, YamlProblem } from "./yaml.js";
import { ExperimentSchema, type Experiment } from "./schema.js";
import { resolveParams } from "./resolve.js";
import { isNonFinite, keyText, valueText } from "./valueText.js";
import { experimentJsonSchema, keysAt, type JsonSchemaNode } from "./jsonSchema.js";
import { unknownParameters } from "./paramNames.js";
import { closest } from "./suggest.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads, overrides and validates an experiment file. Throws ConfigError, never a stack trace. */
export function loadExperiment(path: string, sets: readonly string[] = []): Experiment {
  const text = readInputFile(path, "experiment", "give the path of a YAML experiment file");
  let raw: unknown;
  try {
    raw = parseYamlStrict(text);
  } catch (err) {
    if (!(err instanceof YamlProblem)) throw err;
    const where = err.line === null ? "" : ` at line ${err.line}`;
    throw new ConfigError(basename(path), `invalid YAML${where} (${err.what}); fix the syntax`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(basename(path), "the file must hold a YAML mapping (name: ..., demand: ..., ...)");
  }
  const doc = raw as { [key: string]: Json };
  for (const set of sets) applySet(doc, set);
  const exp = validateExperiment(doc);
  const network = exp.provers.policyNetwork;
  if (network.file) {
    network.file = resolve(dirname(path), network.file);
    if (!existsSync(network.file)) {
      throw new ConfigError(
        "provers.policyNetwork.file",
        `${network.file} does not exist; give the model.json a \`proverlab train\` run wrote`,
      );
    }
  }
  return exp;
}

/**
 * Validates an experiment document. Every problem the schema finds, and every unknown name in
 * tune.params and controller.params, is reported at once (one ConfigError carrying the others).
 */
export function validateExperiment(doc: unknown): Experiment {
  const result = ExperimentSchema.safeParse(doc);
  const problems = [
    // One problem per field: zod may report two for one value (an integer past 2^53 - 1 and over the maximum).
    ...(result.success ? [] : schemaProblems(result.error.issues, doc, "experiment", experimentJsonSchema())),
    ...(["tune", "controller"] as const).flatMap((section) => {
      const names = valueAt(doc, [section, "params"]);
      return Array.isArray(names) ? unknownParameters(names, `${section}.params`, true) : [];
    }),
  ];
  if (problems.length > 0 || !result.success) throw ConfigError.of(problems);
  checkSize(result.data);
  resolveParams(result.data);
  return result.data;
}

/** Most provers in one population, and most prover-slots (provers x slots) in one episode: about 10 minutes of simulation. */
export const MAX_PROVERS = 100_000;
export const MAX_PROVER_SLOTS = 5e9;
/** Most transactions simulated one by one (validation mode, demand.jobPerTransaction). */
export const MAX_TRANSACTION_JOBS = 1e8;

/** Refuses an episode too large to finish, with the field to change. */
function checkSize(exp: Experiment): void {
  const provers = exp.provers.archetypes.reduce((n, a) => n + a.count, 0);
  if (provers > MAX_PROVERS) {
    throw new ConfigError(
      "provers.archetypes",
      `${provers.toLocaleString("en-US")} provers in all; the model runs at most ${MAX_PROVERS.toLocaleString("en-US")}, use smaller counts`,
    );
  }
  const slots = exp.horizonEpochs * exp.time.slotsPerEpoch;
  if (provers * slots > MAX_PROVER_SLOTS) {
    throw new ConfigError(
      "horizonEpochs",
      `${provers.toLocaleString("en-US")} provers x ${slots.toLocaleString("en-US")} slots is over the ${MAX_PROVER_SLOTS.toExponential()} prover-slots an episode may take; shorten the horizon or use fewer provers`,
    );
  }
  if (exp.demand.jobPerTransaction) {
    const jobs = exp.demand.baseTps * slots * exp.time.slotSeconds;
    if (jobs > MAX_TRANSACTION_JOBS) {
      throw new ConfigError(
        "demand.baseTps",
        `with jobPerTransaction about ${jobs.toExponential(2)} transactions would each be a job, over ${MAX_TRANSACTION_JOBS.toExponential()}; lower baseTps or the horizon`,
      );
    }
  }
}

/** Applies one `a.b.c=value` override; the value is read as YAML (numbers, booleans, lists). */
export function applySet(doc: { [key: string]: Json }, set: string): void {
  const eq = set.indexOf("=");
  if (eq <= 0) throw new ConfigError("--set", `'${set}' is not key=value; write --set a.b.c=value`);
  const path = set.slice(0, eq).split(".");
  if (path.some((k) => k === "")) throw new ConfigError("--set", `'${set.slice(0, eq)}' has an empty key; write --set a.b.c=value`);
  let value: Json;
  try {
    value = parseYamlStrict(set.slice(eq + 1)) as Json;
  } catch (err) {
    if (!(err instanceof YamlProblem)) throw err;
    throw new ConfigError(`--set ${set.slice(0, eq)}`, "the value is not valid YAML; quote strings that contain ': ' or '#'");
  }
  const forbidden = path.find((k) => FORBIDDEN_KEYS.has(k));
  if (forbidden !== undefined) {
    throw new ConfigError(`--set ${set.slice(0, eq)}`, `'${forbidden}' is not a field of an experiment; see 'proverlab schema'`);
  }
  let node: Json = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const container = node as { [key: string]: Json } | Json[];
    if (Array.isArray(container)) checkIndex(container, key, path.slice(0, i + 1));
    let next: Json | undefined = Array.isArray(container) ? container[Number(key)] : container[key];
    if (next === undefined || next === null) {
      next = {};
      if (Array.isArray(container)) container[Number(key)] = next;
      else container[key] = next;
    }
    if (typeof next !== "object") {
      throw new ConfigError(`--set ${path.slice(0, i + 1).join(".")}`, `is a ${typeof next}, not a section; set it directly`);
    }
    node = next;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) {
    checkIndex(node, last, path);
    node[Number(last)] = value;
  } else (node as { [key: string]: Json })[last] = value;
}

/** Keys that would reach an object's prototype rather than a field. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A list is indexed by 0 .. its length (the length appends). */
function checkIndex(list: Json[], key: string, path: readonly string[]): void {
  if (!/^\d+$/.test(key) || Number(key) > list.length) {
    throw new ConfigError(`--set ${path.join(".")}`, `${path.slice(0, -1).join(".")} is a list; use an index from 0 to ${list.length}`);
  }
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * The problems zod found in a document, one per field: `root` names the document where a problem has no
 * field, `schema` (its JSON Schema) lists the keys a misspelt one may have meant, `help` is where its fields are explained.
 */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  doc: unknown,
  root: string,
  schema: JsonSchemaNode,
  help = "'proverlab schema'",
): ConfigError[] {
  return uniqueFields(issues.flatMap((issue) => issueToErrors(issue, doc, root, schema, help)));
}

/** The problems one schema issue stands for: one per unknown key, else one. */
function issueToErrors(issue: z.core.$ZodIssue, doc: unknown, root: string, schema: JsonSchemaNode, help: string): ConfigError[] {
  const field = issue.path.map((k) => keyText(String(k))).join(".") || root;
  const got = valueAt(doc, issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const prefix = field === root ? "" : `${field}.`;
      const known = keysAt(issue.path, doc, schema);
      return issue.keys.map((key) => {
        const near = closest(key, known);
        const hint = near === undefined ? `check the spelling against ${help}` : `did you mean ${prefix}${near}?`;
        return new ConfigError(`${prefix}${keyText(key)}`, `unknown key ${keyText(key)}; ${hint}`);
      });
    }
    case "invalid_value":
      return [notAllowed(field, got, issue.values)];
    case "invalid_union":
      // A discriminated union's unknown `kind` is a value not among its forms' names.
      if ("options" in issue && Array.isArray(issue.options)) return [notAllowed(field, got, issue.options as readonly unknown[])];
      return [new ConfigError(field, `${valueText(got)} matches none of the allowed forms; see ${help}`)];
    case "invalid_type":
      if (got === undefined) return [new ConfigError(field, `is required; add ${field} (${issue.expected})`)];
      if (isNonFinite(got)) return [new ConfigError(field, `${valueText(got)} is out of range; give a finite number`)];
      return [new ConfigError(field, `expected ${issue.expected}, got ${valueText(got)}; give a ${issue.expected}`)];
    case "too_small":
      return [
        new ConfigError(field, `${valueText(got)} is below the minimum ${String(issue.minimum)}; use a value >= ${String(issue.minimum)}`),
      ];
    case "too_big":
      if (typeof got === "string")
        return [new ConfigError(field, `is ${got.length} characters long; use at most ${String(issue.maximum)}`)];
      return [
        new ConfigError(field, `${valueText(got)} is above the maximum ${String(issue.maximum)}; use a value <= ${String(issue.maximum)}`),
      ];
    default:
      return [new ConfigError(field, `${issue.message}; see ${help}`)];
  }
}

/** The first problem of each field. */
function uniqueFields(problems: readonly ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.field) && seen.add(p.field));
}

/** A value outside a list of allowed ones, with the nearest when it is a near miss. */
function notAllowed(field: string, got: unknown, values: readonly unknown[]): ConfigError {
  const near =
    typeof got === "string"
      ? closest(
          got,
          values.filter((v): v is string => typeof v === "string"),
        )
      : undefined;
  const fix =
    near === undefined ? `use one of ${values.map((v) => JSON.stringify(v)).join(", ")}` : `did you mean ${JSON.stringify(near)}?`;
  return new ConfigError(field, `${valueText(got)} is not allowed; ${fix}`);
}
