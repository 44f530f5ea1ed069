/**
 * Which total_cost the CDR carries when the backend also sent one (`session.total_cost`).
 *
 * With a tariff, ours: it follows the tariff the CDR carries, so an eMSP (or GIREVE,
 * which recomputes) gets the same number. The backend's total is a cross-check: within
 * TOTAL_COST_TOLERANCE it is rounding and ours is written; beyond it the backend and the
 * tariff disagree about an invoice line that can never be corrected once sent (2.1.1 has
 * no credit CDRs), so the CDR keeps the backend's number and validate-cdr refuses it,
 * naming both amounts. Someone fixes the tariff or the backend, then the CDR is rebuilt.
 *
 * Without a tariff, the backend's total is all there is; with neither, no CDR.
 */
import { CdrBuildError } from '../build/build-error';
import { toE4 } from '../decimal';
import type { CdrPricing } from './price-cdr';

/** Currency units; a backend that rounds each line to the cent stays within it. */
export const TOTAL_COST_TOLERANCE = 0.01;

export function chooseTotalCost(pricing: CdrPricing, sessionTotal: number | undefined): number {
  switch (pricing.status) {
    case 'priced': {
      const ours = pricing.price.total;
      if (sessionTotal === undefined || withinTolerance(ours, sessionTotal)) return ours;
      return sessionTotal;
    }
    case 'unpriceable':
      // validate-cdr prices the CDR again and reports why it could not: never sent.
      return sessionTotal ?? 0;
    case 'no_tariff':
      if (sessionTotal !== undefined) return sessionTotal;
      throw new CdrBuildError(['session.total_cost: is required when no tariff is given (nothing to price the session with)']);
  }
}

/** Compared in 1e-4 units so 0.01 is exactly 0.01. */
export function withinTolerance(a: number, b: number): boolean {
  const difference = toE4(a) - toE4(b);
  return (difference < 0n ? -difference : difference) <= toE4(TOTAL_COST_TOLERANCE);
}
