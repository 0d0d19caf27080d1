/** Which rules of the mechanism a variant runs. The proposal refines base-2023; aztec-current is today's design. */
export interface VariantRules {
  /** Minimum compute and stake are enforced. */
  requirements: boolean;
  /** Requirements follow the demand index. */
  dynamicScaling: boolean;
  /** Performance and stabilization bonuses and race compensation are paid. */
  bonuses: boolean;
  /** Emergency mode can activate on forecast congestion. */
  preemptive: boolean;
  /** A failure escalates to emergency only past the load / availability thresholds (else: always). */
  thresholdEscalation: boolean;
  /** Adaptive batching under congestion. */
  batching: boolean;
  /** Emergency mode with proof racing exists. */
  racing: boolean;
  /** Permissionless: every opted-in prover proves every block; epoch pools are shared by booster shares. */
  epochShares: boolean;
}

export type Variant = "proposal" | "base-2023" | "aztec-current";

const RULES: Record<Variant, VariantRules> = {
  proposal: {
    requirements: true,
    dynamicScaling: true,
    bonuses: true,
    preemptive: true,
    thresholdEscalation: true,
    batching: true,
    racing: true,
    epochShares: false,
  },
  "base-2023": {
    requirements: true,
    dynamicScaling: false,
    bonuses: false,
    preemptive: false,
    thresholdEscalation: false,
    batching: false,
    racing: true,
    epochShares: false,
  },
  "aztec-current": {
    requirements: false,
    dynamicScaling: false,
    bonuses: false,
    preemptive: false,
    thresholdEscalation: false,
    batching: false,
    racing: false,
    epochShares: true,
  },
};

export function variantRules(variant: Variant): VariantRules {
  return RULES[variant];
}
