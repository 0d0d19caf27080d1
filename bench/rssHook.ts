/**
 * Preloaded into a command the bench times (`node --import dist/bench/rssHook.js ...`): at exit it
 * writes the process's peak RSS in KB to the file PROVERLAB_BENCH_RSS_FILE names. Inert otherwise.
 */
import { writeFileSync } from "node:fs";

const file = process.env.PROVERLAB_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
