import { join } from "node:path";
import { ROOT } from "./cli.js";

/**
 * A train-controller run of a few seconds whose checkpoint after 8 episodes moves (large steps and a
 * quick learner), so its validation is not the start's: runs elsewhere must match its bytes.
 */
export const MOVING_CONTROLLER_RUN = [
  "train-controller",
  join(ROOT, "experiments", "controller-daily.yaml"),
  ...["controller.episodes=8", "controller.checkpointEvery=4", "controller.validationSeeds=4", "controller.learningRate=0.05"],
  ...["controller.episodesPerUpdate=1", "controller.levelStep=0.1", "controller.rateLimit=0.2", "controller.levels=2"],
  ...["horizonEpochs=48", "tune.seeds.heldOut=3"],
].flatMap((arg, i) => (i < 2 ? [arg] : ["--set", arg]));
