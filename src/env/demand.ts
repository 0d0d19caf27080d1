import type { Experiment } from "../config/schema.js";
import type { Stream } from "../rng/streams.js";

const HOUR = 3600;
export const REGIMES = ["quiet", "normal", "busy", "surge"] as const;
const QUIET = 0;
const NORMAL = 1;
const BUSY = 2;
const SURGE = 3;

/**
 * Transaction demand: lambda(t) = baseTps x daily(t) x regime(t) x shocks(t).
 * The regime is a continuous-time Markov chain quiet <-> normal <-> busy <-> surge, observed per slot.
 */
export class DemandProcess {
  private readonly cfg: Experiment["demand"];
  private readonly regimeMultiplier: Float64Array;
  private readonly regimeMeanSeconds: Float64Array;
  private stream!: Stream;
  regime = NORMAL;
  private nextSwitch = Infinity;

  constructor(cfg: Experiment["demand"]) {
    this.cfg = cfg;
    this.regimeMultiplier = Float64Array.from(REGIMES.map((r) => cfg.regimes.multipliers[r]));
    this.regimeMeanSeconds = Float64Array.from(REGIMES.map((r) => cfg.regimes.meanHours[r] * HOUR));
  }

  reset(stream: Stream): void {
    this.stream = stream;
    this.regime = NORMAL;
    this.nextSwitch = this.cfg.regimes.enabled ? stream.exponential(this.regimeMeanSeconds[NORMAL]!) : Infinity;
  }

  /** Advances the regime chain to time t (seconds since start) and returns the arrival rate in tx/s. */
  rateAt(t: number): number {
    while (t >= this.nextSwitch) {
      this.regime = this.nextRegime(this.regime);
      this.nextSwitch += this.stream.exponential(this.regimeMeanSeconds[this.regime]!);
    }
    const regime = this.cfg.regimes.enabled ? this.regimeMultiplier[this.regime]! : 1;
    return this.cfg.baseTps * dailyFactor(this.cfg, t) * regime * shockFactor(this.cfg.shocks, t);
  }

  private nextRegime(r: number): number {
    const u = this.stream.uniform();
    switch (r) {
      case QUIET:
        return NORMAL;
      case NORMAL:
        return u < 0.5 ? QUIET : BUSY;
      case BUSY:
        return u < 0.7 ? NORMAL : SURGE;
      default:
        return BUSY;
    }
  }
}

/**
 * Daily cycle: 1 + amplitude x c(h), where c rises as a half cosine from -1 at troughHourUtc to +1 at
 * peakHourUtc and falls as a half cosine back to the trough, so it averages 1 over a day.
 * Weekends (days 5 and 6; day 0 is a Monday) are scaled by weekendFactor.
 */
export function dailyFactor(cfg: Experiment["demand"], t: number): number {
  const hours = cfg.startHourUtc + t / HOUR;
  const hourOfDay = hours % 24;
  const day = Math.floor(hours / 24) % 7;
  const { peakHourUtc: peak, troughHourUtc: trough, amplitude } = cfg.daily;
  const rise = mod24(peak - trough) || 24;
  const sinceTrough = mod24(hourOfDay - trough);
  const c = sinceTrough < rise ? -Math.cos((Math.PI * sinceTrough) / rise) : Math.cos((Math.PI * (sinceTrough - rise)) / (24 - rise));
  const cycle = 1 + amplitude * c;
  return day >= 5 ? cycle * cfg.daily.weekendFactor : cycle;
}

function mod24(h: number): number {
  return ((h % 24) + 24) % 24;
}

/** Product of the scheduled shocks active at t, each ramping linearly in and out over rampHours. */
export function shockFactor(shocks: Experiment["demand"]["shocks"], t: number): number {
  let factor = 1;
  for (const s of shocks) {
    const start = s.startHour * HOUR;
    const end = start + s.durationHours * HOUR;
    if (t < start || t >= end) continue;
    const ramp = s.rampHours * HOUR;
    const weight = ramp > 0 ? Math.min(1, (t - start) / ramp, (end - t) / ramp) : 1;
    factor *= 1 + (s.multiplier - 1) * weight;
  }
  return factor;
}
