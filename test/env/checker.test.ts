import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { validateExperiment } from "../../src/config/load.js";
import { resolveParams } from "../../src/config/resolve.js";
import { checkEnvironment } from "../../src/env/checker.js";
import { ProverNetworkEnv, type ResetResult, type StepResult } from "../../src/env/network.js";
import {
  ACTION_SPACE,
  createActions,
  createObservation,
  NETWORK_FEATURES,
  OBSERVATION_SPACE,
  PF,
  PROVER_FEATURES,
  type ProverActions,
} from "../../src/env/spaces.js";
import { Stream } from "../../src/rng/streams.js";

const exp = validateExperiment({ name: "checker", horizonEpochs: 6 });
const params = resolveParams(exp);
const create = () => new ProverNetworkEnv(exp, params);

describe("spaces", () => {
  it("name every feature and action field in order, with bounds", () => {
    expect(OBSERVATION_SPACE.prover.map((f) => f.name)).toEqual(PROVER_FEATURES);
    expect(OBSERVATION_SPACE.network.map((f) => f.name)).toEqual(NETWORK_FEATURES);
    expect(ACTION_SPACE.map((f) => f.name).sort()).toEqual(Object.keys(createActions(1)).sort());
    expect(OBSERVATION_SPACE.prover.find((f) => f.name === "reputation")).toMatchObject({ kind: "real", low: 0, high: 1 });
    // A mechanism parameter's feature takes the parameter's bounds and unit from the parameter table.
    expect(OBSERVATION_SPACE.network.find((f) => f.name === "profitMargin")).toMatchObject({ low: 0, high: 1, unit: "share" });
    expect(ACTION_SPACE.find((f) => f.name === "agents")).toMatchObject({ kind: "integer", low: 0, high: Infinity });
  });
});

describe("step", () => {
  it("refuses an action outside its field, naming it, before changing anything", () => {
    const env = create();
    const fresh = create();
    const n = env.provers.n;
    env.reset(2);
    fresh.reset(2);
    const ok = createActions(n);
    ok.active.fill(1);
    ok.capacity.fill(1);
    const bad = (field: keyof ProverActions, value: number): ProverActions => {
      const a = { ...ok, [field]: ok[field].slice() };
      a[field][n - 1] = value;
      return a;
    };
    expect(() => env.step(bad("capacity", NaN))).toThrow(`actions.capacity[${n - 1}]: got NaN; write a number in [0, 1] (share)`);
    expect(() => env.step(bad("capacity", 1.5))).toThrow(/^actions\.capacity\[\d+\]: got 1.5/);
    expect(() => env.step(bad("stake", -1))).toThrow("write a number >= 0 (USD)");
    expect(() => env.step(bad("stake", Infinity))).toThrow(`actions.stake[${n - 1}]: got Infinity`);
    expect(() => env.step(bad("agents", 1.5))).toThrow("write a whole number >= 0 (agents)");
    expect(() => env.step(bad("active", 2))).toThrow("write 0 or 1 (flag)");
    expect(() => env.step({ ...ok, race: new Uint8Array(n - 1) })).toThrow(`actions.race: needs a Uint8Array of ${n} values`);
    expect(() => env.step({ ...ok, stake: new Float32Array(n) as unknown as Float64Array })).toThrow("actions.stake: needs a Float64Array");
    expect(env.step(ok).observation.prover).toEqual(fresh.step(ok).observation.prover);
  });

  it("is truncated, not terminated, exactly at the horizon", () => {
    const env = create();
    env.reset(1);
    const a = createActions(env.provers.n);
    const flags: [boolean, boolean, boolean][] = [];
    for (let t = 0; t < exp.horizonEpochs; t++) {
      const r = env.step(a);
      flags.push([r.terminated, r.truncated, r.done]);
    }
    expect(flags.at(-1)).toEqual([false, true, true]);
    expect(flags.slice(0, -1).every(([term, trunc, done]) => !term && !trunc && !done)).toBe(true);
  });
});

describe("checkEnvironment", () => {
  it("passes the environment with random actions and with always-on provers", () => {
    expect(checkEnvironment(create)).toEqual([]);
    expect(checkEnvironment(create, { policy: new AlwaysOnPolicy(), seed: 9 })).toEqual([]);
  });

  it("reports an environment whose episodes depend on more than the seed", () => {
    let episodes = 0;
    class Drifting extends ProverNetworkEnv {
      override reset(seed: number | Stream): ResetResult {
        return super.reset(typeof seed === "number" ? seed + episodes++ : seed);
      }
    }
    const problems = checkEnvironment(() => new Drifting(exp, params));
    expect(problems).toContain("a second environment on the same seed differs from the first at step 0: not deterministic");
    expect(problems).toContain("reset(seed) on the used environment differs from the first at step 0: not deterministic");
  });

  it("reports an observation outside its declared bounds, once, at its first epoch", () => {
    class Overrated extends ProverNetworkEnv {
      override step(actions: ProverActions): StepResult {
        const r = super.step(actions);
        r.observation.prover[PROVER_FEATURES.length + PF.reputation] = 1.5;
        return r;
      }
    }
    expect(checkEnvironment(() => new Overrated(exp, params))).toEqual([
      "step 0: observation.prover[1].reputation = 1.5, not a number in [0, 1] (share)",
    ]);
  });

  it("reports an environment that takes invalid actions, and a wrong episode end", () => {
    class Lenient extends ProverNetworkEnv {
      override step(actions: ProverActions): StepResult {
        const a = createActions(this.provers.n);
        for (let i = 0; i < this.provers.n; i++) a.active[i] = actions.active[i] === 1 ? 1 : 0;
        const r = super.step(a);
        return { ...r, truncated: false };
      }
    }
    const problems = checkEnvironment(() => new Lenient(exp, params));
    expect(problems).toContain("step accepted actions.active of length 33");
    expect(problems).toContain("step accepted actions.capacity [0] = NaN");
    expect(problems).toContain("step 5: truncated is false, expected true");
    expect(problems).toContain("step 5: done is not terminated || truncated");
  });

  it("reports reset info that does not match the environment", () => {
    class Misreported extends ProverNetworkEnv {
      override reset(seed: number | Stream): ResetResult {
        const r = super.reset(seed);
        return { ...r, info: { ...r.info, horizonEpochs: r.info.horizonEpochs + 1 } };
      }
    }
    expect(checkEnvironment(() => new Misreported(exp, params)).join("\n")).toMatch(
      /^reset: info .* does not match 32 provers and 6 epochs$/m,
    );
  });

  it("reports an observation of the wrong shape", () => {
    class Short extends ProverNetworkEnv {
      override reset(seed: number | Stream): ResetResult {
        return { ...super.reset(seed), observation: createObservation(this.provers.n - 1) };
      }
    }
    expect(checkEnvironment(() => new Short(exp, params))).toContain("reset: observation.n is 31, expected 32 provers");
  });
});
