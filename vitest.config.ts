import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/countReporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ["./test/support/buildOnce.ts"],
  },
});
