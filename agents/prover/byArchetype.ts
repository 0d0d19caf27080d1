import type { Experiment } from "../../src/config/schema.js";
import { createActions, type Observation, type ProverActions } from "../../src/env/spaces.js";
import type { Stream } from "../../src/rng/streams.js";
import type { ProverPolicy } from "./policy.js";
import { QLearningPolicy } from "./qlearning.js";
import { AlwaysOnPolicy, MyopicPolicy } from "./scripted.js";

/** Runs each archetype's configured policy (scripted or learning) on its own provers. */
export class ArchetypePolicies implements ProverPolicy {
  readonly name = "by-archetype";
  private readonly policies: ProverPolicy[];
  private readonly names: string[];
  private readonly owner: Uint16Array;
  private readonly scratch: ProverActions;

  constructor(exp: Experiment) {
    const archetypes = exp.provers.archetypes;
    const n = archetypes.reduce((s, a) => s + a.count, 0);
    this.owner = new Uint16Array(n);
    let i = 0;
    archetypes.forEach((a, k) => {
      for (let c = 0; c < a.count; c++) this.owner[i++] = k;
    });
    this.names = archetypes.map((a) => a.name);
    this.policies = archetypes.map((a, k): ProverPolicy => {
      switch (a.policy.kind) {
        case "myopic":
          return new MyopicPolicy(a.policy.profitThresholdUsdPerEpoch, a.policy.patienceEpochs);
        case "q-learning":
          return new QLearningPolicy(
            a.policy,
            Uint8Array.from(this.owner, (o) => (o === k ? 1 : 0)),
          );
        default:
          return new AlwaysOnPolicy();
      }
    });
    this.scratch = createActions(n);
  }

  reset(n: number, stream: Stream): void {
    this.policies.forEach((p, k) => p.reset(n, stream.child(this.names[k]!)));
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

  observe(reward: Float64Array, obs: Observation, done: boolean): void {
    for (const p of this.policies) p.observe?.(reward, obs, done);
  }
}
