import { scoreText } from "../report/calibration.js";
import type { MeanInterval } from "../tuning/stats.js";
import { trainController, type ControllerTrainArgs } from "../tuning/trainController.js";

const interval = (d: MeanInterval) => `${d.mean.toFixed(3)} [95 % CI ${d.low.toFixed(3)}, ${d.high.toFixed(3)}], ${d.n} paired episodes`;

/** `proverlab train-controller`: one progress line per episode on stderr; the held-out comparison and the run folder on stdout. */
export async function runTrainController(args: ControllerTrainArgs, write: (text: string) => void): Promise<void> {
  const { dir, evaluation: e } = await trainController(
    args,
    (r) =>
      process.stderr.write(
        `episode ${Number(r.episode) + 1} (${r.scenario}): controller reward ${Number(r.controllerReward).toFixed(1)}, gain over the start ${Number(r.gainOverStart).toFixed(3)}, liveness ${Number(r.liveness).toFixed(4)}\n`,
      ),
    (c) =>
      process.stderr.write(
        `checkpoint after ${c.episode} episodes: validation gain over the start ${c.gain.toFixed(3)} [95 % CI ${c.gainLow.toFixed(3)}, ${c.gainHigh.toFixed(3)}]${c.bestSoFar ? ", best so far" : ""}\n`,
      ),
  );
  write(
    [
      `held-out score: controller ${scoreText(e.controller)}, start calibration ${scoreText(e.start)}, defaults ${scoreText(e.defaults)}`,
      `kept the checkpoint after ${e.checkpoint.episode} training episodes: validation gain over the start ${interval(e.checkpoint.validation)}`,
      `objective difference, controller - start calibration: ${interval(e.versusStart)}`,
      `objective difference, controller - defaults: ${interval(e.versusDefaults)}`,
      `controller: ${dir}/controller/model.json (responses: controller/summary.md)`,
      `results: ${dir}`,
    ].join("\n") + "\n",
  );
}
