import type { Tuner } from "../../agents/governance/tuner.js";

/** Runs ask/tell in whole generations until at least `budget` points were scored; returns the tuner. */
export function optimise(t: Tuner, f: (x: readonly number[]) => number, budget: number): Tuner {
  for (let used = 0; used < budget;) {
    const points = t.ask();
    t.tell(
      points,
      points.map((p) => f(p)),
    );
    used += points.length;
  }
  return t;
}
