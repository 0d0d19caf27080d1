/**
 * One measurement in a process of its own, so its peak RSS is its own: `node dist/bench/child.js
 * <env|tune> <json spec>` prints one JSON line. Run by bench/run.ts; not a CLI.
 */
import { AlwaysOnPolicy } from "../agents/prover/scripted.js";
import { resolveParams } from "../src/config/resolve.js";
import { loadBundle } from "../src/tuning/bundle.js";
import { runEpisode, type EpisodeResult } from "../src/tuning/episode.js";
import { parseRedisUrl } from "../src/distributed/redisUrl.js";
import { createExecutor } from "../src/tuning/executor.js";
import type { EvaluationTask } from "../src/tuning/evaluationTask.js";
import { caseExperiment, type EnvCase } from "./cases.js";
import { BundleVariants } from "../src/tuning/bundleVariants.js";

const mb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;

/** Environment throughput: best of a few whole episodes (runEpisode, always-on provers, seed 1). */
function envCase(c: EnvCase): object {
  const exp = caseExperiment(c);
  const params = resolveParams(exp);
  const provers = exp.provers.archetypes.reduce((s, a) => s + a.count, 0);
  const slots = exp.horizonEpochs * exp.time.slotsPerEpoch;
  const rssBeforeMb = mb(process.resourceUsage().maxRSS);
  if (c.warmupEpochs > 0) {
    const warm = { ...exp, horizonEpochs: Math.min(exp.horizonEpochs, c.warmupEpochs) };
    runEpisode(warm, params, new AlwaysOnPolicy(), 1, null, { recordRows: c.recordRows });
  }
  const runs: number[] = [];
  let result: EpisodeResult | null = null;
  while (runs.length === 0 || (runs.length < c.maxRuns && runs.reduce((s, x) => s + x, 0) < c.budgetMs)) {
    result = null; // the previous episode's rows may be collected while this one runs
    const t = performance.now();
    result = runEpisode(exp, params, new AlwaysOnPolicy(), 1, null, { recordRows: c.recordRows });
    runs.push(performance.now() - t);
  }
  const r = result!;
  // Busy share: core-seconds proving (useful and racing duplicates) over the population's cores x time.
  let cores = 0;
  let eligibleCores = 0;
  for (let i = 0; i < r.env.provers.n; i++) {
    cores += r.env.provers.compute[i]!;
    if (r.env.provers.eligible[i]) eligibleCores += r.env.provers.onlineCompute(i);
  }
  const seconds = slots * exp.time.slotSeconds;
  let busy: number | null = null;
  if (r.rows.length > 0) {
    let coreS = 0;
    for (const row of r.rows) coreS += row.usefulCoreS + row.racingDuplicateCoreS;
    busy = coreS / (cores * seconds);
  }
  const best = Math.min(...runs);
  return {
    provers,
    slots,
    tps: exp.demand.baseTps,
    runs: runs.map((x) => Math.round(x * 10) / 10),
    bestMs: best,
    slotsPerSecond: slots / (best / 1000),
    proverSlotsPerSecond: (slots * provers) / (best / 1000),
    nsPerProverSlot: (best * 1e6) / (slots * provers),
    usPerSlot: (best * 1e3) / slots,
    busyShare: busy,
    eligibleCoreShare: eligibleCores / cores,
    blocks: r.env.totals.blocksCreated,
    blocksProven: r.env.totals.blocksProven,
    liveness: r.windowKpis.liveness,
    reorgs: r.windowKpis.reorgs,
    oversizedBlocks: r.windowKpis.oversizedBlocks,
    rssBeforeMb,
    peakRssMb: mb(process.resourceUsage().maxRSS),
  };
}

interface TuneSpec {
  experiment: string;
  workers: number;
  seeds: number;
  warmup: number;
  evaluations: number;
  /** Through this Redis server's `proverlab worker`s instead of local threads. */
  redis?: string;
  /** --set overrides of the experiment. */
  sets?: string[];
}

/**
 * Candidate evaluations per second through tune's executor (inline for 1 worker, the piscina pool
 * otherwise): a warm-up round (workers load the experiment and JIT-compile), then a timed batch of
 * distinct candidates on the training split.
 */
async function tuneCase(s: TuneSpec): Promise<object> {
  const sets = s.sets ?? [];
  const bundle = loadBundle(s.experiment, sets);
  const candidate = (k: number): EvaluationTask => ({
    params: { ...bundle.params, "rewards.computePriceUsdPerCoreSecond": 2e-5 + 1e-6 * k },
    split: "train",
    seeds: s.seeds,
  });
  const t0 = performance.now();
  const executor = await createExecutor(new BundleVariants(s.experiment, sets, bundle), {
    workers: s.workers,
    redis: s.redis === undefined ? null : parseRedisUrl(s.redis, "redis"),
  });
  await executor.evaluateAll(Array.from({ length: s.warmup }, (_, k) => candidate(k)));
  const warmMs = performance.now() - t0;
  const tasks = Array.from({ length: s.evaluations }, (_, k) => candidate(s.warmup + k));
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const done = await executor.evaluateAll(tasks);
  const ms = performance.now() - t;
  // CPU of every thread of the process (the pool's workers included): the cost of an evaluation whatever the load.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await executor.close();
  return {
    workers: s.workers,
    evaluations: done.length,
    episodesPerEvaluation: done[0]?.episodes ?? 0,
    warmupMs: warmMs,
    ms,
    evaluationsPerSecond: done.length / (ms / 1000),
    cpuMs,
    cpuMsPerEvaluation: cpuMs / done.length,
    peakRssMb: mb(process.resourceUsage().maxRSS),
  };
}

const [mode, spec] = process.argv.slice(2);
const parsed: unknown = JSON.parse(spec ?? "{}");
const out = mode === "env" ? envCase(parsed as EnvCase) : mode === "tune" ? await tuneCase(parsed as TuneSpec) : null;
if (out === null) throw new Error(`unknown mode ${mode}`);
process.stdout.write(JSON.stringify(out) + "\n");
