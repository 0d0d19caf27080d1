import type { Experiment } from "../config/schema.js";
import type { Stream } from "../rng/streams.js";

type FeeConfig = Experiment["l1"]["gas"];

/** A fee never exceeds 1e30 x its base: spikes that pile up faster than they revert stay finite. */
const MAX_LOG_FEE = Math.log(1e30);

/**
 * One L1 fee (gas price or blob fee) as a mean-reverting log process with jumps:
 * x = log(fee / base) follows Ornstein-Uhlenbeck, plus Poisson spikes that add log(multiplier).
 */
export class FeeProcess {
  private x = 0;
  private stream!: Stream;
  private readonly decay: number;
  private readonly noiseSd: number;
  private readonly spikeProb: number;
  private readonly spikeJump: number;
  private readonly scheduled: readonly { readonly at: number; readonly jump: number }[];
  private nextScheduled = 0;

  constructor(
    private readonly cfg: FeeConfig,
    dt: number,
  ) {
    const kappa = cfg.reversionPerHour / 3600;
    const sigma = cfg.volatilityPerSqrtHour / 60;
    this.decay = Math.exp(-kappa * dt);
    this.noiseSd = sigma * Math.sqrt((1 - this.decay * this.decay) / (2 * kappa));
    this.spikeProb = 1 - Math.exp((-cfg.spikesPerDay * dt) / 86_400);
    this.spikeJump = Math.log(cfg.spikeMultiplier);
    this.scheduled = cfg.scheduledSpikes.map((s) => ({ at: s.startHour * 3600, jump: Math.log(s.multiplier) })).sort((a, b) => a.at - b.at);
  }

  reset(stream: Stream): void {
    this.stream = stream;
    this.x = 0;
    this.nextScheduled = 0;
  }

  /** Advances one slot ending at time t and returns the fee in gwei. */
  advance(t: number): number {
    this.x = this.x * this.decay + this.noiseSd * this.stream.normal();
    if (this.spikeProb > 0 && this.stream.uniform() < this.spikeProb) this.x += this.spikeJump;
    while (this.nextScheduled < this.scheduled.length && this.scheduled[this.nextScheduled]!.at <= t) {
      this.x += this.scheduled[this.nextScheduled++]!.jump;
    }
    if (this.x > MAX_LOG_FEE) this.x = MAX_LOG_FEE;
    return this.cfg.baseGwei * Math.exp(this.x);
  }
}

/** Gas price and blob fee, and what L1 actions cost in USD at the current prices. */
export class L1Market {
  private readonly gas: FeeProcess;
  private readonly blob: FeeProcess;
  gasGwei = 0;
  blobGwei = 0;

  constructor(
    private readonly cfg: Experiment["l1"],
    slotSeconds: number,
  ) {
    this.gas = new FeeProcess(cfg.gas, slotSeconds);
    this.blob = new FeeProcess(cfg.blob, slotSeconds);
  }

  reset(gasStream: Stream, blobStream: Stream): void {
    this.gas.reset(gasStream);
    this.blob.reset(blobStream);
    this.gasGwei = this.cfg.gas.baseGwei;
    this.blobGwei = this.cfg.blob.baseGwei;
  }

  advance(t: number): void {
    this.gasGwei = this.gas.advance(t);
    this.blobGwei = this.blob.advance(t);
  }

  /** USD cost of verifying one proof on L1 now. */
  verifyCostUsd(): number {
    return this.cfg.verifyGas * this.gasGwei * 1e-9 * this.cfg.ethUsd;
  }

  /** USD cost of proposing one block (execution gas plus blobs), paid by the sequencer. */
  proposeCostUsd(): number {
    const gasEth = this.cfg.proposeGasPerBlock * this.gasGwei * 1e-9;
    const blobEth = this.cfg.blobsPerBlock * this.cfg.blobGasPerBlob * this.blobGwei * 1e-9;
    return (gasEth + blobEth) * this.cfg.ethUsd;
  }
}
