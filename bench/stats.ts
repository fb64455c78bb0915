// Statistics for benchmark runs. Machine noise is one-sided (a run is slowed down, never sped up),
// so figures are medians of several runs, not means.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Growth {
  /** k in time ~ size^k: 1 is linear, 2 quadratic. */
  readonly exponent: number;
  /** How well the power law fits (1 is a straight line on the log-log plot). */
  readonly r2: number;
}

/** Least-squares fit of log(time) against log(size). Needs two sizes or more. */
export function fitGrowth(points: readonly { readonly size: number; readonly time: number }[]): Growth {
  if (points.length < 2) throw new Error("a growth fit needs at least two sizes");
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(p.time));
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const exponent = sxy / sxx;
  return { exponent, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
