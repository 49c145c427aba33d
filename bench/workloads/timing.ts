// Clock and statistics helpers for the suite. Only the decision step of a frame is timed; the world step is not.

export function nowNs(): bigint {
  return process.hrtime.bigint();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The cost of one timed region around an empty call, in ns (median of many). Subtracted from every timed frame
 * so that a one-agent frame (W1) is not dominated by reading the clock; negligible for thousand-agent frames.
 */
export function timerOverheadNs(samples = 20_000): number {
  const empty = (): void => {};
  const values: number[] = [];
  for (let k = 0; k < samples; k++) {
    const t0 = nowNs();
    empty();
    values.push(Number(nowNs() - t0));
  }
  return median(values);
}
