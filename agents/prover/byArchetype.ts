import type { Experiment } from "../../src/config/schema.js";
import { createActions, type Observation, type ProverActions } from "../../src/env/spaces.js";
import type { Stream } from "../../src/rng/streams.js";
import type { ProverPolicy } from "./policy.js";
import { actionChoices } from "./actionTable.js";
import { PolicyNetwork } from "./policyNetwork.js";
import { QLearningPolicy } from "./qlearning.js";
import { AlwaysOnPolicy, MyopicPolicy } from "./scripted.js";

/**
 * Runs each archetype's configured policy on its own provers. Archetypes whose kind is
 * `policy-network` share one network (one batched forward pass over all of them).
 */
export class ArchetypePolicies implements ProverPolicy {
  readonly name = "by-archetype";
  private readonly policies: ProverPolicy[] = [];
  private readonly names: string[] = [];
  /** Index into `policies` of each prover's policy. */
  private readonly owner: Uint16Array;
  private readonly scratch: ProverActions;
  /** The shared network, when any archetype uses it. */
  network: PolicyNetwork | null = null;

  constructor(exp: Experiment) {
    const archetypes = exp.provers.archetypes;
    const n = archetypes.reduce((s, a) => s + a.count, 0);
    const archetypeOf = new Uint16Array(n);
    let i = 0;
    archetypes.forEach((a, k) => archetypeOf.fill(k, i, (i += a.count)));
    const mask = (take: (k: number) => boolean) => Uint8Array.from(archetypeOf, (k) => (take(k) ? 1 : 0));
    this.owner = new Uint16Array(n);
    archetypes.forEach((a, k) => {
      let policy: ProverPolicy;
      switch (a.policy.kind) {
        case "myopic":
          policy = new MyopicPolicy(a.policy.profitThresholdUsdPerEpoch, a.policy.patienceEpochs);
          break;
        case "q-learning":
          policy = new QLearningPolicy(
            a.policy,
            mask((o) => o === k),
            {
              ...(a.policy.actions ? { actions: actionChoices(a.policy.actions) } : {}),
              signals: a.policy.stateSignals ?? [],
            },
          );
          break;
        case "policy-network":
          if (this.network) {
            this.assign(archetypeOf, k, this.policies.indexOf(this.network));
            return;
          }
          policy = this.network = new PolicyNetwork(
            exp.provers.policyNetwork,
            mask((o) => archetypes[o]!.policy.kind === "policy-network"),
          );
          break;
        default:
          policy = new AlwaysOnPolicy();
      }
      this.assign(archetypeOf, k, this.policies.length);
      this.policies.push(policy);
      this.names.push(a.policy.kind === "policy-network" ? "policy-network" : a.name);
    });
    this.scratch = createActions(n);
  }

  /** The policy running archetype `name`'s provers (shared with others for the policy network), or undefined. */
  policyFor(name: string): ProverPolicy | undefined {
    const k = this.names.indexOf(name);
    return k >= 0 ? this.policies[k] : undefined;
  }

  private assign(archetypeOf: Uint16Array, archetype: number, policy: number): void {
    for (let i = 0; i < archetypeOf.length; i++) if (archetypeOf[i] === archetype) this.owner[i] = policy;
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
        a.batch[i] = this.scratch.batch[i]!;
        a.agents[i] = this.scratch.agents[i]!;
        a.skip[i] = this.scratch.skip[i]!;
        a.raceOnly[i] = this.scratch.raceOnly[i]!;
        a.pool[i] = this.scratch.pool[i]!;
        a.withhold[i] = this.scratch.withhold[i]!;
      }
    });
  }

  observe(reward: Float64Array, obs: Observation, done: boolean): void {
    for (const p of this.policies) p.observe?.(reward, obs, done);
  }

  dispose(): void {
    for (const p of this.policies) p.dispose?.();
  }
}
