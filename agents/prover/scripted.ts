import { NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "../../src/env/spaces.js";
import { ACTION_CHOICES, applyChoiceToAll } from "./actionTable.js";
import type { ProverPolicy } from "./policy.js";

const F = PROVER_FEATURES.length;

/** Registered, fully online, opted in to races, every epoch. */
export class AlwaysOnPolicy implements ProverPolicy {
  readonly name = "always-on";

  reset(): void {}

  act(obs: Observation, a: ProverActions): void {
    applyChoiceToAll(obs, ACTION_CHOICES.full, a);
  }
}

/**
 * Myopic profit threshold: a registered prover leaves after `patience` consecutive epochs below the
 * threshold; an unregistered one joins when the network's last profit per online core, scaled to
 * its own compute, net of its fixed cost, clears the threshold.
 */
export class MyopicPolicy implements ProverPolicy {
  readonly name = "myopic";
  private losing = new Int32Array(0);

  constructor(
    private readonly thresholdUsdPerEpoch: number,
    private readonly patience: number,
  ) {}

  reset(n: number): void {
    this.losing = new Int32Array(n);
  }

  act(obs: Observation, a: ProverActions): void {
    const perCore = obs.network[NF.profitUsdPerCoreEpoch]!;
    applyChoiceToAll(obs, ACTION_CHOICES.full, a);
    for (let i = 0; i < obs.n; i++) {
      const b = i * F;
      if (obs.prover[b + PF.registered] === 1) {
        this.losing[i] = obs.prover[b + PF.epochProfitUsd]! < this.thresholdUsdPerEpoch ? this.losing[i]! + 1 : 0;
        a.active[i] = this.losing[i]! >= this.patience ? 0 : 1;
        if (a.active[i] === 0) this.losing[i] = 0;
      } else {
        const expected = perCore * obs.prover[b + PF.computeCores]! - obs.prover[b + PF.fixedCostUsdPerEpoch]!;
        a.active[i] = expected > this.thresholdUsdPerEpoch ? 1 : 0;
      }
    }
  }
}
