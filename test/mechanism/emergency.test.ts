import { describe, it, expect } from "vitest";
import { mechanismParams, paramsWith } from "../support/params.js";
import {
  escalateOnFailure,
  isOverloaded,
  loadSignal,
  mayExit,
  minDurationServed,
  onlineShare,
  preemptiveTrigger,
  type EmergencySignals,
} from "../../src/mechanism/emergency.js";

// Power-of-two hysteresis keeps the band edges exact in floating point.
const BASE = {
  "emergency.loadThreshold": 1,
  "emergency.minOnlineShare": 0.4,
  "emergency.preemptiveThreshold": 2,
  "emergency.hysteresis": 0.5,
  "emergency.minDurationEpochs": 3,
};

const params = paramsWith(BASE);

/** Calm signals: every trigger clear by far more than the hysteresis margin. */
const CALM: EmergencySignals = { load: 0.1, online: 1, forecast: 0.2 };
const EPS = 1e-9;

function sig(s: Partial<EmergencySignals>): EmergencySignals {
  return { ...CALM, ...s };
}

describe("loadSignal", () => {
  const E = 1000;

  it("is outstanding work plus the mempool at workPerTx, over one epoch of the up compute", () => {
    expect(loadSignal(2e6, 0, 3_100, 2_000, E)).toBe(1);
    expect(loadSignal(1e6, 100, 10_000, 4_000, E)).toBe(0.5);
    expect(loadSignal(0, 0, 3_100, 4_000, E)).toBe(0);
  });

  it("is Infinity with work and no compute up, 0 with neither", () => {
    expect(loadSignal(1, 0, 3_100, 0, E)).toBe(Infinity);
    expect(loadSignal(0, 1, 3_100, 0, E)).toBe(Infinity);
    expect(loadSignal(0, 0, 3_100, 0, E)).toBe(0);
  });
});

describe("onlineShare", () => {
  it("is the share of eligible provers up, 0 with none eligible", () => {
    expect(onlineShare(3, 4)).toBe(0.75);
    expect(onlineShare(4, 4)).toBe(1);
    expect(onlineShare(0, 4)).toBe(0);
    expect(onlineShare(0, 0)).toBe(0);
  });
});

describe("isOverloaded", () => {
  const p = params();

  it("holds at load >= loadThreshold, not just below", () => {
    expect(isOverloaded(sig({ load: 1 }), p)).toBe(true);
    expect(isOverloaded(sig({ load: Infinity }), p)).toBe(true);
    expect(isOverloaded(sig({ load: 1 - EPS }), p)).toBe(false);
  });

  it("ignores availability and the forecast", () => {
    expect(isOverloaded(sig({ online: 0, forecast: 100 }), p)).toBe(false);
  });
});

describe("minDurationServed", () => {
  it("holds from minDurationEpochs active epochs on, whatever the signals", () => {
    const p = params();
    expect(minDurationServed(2, p)).toBe(false);
    expect(minDurationServed(3, p)).toBe(true);
    expect(minDurationServed(30, p)).toBe(true);
    expect(minDurationServed(1, params({ "emergency.minDurationEpochs": 1 }))).toBe(true);
  });
});

describe("escalateOnFailure", () => {
  const p = params();

  it("is false when load and availability are both fine", () => {
    expect(escalateOnFailure(CALM, p)).toBe(false);
  });

  it("load boundary: escalates at load >= loadThreshold, not just below", () => {
    expect(escalateOnFailure(sig({ load: 1 }), p)).toBe(true);
    expect(escalateOnFailure(sig({ load: 1 + EPS }), p)).toBe(true);
    expect(escalateOnFailure(sig({ load: 1 - EPS }), p)).toBe(false);
  });

  it("availability boundary: escalates when online < minOnlineShare, not at it", () => {
    expect(escalateOnFailure(sig({ online: 0.4 }), p)).toBe(false);
    expect(escalateOnFailure(sig({ online: 0.4 + EPS }), p)).toBe(false);
    expect(escalateOnFailure(sig({ online: 0.4 - EPS }), p)).toBe(true);
    expect(escalateOnFailure(sig({ online: 0 }), p)).toBe(true);
  });

  it("either condition alone suffices (OR), and both together escalate", () => {
    expect(escalateOnFailure(sig({ load: 5, online: 1 }), p)).toBe(true);
    expect(escalateOnFailure(sig({ load: 0, online: 0.1 }), p)).toBe(true);
    expect(escalateOnFailure(sig({ load: 5, online: 0.1 }), p)).toBe(true);
  });

  it("ignores the forecast", () => {
    expect(escalateOnFailure(sig({ forecast: 100 }), p)).toBe(false);
  });

  it("follows the thresholds in the params", () => {
    const q = params({ "emergency.loadThreshold": 2.5, "emergency.minOnlineShare": 0.9 });
    expect(escalateOnFailure(sig({ load: 2 }), q)).toBe(false);
    expect(escalateOnFailure(sig({ load: 2.5 }), q)).toBe(true);
    expect(escalateOnFailure(sig({ online: 0.85 }), q)).toBe(true);
    expect(escalateOnFailure(sig({ online: 0.95 }), q)).toBe(false);
  });
});

describe("preemptiveTrigger", () => {
  const p = params();

  it("fires at forecast >= preemptiveThreshold, not just below", () => {
    expect(preemptiveTrigger(sig({ forecast: 2 }), p)).toBe(true);
    expect(preemptiveTrigger(sig({ forecast: 2 + EPS }), p)).toBe(true);
    expect(preemptiveTrigger(sig({ forecast: 2 - EPS }), p)).toBe(false);
    expect(preemptiveTrigger(sig({ forecast: 0 }), p)).toBe(false);
  });

  it("ignores load and availability", () => {
    expect(preemptiveTrigger(sig({ load: 100, online: 0 }), p)).toBe(false);
  });
});

describe("mayExit", () => {
  const p = params();
  // Band edges with hysteresis 0.5: load < 0.5, forecast < 1, offline share 1 - online <= 0.6 x 0.5 = 0.3.

  it("is false before minDurationEpochs even when all triggers are clear", () => {
    expect(mayExit(CALM, 0, p)).toBe(false);
    expect(mayExit(CALM, 2, p)).toBe(false);
    expect(mayExit(CALM, 3, p)).toBe(true);
    expect(mayExit(CALM, 100, p)).toBe(true);
  });

  it("is true only when every trigger is clear by the hysteresis margin", () => {
    expect(mayExit(sig({ load: 0.5 - EPS, forecast: 1 - EPS, online: 0.8 }), 3, p)).toBe(true);
  });

  it("load inside the hysteresis band (below threshold but not below threshold x h) blocks exit", () => {
    expect(mayExit(sig({ load: 0.5 }), 5, p)).toBe(false);
    expect(mayExit(sig({ load: 0.75 }), 5, p)).toBe(false);
    expect(mayExit(sig({ load: 0.5 - EPS }), 5, p)).toBe(true);
    // A load of 0.75 does not escalate, yet is within the band.
    expect(escalateOnFailure(sig({ load: 0.75 }), p)).toBe(false);
  });

  it("forecast inside the hysteresis band blocks exit", () => {
    expect(mayExit(sig({ forecast: 1 }), 5, p)).toBe(false);
    expect(mayExit(sig({ forecast: 1.5 }), 5, p)).toBe(false);
    expect(mayExit(sig({ forecast: 1 - EPS }), 5, p)).toBe(true);
    expect(preemptiveTrigger(sig({ forecast: 1.5 }), p)).toBe(false);
  });

  it("availability inside the hysteresis band blocks exit", () => {
    expect(mayExit(sig({ online: 0.7 - EPS }), 5, p)).toBe(false);
    expect(mayExit(sig({ online: 0.5 }), 5, p)).toBe(false);
    expect(mayExit(sig({ online: 0.7 + EPS }), 5, p)).toBe(true);
    expect(mayExit(sig({ online: 0.8 }), 5, p)).toBe(true);
    expect(escalateOnFailure(sig({ online: 0.5 }), p)).toBe(false);
  });

  it("at the defaults, emergency can end without every eligible prover online", () => {
    const d = mechanismParams();
    // minOnlineShare 0.8, hysteresis 0.8: exit once at most 16 % of eligible provers are offline.
    expect(mayExit(sig({ online: 0.9 }), 5, d)).toBe(true);
    expect(mayExit(sig({ online: 0.8 }), 5, d)).toBe(false);
  });

  it("a single trigger still firing blocks exit", () => {
    expect(mayExit(sig({ load: 3 }), 10, p)).toBe(false);
    expect(mayExit(sig({ forecast: 4 }), 10, p)).toBe(false);
    expect(mayExit(sig({ online: 0.1 }), 10, p)).toBe(false);
  });

  it("hysteresis 1 makes the exit band coincide with the triggers", () => {
    const q = params({ "emergency.hysteresis": 1 });
    expect(mayExit(sig({ load: 1 - EPS, forecast: 2 - EPS, online: 0.4 }), 3, q)).toBe(true);
    expect(mayExit(sig({ load: 1 }), 3, q)).toBe(false);
    expect(mayExit(sig({ forecast: 2 }), 3, q)).toBe(false);
    expect(mayExit(sig({ online: 0.4 - EPS }), 3, q)).toBe(false);
  });
});
