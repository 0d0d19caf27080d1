/** The most problems of one input listed line by line. */
const MAX_PROBLEMS = 20;

/**
 * A problem with user input: reported as one line naming the field and the fix, exit code 2. When an
 * input has several (an experiment file with three mistakes), the first is the error and the rest
 * ride along in `others`, so every one is reported in the same run.
 */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly fix: string,
    readonly others: readonly ConfigError[] = [],
  ) {
    super(field ? `${field}: ${fix}` : fix);
    this.name = "ConfigError";
  }

  /**
   * One error for all these problems (at least one): the first, carrying the others; past MAX_PROBLEMS
   * the rest are counted in a last line rather than listed.
   */
  static of(problems: readonly ConfigError[]): ConfigError {
    const [first, ...rest] = problems;
    if (first === undefined) throw new Error("ConfigError.of needs a problem");
    const others =
      problems.length <= MAX_PROBLEMS
        ? rest
        : [
            ...rest.slice(0, MAX_PROBLEMS - 2),
            new ConfigError("", `and ${problems.length - MAX_PROBLEMS + 1} more problems; fix these first`),
          ];
    return others.length === 0 ? first : new ConfigError(first.field, first.fix, others);
  }

  /** Every problem, one line each: this one, then the others. */
  get lines(): string[] {
    return [this.message, ...this.others.map((e) => e.message)];
  }
}
