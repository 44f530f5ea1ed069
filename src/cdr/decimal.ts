/**
 * Exact decimal arithmetic for CDR numbers. OCPI numbers carry at most 4 decimals, so
 * every price, kWh and hour volume is an integer count of 1e-4 units ("e4"); products
 * and quotients stay in BigInt and are rounded once, at the end, never drifting like
 * 0.1 + 0.2 does in binary floating point.
 */

export const E4 = 10_000n;

/**
 * A number with at most 4 decimals as an integer count of 1e-4 units. The schemas have
 * already refused more decimals; Math.round absorbs the binary error of `value * 1e4`.
 */
export function toE4(value: number): bigint {
  const scaled = Math.round(value * 10_000);
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`toE4: ${value} is too large for exact arithmetic`);
  return BigInt(scaled);
}

/** Back from 1e-4 units to the number whose shortest form prints those 4 decimals. */
export function fromE4(units: bigint): number {
  const sign = units < 0n ? '-' : '';
  const magnitude = units < 0n ? -units : units;
  const fraction = (magnitude % E4).toString().padStart(4, '0');
  return Number(`${sign}${magnitude / E4}.${fraction}`);
}

/** numerator / denominator rounded half away from zero (denominator > 0). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const magnitude = (2n * (numerator < 0n ? -numerator : numerator) + denominator) / (2n * denominator);
  return numerator < 0n ? -magnitude : magnitude;
}

/** ceil(numerator / denominator) for numerator >= 0, denominator > 0. */
export function divideUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/**
 * `total * part / whole` rounded, for splitting a quantity over a share of time. Used as
 * a cumulative function (share up to an instant), so the pieces always add up to `total`.
 */
export function prorate(total: bigint, part: number, whole: number): bigint {
  if (whole <= 0) return part > 0 ? total : 0n;
  return divideRounded(total * BigInt(part), BigInt(whole));
}

/** Milliseconds as hours in 1e-4 units (1e-4 h = 360 ms), rounded half up. */
export function msToHoursE4(ms: number): bigint {
  return divideRounded(BigInt(ms), 360n);
}
