/** sign(x) log(1 + |x|): scales network inputs (USD amounts) that span orders of magnitude and either sign. */
export function signedLog(x: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x));
}
