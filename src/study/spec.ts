import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../config/errors.js";
import { readInputFile } from "../config/inputFile.js";
import type { JsonSchemaNode } from "../config/jsonSchema.js";
import { schemaProblems } from "../config/load.js";
import { parseYamlStrict, YamlProblem } from "../config/yaml.js";
import { WINDOW_KPIS } from "../env/windowKpis.js";
import { loadBundle, type Bundle } from "../tuning/bundle.js";

/** The study file a study folder holds: its questions, each one experiment. */
export const STUDY_FILE = "study.yaml";
const HELP = "the README's section on studies";

const name = () =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "use lower-case letters, digits and dashes (at most 40)")
    .describe("Lower-case letters, digits and dashes: names a folder");
const kpi = () => z.enum(WINDOW_KPIS);

const OptionSchema = z
  .strictObject({
    name: name(),
    description: z.string().min(1).describe("What the option changes, in one sentence"),
    set: z
      .array(z.string().min(3))
      .min(1)
      .describe("Experiment overrides that make the option, as `--set a.b=value` takes them (e.g. mechanism.scalingSignal=backlog)"),
  })
  .describe("A mechanism option the question compares: tuned on the same levers and budget as the experiment as written");

const QuestionSchema = z
  .strictObject({
    id: name().describe("The question's folder under runs/, and its anchor in the report"),
    title: z.string().min(1).describe("The question as the proposal asks it"),
    asks: z.array(z.string().min(1)).min(1).describe("The sub-questions its section answers"),
    experiment: z
      .string()
      .min(1)
      .describe("The question's experiment file, relative to study.yaml: its tune.params are the levers screened"),
    baseline: z.string().min(1).default("as written").describe("The name of the experiment's own option"),
    options: z.array(OptionSchema).max(6).default([]).describe("Mechanism options compared with the experiment as written"),
    kpis: z.array(kpi()).min(1).max(8).describe("The KPIs the question's evidence reads (curves, options, tiers)"),
    curves: z
      .strictObject({
        levers: z.int().min(0).max(6).default(2).describe("Response curves of this many levers, the most important first"),
        points: z.int().min(3).max(21).default(7).describe("Values of each lever, evenly over its range (in its scale)"),
      })
      .prefault({})
      .describe("Response curves on the held-out scenarios, the other levers at the recommendation"),
    tradeOff: z
      .strictObject({
        lever: z.string().min(1).describe("A lever of the experiment's tune.params"),
        x: kpi().describe("KPI on the horizontal axis"),
        y: kpi().describe("KPI on the vertical axis"),
      })
      .optional()
      .describe("A trade-off chart: the two KPIs as the lever moves over its range (held-out)"),
    showcase: z.string().min(1).optional().describe("Held-out scenario of the time series (default: the first held-out scenario)"),
    controller: z
      .strictObject({
        episodes: z.int().min(1).max(10_000).describe("Training episodes of the controller (train-controller's controller.episodes)"),
        checkpointEvery: z.int().min(1).max(10_000).default(50).describe("Episodes between checkpoints scored on validation seeds"),
        validationSeeds: z.int().min(2).max(100).default(4).describe("Validation episodes per training scenario at each checkpoint"),
      })
      .optional()
      .describe(
        "Train the adaptive governance controller from the rule the question recommends (the preferred option as taken, else the experiment's recommendation) on its tuned levers, and compare it with that rule on the held-out scenarios",
      ),
    limits: z.array(z.string().min(1)).min(1).describe("What the model cannot say about this question"),
  })
  .describe("One of the proposal's questions: its experiment, options and evidence");

export const StudySchema = z
  .strictObject({
    title: z.string().min(1).describe("The study's title"),
    summary: z.string().min(1).describe("What the study is, in a paragraph: the report's opening"),
    screening: z
      .strictObject({
        points: z.int().min(2).max(11).default(5).describe("Values of each lever screened, evenly over its range, the bounds included"),
      })
      .prefault({})
      .describe("Which levers act: each moved alone over its range on the training scenarios; only those that act are tuned"),
    questions: z.array(QuestionSchema).min(1).max(12).describe("The questions, in the report's order"),
  })
  .describe("A study: several tune experiments, one per question, run and reported together (proverlab study)");

export type StudySpec = z.infer<typeof StudySchema>;
export type QuestionSpec = StudySpec["questions"][number];

/** A study as it runs: its spec, and each question's experiment path. */
export interface Study {
  dir: string;
  spec: StudySpec;
  experiments: string[];
}

let jsonSchema: JsonSchemaNode | undefined;

/** Reads and checks a study folder's study.yaml, and loads every question's experiment and option once to check it. */
export function loadStudy(dir: string): Study {
  const root = resolve(dir);
  const file = join(root, STUDY_FILE);
  if (!existsSync(file)) {
    throw new ConfigError("study", `${dir} holds no ${STUDY_FILE}; give a study folder such as experiments/study`);
  }
  const text = readInputFile(file, STUDY_FILE, `give a YAML ${STUDY_FILE}`);
  let doc: unknown;
  try {
    doc = parseYamlStrict(text);
  } catch (err) {
    if (!(err instanceof YamlProblem)) throw err;
    throw new ConfigError(STUDY_FILE, `invalid YAML${err.line === null ? "" : ` at line ${err.line}`} (${err.what}); fix the syntax`);
  }
  const parsed = StudySchema.safeParse(doc);
  if (!parsed.success) {
    jsonSchema ??= z.toJSONSchema(StudySchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
    const problems = schemaProblems(parsed.error.issues, doc, STUDY_FILE, jsonSchema, HELP);
    throw ConfigError.of(problems.map((p) => new ConfigError(p.field === STUDY_FILE ? p.field : `${STUDY_FILE}: ${p.field}`, p.fix)));
  }
  const spec = parsed.data;
  const problems: ConfigError[] = [];
  const ids = new Set<string>();
  const experiments = spec.questions.map((q, i) => {
    const field = `${STUDY_FILE}: questions.${i}`;
    if (ids.has(q.id)) problems.push(new ConfigError(`${field}.id`, `'${q.id}' is used twice; give each question its own id`));
    ids.add(q.id);
    const path = resolve(dirname(file), q.experiment);
    checkQuestion(q, path, field, problems);
    return path;
  });
  if (problems.length > 0) throw ConfigError.of(problems);
  return { dir: root, spec, experiments };
}

/** A question's experiment loads, alone and with each option, and its trade-off lever and showcase are its own. */
function checkQuestion(q: QuestionSpec, path: string, field: string, problems: ConfigError[]): void {
  const load = (sets: readonly string[], where: string): Bundle | null => {
    try {
      return loadBundle(path, sets);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(new ConfigError(where, `${q.experiment}: ${err.message}`));
      return null;
    }
  };
  const bundle = load([], `${field}.experiment`);
  const names = new Set([q.baseline]);
  q.options.forEach((o, k) => {
    if (names.has(o.name))
      problems.push(new ConfigError(`${field}.options.${k}.name`, `'${o.name}' is used twice; give each option its own name`));
    names.add(o.name);
    load(o.set, `${field}.options.${k}.set`);
  });
  if (bundle === null) return;
  const levers = bundle.space.specs.map((s) => s.name);
  if (q.tradeOff && !levers.includes(q.tradeOff.lever)) {
    problems.push(
      new ConfigError(
        `${field}.tradeOff.lever`,
        `${q.tradeOff.lever} is not among the experiment's levers; use one of ${levers.join(", ")}`,
      ),
    );
  }
  const heldOut = bundle.heldOut.map((s) => s.name);
  if (q.showcase !== undefined && !heldOut.includes(q.showcase)) {
    problems.push(
      new ConfigError(`${field}.showcase`, `${q.showcase} is not a held-out scenario of the experiment; use one of ${heldOut.join(", ")}`),
    );
  }
}
