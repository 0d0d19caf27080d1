import { trainProvers, type TrainArgs } from "../tuning/trainProvers.js";

/** `proverlab train`: one progress line per episode on stderr, the run folder on stdout. */
export async function runTrain(args: TrainArgs, write: (text: string) => void): Promise<void> {
  const dir = await trainProvers(args, (r) =>
    process.stderr.write(
      `episode ${r.episode + 1}/${args.episodes}: liveness ${r.liveness.toFixed(4)}, prover margin ${(100 * r.profitMargin).toFixed(1)} %, ` +
        `active provers ${r.activeProversMean.toFixed(1)}, exits ${r.exits}\n`,
    ),
  );
  write(`policy: ${dir}/policy/model.json\nresults: ${dir}\n`);
}
