/**
 * A service a run needs failed (Redis went away, a worker failed a job): reported as one line with
 * what to do, exit code EXIT_CODES.unavailable. Not bad input: the same command can succeed later.
 */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
}
