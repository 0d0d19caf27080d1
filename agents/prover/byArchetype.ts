import type { Experiment } from "../../src/config/schema.js";
import { createActions, type Observation, type ProverActions } from "../../src/env/spaces.js";
import type { ProverPolicy } from "./policy.js";
import { AlwaysOnPolicy, MyopicPolicy } from "./scripted.js";

/** Runs each archetype's configured scripted policy on its own provers. */
export class ArchetypePolicies implements ProverPolicy {
  readonly name = "by-archetype";
  private readonly policies: ProverPolicy[];
  private readonly owner: Uint16Array;
  private readonly scratch: ProverActions;

  constructor(exp: Experiment) {
    const archetypes = exp.provers.archetypes;
    this.policies = archetypes.map((a) =>
      a.policy.kind === "myopic" ? new MyopicPolicy(a.policy.profitThresholdUsdPerEpoch, a.policy.patienceEpochs) : new AlwaysOnPolicy(),
    );
    const n = archetypes.reduce((s, a) => s + a.count, 0);
    this.owner = new Uint16Array(n);
    let i = 0;
    archetypes.forEach((a, k) => {
      for (let c = 0; c < a.count; c++) this.owner[i++] = k;
    });
    this.scratch = createActions(n);
  }

  reset(n: number): void {
    for (const p of this.policies) p.reset(n);
  }

  act(obs: Observation, a: ProverActions): void {
    this.policies.forEach((policy, k) => {
      policy.act(obs, this.scratch);
      for (let i = 0; i < obs.n; i++) {
        if (this.owner[i] !== k) continue;
        a.active[i] = this.scratch.active[i]!;
        a.capacity[i] = this.scratch.capacity[i]!;
        a.stake[i] = this.scratch.stake[i]!;
        a.race[i] = this.scratch.race[i]!;
      }
    });
  }
}
