/** A problem with user input: reported as one line naming the field and the fix, exit code 2. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly fix: string,
  ) {
    super(field ? `${field}: ${fix}` : fix);
    this.name = "ConfigError";
  }
}
