/**
 * The OCPI 2.2.1 credit CDR that cancels a CDR already sent (mod_cdrs.asciidoc, Credit
 * CDRs): "all the data of the original CDR", its own id, `credit: true`,
 * `credit_reference_id` = the original's id, and "only the values in the total_cost field
 * SHALL contain the negative amounts of the original CDR", so the sub-totals
 * (total_energy_cost...), volumes, tariffs and periods stay as they were. Pure.
 */
import { toOcpiDateTime } from '../../ocpi/primitives';
import { CDR_ID_MAX, type Cdr221 } from '../../ocpi/v221/cdr';
import type { Price } from '../../ocpi/v221/price';
import { CdrBuildError } from './build-error';
import { fromE4, toE4 } from '../decimal';

/**
 * The spec's own example of a credit id: the original's with `-C` appended. CDR.id is
 * CiString(39) to leave room for it after a 36-character original such as our UUID ids
 * (cdr-id.ts), so no shortened form is needed. The same original always gives the same
 * id: crediting one CDR twice gives one credit CDR, not two.
 */
export const CREDIT_ID_SUFFIX = '-C';

export function creditCdrIdFor(originalId: string): string {
  return `${originalId}${CREDIT_ID_SUFFIX}`;
}

/** Throws CdrBuildError when `original` is itself a credit CDR or its id is too long for one. */
export function creditCdrFor(original: Cdr221, now: Date): Cdr221 {
  if (original.credit === true || original.credit_reference_id !== undefined) {
    throw new CdrBuildError([
      `credit: CDR ${original.id} is itself a credit CDR (of ${original.credit_reference_id ?? 'an unnamed CDR'}): a credit CDR is not credited`,
    ]);
  }
  if (original.id.length > CDR_ID_MAX) {
    throw new CdrBuildError([`id: must be at most ${CDR_ID_MAX} characters to be credited (OCPI 2.2.1 CDR.id), got ${original.id.length}`]);
  }
  const { credit: _credit, credit_reference_id: _reference, home_charging_compensation, last_updated: _updated, ...content } = original;
  // Spread order keeps every key where mod_cdrs puts it: credit fields near the end.
  return {
    ...content,
    id: creditCdrIdFor(original.id),
    total_cost: negated(original.total_cost),
    credit: true,
    credit_reference_id: original.id,
    ...(home_charging_compensation === undefined ? {} : { home_charging_compensation }),
    last_updated: toOcpiDateTime(now),
  };
}

/** Through 1e-4 units, so a zero stays 0 rather than becoming -0. */
function negated(price: Price): Price {
  const negate = (amount: number) => fromE4(-toE4(amount));
  return price.incl_vat === undefined
    ? { excl_vat: negate(price.excl_vat) }
    : { excl_vat: negate(price.excl_vat), incl_vat: negate(price.incl_vat) };
}
