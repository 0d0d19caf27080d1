/** A call that did not answer in time. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/**
 * `call`, or a TimeoutError after `ms`. The timeout rejects in the check phase of the event loop's
 * turn, after that turn's I/O: when the process was busy (a training episode) while the answer came
 * in, the answer wins, and a busy process does not take a server that answered for one that did not.
 */
export function within<T>(call: Promise<T>, ms: number): Promise<T> {
  let timeout: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timeout = setTimeout(() => setImmediate(() => reject(new TimeoutError())), ms);
  });
  return Promise.race([call, expired]).finally(() => clearTimeout(timeout));
}
