#!/usr/bin/env python3
"""Optuna drives `proverlab evaluate --stdin`: a calibration search from Python (docs/python.md).

    python3 examples/optuna_evaluate.py                      # 20 trials of the quickstart's tuned space
    python3 examples/optuna_evaluate.py --trials 100 --seed 3 --answers answers.jsonl
    python3 examples/optuna_evaluate.py --trials 8 --seeds 1  # a quick look: one episode per scenario

It asks `proverlab params EXPERIMENT` for the tuned parameters (bounds, log or linear scale, integer),
starts one `proverlab evaluate EXPERIMENT --stdin --repair` for the whole study, and for each trial
writes the sampled parameters as one JSON line and reads the one-line JSON answer. A feasible answer's
score (higher is better) is the trial's value; an infeasible one (score null) is worth
INFEASIBLE - totalViolation, below every feasible score and nearer the others the less it misses its
constraints, as `proverlab tune` ranks them. --repair lets proverlab fix samples that break a relation
between parameters (batching.minSize <= batching.maxSize, ...) instead of answering with an error.

Needs Optuna (Debian: apt-get install python3-optuna, for /usr/bin/python3; elsewhere pip install optuna)
and Node.js. Exits 1 if evaluate answers any line with an error.
"""

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

import optuna

ROOT = Path(__file__).resolve().parent.parent
# Below any feasible score: an infeasible trial is worth this minus its total violation, capped (as tune ranks it).
INFEASIBLE = -1e9
MAX_VIOLATION = 1e12


def arguments():
    p = argparse.ArgumentParser(description="Tune an experiment's parameters with Optuna through proverlab evaluate --stdin.")
    p.add_argument("experiment", nargs="?", default=str(ROOT / "experiments" / "quickstart.yaml"), help="experiment file (default: the quickstart)")
    p.add_argument("--trials", type=int, default=20, help="number of Optuna trials (default 20)")
    p.add_argument("--seed", type=int, default=0, help="seed of Optuna's sampler (default 0)")
    p.add_argument("--seeds", type=int, help="episodes per training scenario (evaluate --seeds; default the experiment's tune.seeds.train)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="an experiment override, given to params and evaluate (repeatable)")
    p.add_argument("--answers", help="write evaluate's answer lines, as received, to this file (JSON Lines)")
    p.add_argument(
        "--proverlab",
        default=f"node {shlex.quote(str(ROOT / 'bin' / 'proverlab.js'))}",
        help="the command that runs proverlab (default: this checkout's bin/proverlab.js; 'npx proverlab' where it is installed)",
    )
    args = p.parse_args()
    if args.trials < 1:
        p.error(f"--trials: {args.trials} is not a positive integer; give e.g. --trials 20")
    return args


def shown(value):
    """A KPI's value in a line: 4 significant digits, or undefined (null: no episode measured it)."""
    return "undefined" if value is None else f"{value:.4g}"


def main():
    args = arguments()
    proverlab = shlex.split(args.proverlab)
    sets = [x for s in args.set for x in ("--set", s)]
    # The tuned space: [{name, lower, upper, scale, integer, value, relations, ...}, ...]
    listed = subprocess.run([*proverlab, "params", args.experiment, *sets], capture_output=True, text=True)
    if listed.returncode != 0:
        sys.stderr.write(listed.stderr)
        return 2
    space = json.loads(listed.stdout)
    seeds = [] if args.seeds is None else ["--seeds", str(args.seeds)]
    evaluate = subprocess.Popen(
        [*proverlab, "evaluate", args.experiment, "--stdin", "--repair", *seeds, *sets],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    answers = open(args.answers, "w", encoding="utf-8") if args.answers else None

    def ask(params):
        """One params object out, one answer in."""
        evaluate.stdin.write(json.dumps(params) + "\n")
        evaluate.stdin.flush()
        line = evaluate.stdout.readline()
        if line == "":
            raise RuntimeError(f"proverlab evaluate ended without an answer (exit code {evaluate.wait()})")
        if answers:
            answers.write(line)
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"proverlab evaluate: {answer['error']}")
        return answer

    def objective(trial):
        params = {}
        for p in space:
            log = p["scale"] == "log"
            if p["integer"]:
                params[p["name"]] = trial.suggest_int(p["name"], p["lower"], p["upper"], log=log)
            else:
                params[p["name"]] = trial.suggest_float(p["name"], p["lower"], p["upper"], log=log)
        answer = ask(params)
        # The calibration that was scored: the sample, with the values --repair changed.
        trial.set_user_attr("params", {p["name"]: answer["params"][p["name"]] for p in space})
        trial.set_user_attr("feasible", answer["feasible"])
        trial.set_user_attr("kpis", answer["kpis"])
        repaired = "".join(f", repaired {k} to {v}" for k, v in answer.get("repaired", {}).items())
        if answer["feasible"]:
            print(f"trial {trial.number}: score {answer['score']:.4f}{repaired}", flush=True)
            return answer["score"]
        missed = "; ".join(f"{v['kpi']} {shown(v['value'])} {'<' if v['side'] == 'min' else '>'} {v['bound']}" for v in answer["violations"])
        print(f"trial {trial.number}: infeasible ({missed}){repaired}", flush=True)
        trial.set_user_attr("violations", answer["violations"])
        # totalViolation is null when a constrained KPI is undefined (no episode measured it): the largest miss.
        total = answer["totalViolation"]
        return INFEASIBLE - (MAX_VIOLATION if total is None else min(total, MAX_VIOLATION))

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed))
    # Trial 0 is the experiment's own calibration: the baseline every sample must beat (as in proverlab tune).
    study.enqueue_trial({p["name"]: p["value"] for p in space})
    try:
        study.optimize(objective, n_trials=args.trials)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    finally:
        evaluate.stdin.close()
        if answers:
            answers.close()
    if evaluate.wait() != 0:
        print(f"proverlab evaluate exited with code {evaluate.returncode}", file=sys.stderr)
        return 1
    feasible = [t for t in study.trials if t.user_attrs.get("feasible")]
    if not feasible:
        print(f"no feasible trial in {len(study.trials)}")
        return 0
    best = max(feasible, key=lambda t: t.value)
    print(f"best: trial {best.number}, score {best.value:.4f}; its tuned parameters (a params file for proverlab evaluate/simulate --params):")
    print(json.dumps(best.user_attrs["params"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
