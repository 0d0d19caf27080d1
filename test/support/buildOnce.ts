import { execFileSync } from "node:child_process";

/** The CLI tests run the built `proverlab` binary (the bundle `npm run build` makes), so the suite builds it once first. */
export default function setup(): void {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
}
