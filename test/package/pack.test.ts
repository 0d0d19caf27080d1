import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Packs `dist` as the suite's global setup built it (scripts off: `prepack` would delete it under the
// other tests), installs the tarball into a new project with no overrides, and uses it from there.

const ROOT = join(import.meta.dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

const EXPERIMENT = "name: consumer\nhorizonEpochs: 4\ntune:\n  seeds: { train: 1, heldOut: 1 }\n";

const SCRIPT = `import {
  ACTION_SPACE,
  AlwaysOnPolicy,
  ConfigError,
  OBSERVATION_SPACE,
  PF,
  ProverNetworkEnv,
  Stream,
  checkEnvironment,
  createActions,
  createTuner,
  evaluateCalibration,
  loadBundle,
  readTuneRun,
  resolveParams,
  validateExperiment,
  type Observation,
  type ProverActions,
  type ProverPolicy,
} from "proverlab";

/** Every prover in, with half its compute online. */
class HalfCapacity implements ProverPolicy {
  readonly name = "half";
  private readonly base = new AlwaysOnPolicy();
  reset(): void {}
  act(obs: Observation, actions: ProverActions): void {
    this.base.act(obs, actions);
    actions.capacity.fill(0.5);
  }
}

const experiment = validateExperiment({ name: "consumer", horizonEpochs: 4 });
const create = () => new ProverNetworkEnv(experiment, resolveParams(experiment));
const env = create();
const policy = new HalfCapacity();
const actions = createActions(env.provers.n);
let { observation } = env.reset(7);
policy.reset();
const truncated: boolean[] = [];
for (let done = false; !done; ) {
  policy.act(observation, actions);
  const step = env.step(actions);
  truncated.push(step.truncated);
  ({ observation, done } = step);
}
const bundle = loadBundle("experiment.yaml");
const evaluation = evaluateCalibration(bundle, bundle.params, "train", 1);
let refused = "";
try {
  readTuneRun("no-such-run");
} catch (err) {
  if (err instanceof ConfigError) refused = err.field;
}
console.log(
  JSON.stringify({
    provers: env.provers.n,
    proverFeatures: OBSERVATION_SPACE.prover.length,
    actionFields: ACTION_SPACE.map((f) => f.name).join(","),
    capacity: observation.prover[PF.capacity],
    truncated,
    problems: checkEnvironment(create, { policy }),
    generation: createTuner("cmaes", 3, Stream.root(1), { batch: 4 }).ask().length,
    liveness: evaluation.kpis.liveness >= 0 && evaluation.kpis.liveness <= 1,
    refused,
  }),
);
`;

describe("the packed package", () => {
  let dir = "";
  let files: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "proverlab-pack-"));
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }),
    ) as { filename: string; files: { path: string }[] }[];
    files = packed!.files.map((f) => f.path);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "9.9.9", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", join(dir, packed!.filename)], { cwd: dir, stdio: "pipe" });
    writeFileSync(join(dir, "experiment.yaml"), EXPERIMENT);
    writeFileSync(join(dir, "main.ts"), SCRIPT);
  }, 240_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ships the compiled library with its declarations, the CLI and its bundle, the README and the licence only", () => {
    const other = files.filter((f) => !/^dist\/(src|agents)\/.+\.(js|d\.ts)$/.test(f) && !/^dist\/bundle\/[\w-]+\.js$/.test(f));
    expect(other.sort()).toEqual(["LICENSE", "README.md", "bin/proverlab.js", "package.json"]);
    expect(files).toContain("dist/bundle/main.js");
    expect(files).toContain("dist/bundle/worker.js");
    const modules = files.filter((f) => f.endsWith(".js") && /^dist\/(src|agents)\//.test(f));
    expect(modules).toContain("dist/src/index.js");
    expect(modules.filter((f) => !files.includes(f.replace(/\.js$/, ".d.ts")))).toEqual([]);
  });

  it("prints its own version when run through npx in another project", () => {
    expect(execFileSync("npx", ["--no-install", "proverlab", "--version"], { cwd: dir, encoding: "utf8" }).trim()).toBe(VERSION);
  });

  it("type-checks a strict TypeScript script against the public API, which then runs", () => {
    // Without skipLibCheck, so the package's own declarations are checked too. TensorFlow.js's
    // declarations do not pass --strict (upstream); nothing else may report an error.
    const tsc = spawnSync(
      join(ROOT, "node_modules", ".bin", "tsc"),
      ["--strict", "--module", "nodenext", "--target", "es2022", "main.ts"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    const errors = tsc.stdout.split("\n").filter((line) => / error TS\d+/.test(line));
    expect(errors.filter((line) => !line.startsWith("node_modules/@tensorflow/"))).toEqual([]);
    const run = spawnSync("node", ["main.js"], { cwd: dir, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      provers: 32,
      proverFeatures: 19,
      actionFields: "active,capacity,stake,race,batch,agents,skip,pool,raceOnly,withhold",
      capacity: 0.5,
      truncated: [false, false, false, true],
      problems: [],
      generation: 4,
      liveness: true,
      refused: "run",
    });
  });
});
