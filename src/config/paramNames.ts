import { ConfigError } from "./errors.js";
import { PARAM_SPACE, paramSpec } from "./paramSpace.js";
import { closest } from "./suggest.js";
import { keyText } from "./valueText.js";

const NAMES = PARAM_SPACE.map((s) => s.name);
const GROUPS = [...new Set(PARAM_SPACE.map((s) => s.group as string))];

/**
 * The problems of parameter names a user wrote: each name that is not a parameter (nor a group, where
 * `groups` are allowed, as in tune.params) is one line naming `field`, with the nearest name when one is near.
 */
export function unknownParameters(names: readonly unknown[], field: string, groups: boolean): ConfigError[] {
  const known = groups ? [...NAMES, ...GROUPS] : NAMES;
  const what = groups ? "parameter or group" : "parameter";
  return names
    .filter((name): name is string => typeof name === "string" && !(paramSpec(name) || (groups && GROUPS.includes(name))))
    .map((name) => {
      const near = closest(name, known);
      const hint = near === undefined ? "see 'proverlab params <experiment> --all'" : `did you mean ${near}?`;
      return new ConfigError(field, `unknown ${what} '${keyText(name)}'; ${hint}`);
    });
}

/** Refuses a params object (name -> value) with names that are not parameters: every such name, at once. */
export function checkParamNames(input: unknown, field: string): void {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return;
  const problems = unknownParameters(Object.keys(input), field, false);
  if (problems.length > 0) throw ConfigError.of(problems);
}
