/**
 * ProverLab as a library: the simulated prover network as an environment, its observation and
 * action spaces, the prover policies, the calibration tuners and the evaluation the `proverlab` CLI
 * is built on, and readers of its run folders.
 *
 * ```ts
 * import { AlwaysOnPolicy, ProverNetworkEnv, Stream, createActions, resolveParams, validateExperiment } from "proverlab";
 *
 * const experiment = validateExperiment({ name: "demo", horizonEpochs: 24 }); // every other field at its default
 * const env = new ProverNetworkEnv(experiment, resolveParams(experiment));
 * const policy = new AlwaysOnPolicy();
 * const actions = createActions(env.provers.n);
 * let { observation } = env.reset(7);
 * policy.reset(env.provers.n, Stream.root(7));
 * for (let done = false; !done; ) {
 *   policy.act(observation, actions);
 *   ({ observation, done } = env.step(actions));
 * }
 * ```
 *
 * Importing it loads no TensorFlow.js: policy-network provers need `await initTensorflow()` (or
 * `prepareBundleBackend`) first.
 *
 * @packageDocumentation
 */

// The environment and its spaces
export { ProverNetworkEnv, type EnvOptions, type EpisodeTotals, type ResetInfo, type ResetResult, type StepResult } from "./env/network.js";
export type { ProverTable } from "./env/provers.js";
export type { Ledger } from "./env/ledger.js";
export type { DelayHistogram } from "./env/delayHistogram.js";
export type { SampleBuffer } from "./env/pool.js";
export type { MechanismParams } from "./mechanism/params.js";
export type { Variant, VariantRules } from "./mechanism/variants.js";
export {
  ACTION_SPACE,
  checkActions,
  createActions,
  createObservation,
  inField,
  NETWORK_FEATURES,
  NF,
  OBSERVATION_SPACE,
  PF,
  PROVER_FEATURES,
  type ActionField,
  type Field,
  type FieldKind,
  type NetworkFeature,
  type Observation,
  type ProverActions,
  type ProverFeature,
} from "./env/spaces.js";
export { checkEnvironment, type CheckOptions } from "./env/checker.js";
export { EPOCH_COLUMNS, type EpochRow } from "./env/kpis.js";
export { summarize, type RunSummary } from "./env/summary.js";
export { WINDOW_KPI_UNITS, WINDOW_KPIS, type WindowAccumulator, type WindowKpi, type WindowKpis } from "./env/windowKpis.js";
export { Stream, type StreamState } from "./rng/streams.js";

// Experiments and mechanism parameters
export { loadExperiment, validateExperiment } from "./config/load.js";
export type { Archetype, Experiment } from "./config/schema.js";
export { resolveParams } from "./config/resolve.js";
export {
  defaultParams,
  PARAM_SPACE,
  paramSpec,
  type ParamGroup,
  type ParamScale,
  type ParamSpec,
  type ParamValues,
} from "./config/paramSpace.js";
export { ConfigError } from "./config/errors.js";

// Prover policies
export type { ProverPolicy } from "../agents/prover/policy.js";
export { AlwaysOnPolicy, MyopicPolicy } from "../agents/prover/scripted.js";
export { QLearningPolicy, type QLearningOptions, type QLearningSpec } from "../agents/prover/qlearning.js";
export { PolicyNetwork } from "../agents/prover/policyNetwork.js";
export { ArchetypePolicies } from "../agents/prover/byArchetype.js";
export { ACTION_CHOICES, applyChoice, type ActionChoice } from "../agents/prover/actionTable.js";
export { initTensorflow } from "./ml/tensorflow.js";

// Episodes, evaluation and tuning
export { runEpisode, type EpisodeOptions, type EpisodeResult, type Governor } from "./tuning/episode.js";
export { evaluateCalibration, type Evaluation, type Split } from "./tuning/evaluate.js";
export { loadBundle, prepareBundleBackend, type Bundle, type Scenario } from "./tuning/bundle.js";
export { TunedSpace } from "./tuning/space.js";
export { createTuner, restoreTuner, TUNER_KINDS, type TunerOptions } from "../agents/governance/registry.js";
export type { Scored as ScoredPoint, Tuner, TunerKind, TunerState } from "../agents/governance/tuner.js";
export type { Verdict, Violation } from "./tuning/objective.js";

// Run folders
export { loadRunBundle, readAudit, readTrials, readTuneRun, type Audit, type AuditStrategy } from "./report/tuneRun.js";
export type {
  Assessment,
  HeldOutComparison,
  Preset,
  Recommendation,
  ScenarioComparison,
  SplitComparison,
  Warning,
} from "./tuning/recommend.js";
export type { CandidateRecord, Exploit, Repair, ValidationScore } from "./tuning/candidates.js";
export type { MeanInterval } from "./tuning/stats.js";
export type { DroppedPreset } from "./tuning/pareto.js";
export type { ParameterEffect } from "./tuning/inert.js";
export type { Trial } from "./tuning/trial.js";
export type { RunConfig } from "./tuning/tune.js";

// Studies (proverlab study)
export { loadStudy, StudySchema, type QuestionSpec, type Study, type StudySpec } from "./study/spec.js";
export {
  runStudy,
  type AuditSummary,
  type OptionResult,
  type QuestionResult,
  type Series,
  type StudyArgs,
  type StudyResult,
} from "./study/run.js";
export {
  screenLever,
  sweepLevers,
  type LeverEffect,
  type LeverScreen,
  type LeverSweep,
  type Sweeps,
  type SweepPoint,
  type SweepScore,
} from "./study/sweep.js";
