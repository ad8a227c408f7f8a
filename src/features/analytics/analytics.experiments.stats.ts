// The statistics of an experiment's results: the Wilson 95% interval of each conversion rate, and the probability
// that a variant beats the control under Beta(1 + c, 1 + n - c) posteriors (uniform priors), by the normal
// approximation of the two posteriors' difference. Pure functions, no database.

/** The 97.5% quantile of the standard normal distribution (two-sided 95%). */
const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** The Wilson score interval of `conversions` out of `exposures` (95%); null with no exposures. */
export function wilsonInterval(conversions: number, exposures: number, z = Z95): Interval | null {
  if (exposures <= 0) return null;
  const p = conversions / exposures;
  const z2 = z * z;
  const denominator = 1 + z2 / exposures;
  const centre = (p + z2 / (2 * exposures)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / exposures + z2 / (4 * exposures * exposures))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The error function by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}

/** The standard normal distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

function betaMoments(conversions: number, exposures: number): { mean: number; variance: number } {
  const a = 1 + conversions;
  const b = 1 + Math.max(0, exposures - conversions);
  const s = a + b;
  return { mean: a / s, variance: (a * b) / (s * s * (s + 1)) };
}

/**
 * P(rate of the variant > rate of the control) with Beta(1 + c, 1 + n - c) posteriors, approximating both by
 * normal distributions with the posteriors' means and variances (close to exact from a few dozen exposures on).
 */
export function probabilityToBeat(
  variant: { conversions: number; exposures: number },
  control: { conversions: number; exposures: number },
): number {
  const v = betaMoments(variant.conversions, variant.exposures);
  const c = betaMoments(control.conversions, control.exposures);
  return normalCdf((v.mean - c.mean) / Math.sqrt(v.variance + c.variance));
}

export interface VariantResult {
  key: string;
  weight: number;
  exposures: number;
  conversions: number;
  /** conversions / exposures; null with no exposures. */
  rate: number | null;
  interval: Interval | null;
  /** Null for the control itself. */
  beatsControl: number | null;
}

/** Each configured variant's figures, in the configured order (the first is the control); missing counts are 0. */
export function experimentStatistics(
  variants: { key: string; weight: number }[],
  counts: { variant: string; exposures: number; conversions: number }[],
): VariantResult[] {
  const byKey = new Map(counts.map((c) => [c.variant, c]));
  const figures = variants.map((v) => {
    const c = byKey.get(v.key);
    return { key: v.key, weight: v.weight, exposures: c?.exposures ?? 0, conversions: c?.conversions ?? 0 };
  });
  const control = figures[0];
  return figures.map((f, i) => ({
    ...f,
    rate: f.exposures > 0 ? f.conversions / f.exposures : null,
    interval: wilsonInterval(f.conversions, f.exposures),
    beatsControl: i === 0 || !control ? null : probabilityToBeat(f, control),
  }));
}
