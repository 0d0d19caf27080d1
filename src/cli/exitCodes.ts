/** Exit codes of a run that finished with a warning (README, "Exit codes"; 2 is bad input, src/cli/main.ts). */
export const EXIT_CODES = {
  /** The run finished, but its recommendation misses a hard constraint on training or held-out episodes. */
  infeasible: 3,
  /** The run finished, but the exploit audit found a paying strategy against every audited candidate. */
  exploitable: 4,
  /** A service the run needs failed (Redis went away, a worker failed a job); the run folder can be resumed. */
  unavailable: 5,
} as const;
