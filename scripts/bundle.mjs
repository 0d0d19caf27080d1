/**
 * The command line as one bundle (`npm run build` runs this after tsc): dist/bundle/main.js, the
 * subcommands as chunks it imports on demand, and beside them the tune worker and the job `proverlab worker`
 * runs (BullMQ loads it in worker threads). Node on 2 cores spends
 * ~60 ms resolving, reading and compiling the ~230 modules of the unbundled CLI (zod alone is 94,
 * 64 of them locales) before a one-epoch `simulate` starts; bundled, it loads a dozen files.
 * The library (dist/src, package "exports") stays unbundled. Packages with native or WebAssembly
 * parts, their own worker files, or that only heavy commands load stay external, as installed.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const STRING_WIDTH = join(import.meta.dirname, "stringWidth.mjs");

/**
 * Every ES `import` of `string-width` (yargs, cliui, wrap-ansi) but the wrapper's own goes to that lazy
 * wrapper; CommonJS `require`s (cli-progress's string-width 4, another API) keep the package.
 */
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.kind === "import-statement" && args.importer !== STRING_WIDTH ? { path: STRING_WIDTH } : undefined,
    );
  },
};
const outdir = join(root, "dist", "bundle");
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    main: "dist/src/cli/main.js",
    worker: "dist/src/tuning/worker.js",
    evaluationJob: "dist/src/distributed/evaluationJob.js",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@tensorflow/*", "piscina", "@resvg/*", "vega", "vega-lite", "arquero", "mathjs", "bullmq", "ioredis"],
  // Bundled CommonJS packages (yaml) call require(); an ES module has none, so each chunk makes one.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  plugins: [lazyStringWidth],
  logLevel: "warning",
});
